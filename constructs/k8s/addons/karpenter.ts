import { Construct } from "constructs";
import { HelmChart } from "../helm-chart";
import { PlatformNamespace } from "../platform-namespace";
import { resources, type AddonProps } from "./common";

export interface KarpenterProps extends AddonProps {
  readonly clusterName: string;
  readonly interruptionQueue: string;
  readonly serviceAccountName: string;
}

/** Karpenter's controller; its NodePools and EC2NodeClass are custom resources created with the
 *  workloads layer, once these CRDs exist. */
export class Karpenter extends Construct {
  readonly chart: HelmChart;

  constructor(scope: Construct, id: string, props: KarpenterProps) {
    super(scope, id);
    const ns = new PlatformNamespace(this, "ns", { name: props.namespace });
    ns.allowApiServer(props.apiServer, [8443]);
    ns.allowHttpsEgress();
    this.chart = new HelmChart(this, "chart", {
      releaseName: "karpenter",
      namespace: ns.name,
      source: props.chart,
      dependsOn: [ns.namespace],
      values: {
        replicas: props.replicas ?? 2,
        serviceAccount: { create: true, name: props.serviceAccountName },
        settings: { clusterName: props.clusterName, interruptionQueue: props.interruptionQueue },
        controller: { resources: resources("250m", "512Mi", "1Gi") },
      },
    });
  }
}
