import { Construct } from "constructs";
import { HelmChart } from "../helm-chart";
import { PlatformNamespace } from "../platform-namespace";
import { resources, type AddonProps } from "./common";

/** cert-manager with its CRDs; issuers are created with the workloads once the CRDs exist. */
export class CertManager extends Construct {
  readonly chart: HelmChart;

  constructor(scope: Construct, id: string, props: AddonProps) {
    super(scope, id);
    const ns = new PlatformNamespace(this, "ns", { name: props.namespace });
    ns.allowApiServer(props.apiServer, [10250]);
    // ACME and DNS-01 challenges reach the internet.
    ns.allowHttpsEgress();
    const replicas = props.replicas ?? 2;
    this.chart = new HelmChart(this, "chart", {
      releaseName: "cert-manager",
      namespace: ns.name,
      source: props.chart,
      dependsOn: [ns.namespace],
      values: {
        crds: { enabled: true, keep: true },
        replicaCount: replicas,
        podDisruptionBudget: { enabled: replicas > 1, minAvailable: 1 },
        resources: resources("50m", "128Mi", "256Mi"),
        webhook: { replicaCount: replicas, podDisruptionBudget: { enabled: replicas > 1, minAvailable: 1 }, resources: resources("20m", "64Mi", "128Mi") },
        cainjector: { replicaCount: replicas, podDisruptionBudget: { enabled: replicas > 1, minAvailable: 1 }, resources: resources("20m", "128Mi", "256Mi") },
      },
    });
  }
}
