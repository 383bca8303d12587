import type { Construct } from "constructs";
import { resources, type AddonProps } from "./common";
import { Operator } from "./operator";

export interface ExternalSecretsProps extends AddonProps {
  /** Service account bound to the role that reads this environment's secrets (AWS). */
  readonly serviceAccountName: string;
}

/** external-secrets: syncs the platform's secret store into Kubernetes Secrets. */
export class ExternalSecrets extends Operator {
  constructor(scope: Construct, id: string, props: ExternalSecretsProps) {
    const replicas = props.replicas ?? 2;
    super(scope, id, {
      ...props,
      releaseName: "external-secrets",
      webhookPorts: [10250],
      values: {
        installCRDs: true,
        replicaCount: replicas,
        serviceAccount: { create: true, name: props.serviceAccountName },
        podDisruptionBudget: { enabled: replicas > 1, minAvailable: 1 },
        resources: resources("50m", "128Mi", "256Mi"),
        webhook: { replicaCount: replicas, resources: resources("20m", "64Mi", "128Mi") },
        certController: { resources: resources("20m", "64Mi", "128Mi") },
      },
    });
    // AWS Secrets Manager (or the API server, for the in-cluster store) over HTTPS.
    this.namespace.allowHttpsEgress();
  }
}
