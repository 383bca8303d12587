import { Construct } from "constructs";
import { HelmChart } from "../helm-chart";
import { resources, type AddonProps } from "./common";

/** metrics-server: CPU and memory metrics for the horizontal pod autoscalers. */
export class MetricsServer extends Construct {
  readonly chart: HelmChart;

  constructor(scope: Construct, id: string, props: AddonProps & { readonly insecureKubeletTls?: boolean }) {
    super(scope, id);
    const replicas = props.replicas ?? 2;
    this.chart = new HelmChart(this, "chart", {
      releaseName: "metrics-server",
      namespace: props.namespace,
      source: props.chart,
      values: {
        replicas,
        podDisruptionBudget: { enabled: replicas > 1, minAvailable: 1 },
        resources: resources("50m", "128Mi", "256Mi"),
        // kind and k3d kubelets serve self-signed certificates.
        ...(props.insecureKubeletTls ? { args: ["--kubelet-insecure-tls"] } : {}),
      },
    });
  }
}
