import type { Construct } from "constructs";
import { resources, type AddonProps } from "./common";
import { Operator } from "./operator";

/** cert-manager with its CRDs; issuers are created with the workloads once the CRDs exist. */
export class CertManager extends Operator {
  constructor(scope: Construct, id: string, props: AddonProps) {
    const replicas = props.replicas ?? 2;
    const pdb = { enabled: replicas > 1, minAvailable: 1 };
    super(scope, id, {
      ...props,
      releaseName: "cert-manager",
      webhookPorts: [10250],
      values: {
        crds: { enabled: true, keep: true },
        replicaCount: replicas,
        podDisruptionBudget: pdb,
        resources: resources("50m", "128Mi", "256Mi"),
        webhook: { replicaCount: replicas, podDisruptionBudget: pdb, resources: resources("20m", "64Mi", "128Mi") },
        cainjector: { replicaCount: replicas, podDisruptionBudget: pdb, resources: resources("20m", "128Mi", "256Mi") },
      },
    });
    // ACME and DNS-01 challenges reach the internet.
    this.namespace.allowHttpsEgress();
  }
}
