import { ConfigMapV1 } from "@cdktf/provider-kubernetes/lib/config-map-v1";
import type { ITerraformDependable } from "cdktf";
import { Construct } from "constructs";
import { assertNoTemplateSequences } from "../../../lib/terraform-text";
import { platformDashboards, type Dashboard, type PlatformDashboardName } from "./dashboards";
import { grafanaDashboardLabels, monitoringNamespace } from "./monitoring";

export interface PlatformDashboardsProps {
  /** Where the ConfigMaps live (Grafana's sidecar watches every namespace). @default monitoring */
  readonly namespace?: string;
  /** Which dashboards (leave out `postgresql` where RDS replaces CloudNativePG,
   *  `minio` where S3 replaces MinIO). @default every dashboard in `platformDashboards` */
  readonly include?: readonly PlatformDashboardName[];
  /** What the ConfigMaps wait for. @default none */
  readonly dependsOn?: ITerraformDependable[];
}

/** The platform's Grafana dashboards, one ConfigMap each, labelled for Grafana's sidecar. */
export class PlatformDashboards extends Construct {
  readonly dashboards: Readonly<Partial<Record<PlatformDashboardName, Dashboard>>>;
  readonly configMaps: ConfigMapV1[] = [];

  constructor(scope: Construct, id: string, props: PlatformDashboardsProps = {}) {
    super(scope, id);
    const ns = props.namespace ?? monitoringNamespace;
    const names = props.include ?? (Object.keys(platformDashboards) as PlatformDashboardName[]);
    const built: Partial<Record<PlatformDashboardName, Dashboard>> = {};
    for (const name of names) {
      const board = platformDashboards[name]();
      // Grafana and PromQL templates use {{ }}; a "${" would be read by Terraform.
      assertNoTemplateSequences(board, `dashboard ${name}`);
      built[name] = board;
      this.configMaps.push(
        new ConfigMapV1(this, name, {
          metadata: {
            name: `dashboard-${name}`,
            namespace: ns,
            labels: { ...grafanaDashboardLabels, "app.kubernetes.io/part-of": "platform-monitoring" },
          },
          data: { [`${name}.json`]: JSON.stringify(board, null, 1) },
          dependsOn: props.dependsOn,
        }),
      );
    }
    this.dashboards = built;
  }
}
