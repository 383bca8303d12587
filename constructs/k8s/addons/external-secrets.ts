import { Construct } from "constructs";
import { HelmChart } from "../helm-chart";
import { PlatformNamespace } from "../platform-namespace";
import { resources, type AddonProps } from "./common";

export interface ExternalSecretsProps extends AddonProps {
  /** Service account bound to the role that reads this environment's secrets (AWS). */
  readonly serviceAccountName: string;
}

/** external-secrets: syncs the platform's secret store into Kubernetes Secrets. */
export class ExternalSecrets extends Construct {
  readonly chart: HelmChart;

  constructor(scope: Construct, id: string, props: ExternalSecretsProps) {
    super(scope, id);
    const ns = new PlatformNamespace(this, "ns", { name: props.namespace });
    ns.allowApiServer(props.apiServer, [10250]);
    ns.allowHttpsEgress();
    const replicas = props.replicas ?? 2;
    this.chart = new HelmChart(this, "chart", {
      releaseName: "external-secrets",
      namespace: ns.name,
      source: props.chart,
      dependsOn: [ns.namespace],
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
  }
}
