import type { ITerraformDependable } from "cdktf";
import { Construct } from "constructs";
import { HelmChart } from "../helm-chart";
import { PlatformNamespace } from "../platform-namespace";
import type { AddonProps } from "./common";

export interface OperatorProps extends AddonProps {
  readonly releaseName: string;
  /** Ports the API server calls on the operator (admission webhooks). */
  readonly webhookPorts: number[];
  /** Chart values: each operator's chart spells replicas, CRDs and resources its own way. */
  readonly values: object;
  /** Pod Security Standard of the operator's namespace. @default restricted */
  readonly podSecurity?: "restricted" | "baseline";
  /** What the release waits for besides its namespace. @default the operator's namespace only */
  readonly dependsOn?: ITerraformDependable[];
}

/** An operator installed from its official chart into its own closed namespace. */
export class Operator extends Construct {
  readonly chart: HelmChart;
  readonly namespace: PlatformNamespace;

  constructor(scope: Construct, id: string, props: OperatorProps) {
    super(scope, id);
    this.namespace = new PlatformNamespace(this, "ns", { name: props.namespace, podSecurity: props.podSecurity });
    this.namespace.allowApiServer(props.apiServer, props.webhookPorts);
    this.chart = new HelmChart(this, "chart", {
      releaseName: props.releaseName,
      namespace: props.namespace,
      source: props.chart,
      values: props.values,
      dependsOn: [this.namespace.namespace, ...(props.dependsOn ?? [])],
    });
  }
}
