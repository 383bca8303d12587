import { Release } from "@cdktf/provider-helm/lib/release";
import type { ITerraformDependable } from "cdktf";
import { Construct } from "constructs";
import { stateful } from "../../lib/protect";
import { toYaml } from "../../lib/yaml-text";

export interface ChartSource {
  readonly repository: string;
  readonly chart: string;
  readonly version: string;
}

export interface HelmChartProps {
  readonly releaseName: string;
  readonly namespace: string;
  readonly source: ChartSource;
  /** Typed values, serialized once to YAML text so reviewers and tests read them as written. */
  readonly values: object;
  /** Let Helm create the release's namespace. @default false: the namespace must exist */
  readonly createNamespace?: boolean;
  /** Seconds Helm waits for resources to become ready. @default 600 */
  readonly timeoutSeconds?: number;
  /** What the release waits for. @default none */
  readonly dependsOn?: ITerraformDependable[];
  /** lifecycle.prevent_destroy, for a release that owns a data store (protected tiers). @default false */
  readonly preventDestroy?: boolean;
}

/** A pinned Helm release that rolls back on failure and waits for readiness. */
export class HelmChart extends Construct {
  readonly release: Release;
  /** The values exactly as the release receives them. */
  readonly values: object;
  readonly source: ChartSource;

  constructor(scope: Construct, id: string, props: HelmChartProps) {
    super(scope, id);
    this.values = props.values;
    this.source = props.source;
    this.release = new Release(this, "release", {
      name: props.releaseName,
      namespace: props.namespace,
      repository: props.source.repository,
      chart: props.source.chart,
      version: props.source.version,
      createNamespace: props.createNamespace ?? false,
      // Block YAML without anchors: every value is spelled out where it applies.
      values: [toYaml(props.values)],
      atomic: true,
      wait: true,
      cleanupOnFail: true,
      maxHistory: 10,
      timeout: props.timeoutSeconds ?? 600,
      dependsOn: props.dependsOn,
    });
    // A release's address is part of the contract: a new address uninstalls and reinstalls it.
    stateful(this.release, `helm_${props.releaseName.replace(/-/g, "_")}`, props.preventDestroy ?? false);
  }
}
