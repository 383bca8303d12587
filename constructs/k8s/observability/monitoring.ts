// Names every part of the monitoring stack agrees on: the namespace and release of
// kube-prometheus-stack, the label Prometheus selects monitors and rules by, the label Grafana's
// sidecar loads dashboards by, and the in-cluster endpoints of Prometheus and Grafana.
import { NetworkPolicyV1 } from "@cdktf/provider-kubernetes/lib/network-policy-v1";
import type { ITerraformDependable } from "cdktf";
import type { Construct } from "constructs";
import type { ExposedService } from "../workloads/types";

export const monitoringNamespace = "monitoring";
export const prometheusReleaseName = "kube-prometheus-stack";

/**
 * The label Prometheus selects ServiceMonitors, PodMonitors, Probes, ScrapeConfigs and
 * PrometheusRules by, in every namespace. The chart's own monitors and rules carry it too
 * (`release: <release name>`), so one explicit selector covers the stack and the platform; an
 * unlabelled monitor (a chart's default one, say) is ignored rather than scraped twice.
 */
export const monitorSelectorLabels: Readonly<Record<string, string>> = { release: prometheusReleaseName };

/** ConfigMaps with this label, in any namespace, are loaded by Grafana's dashboard sidecar. */
export const grafanaDashboardLabels: Readonly<Record<string, string>> = { grafana_dashboard: "1" };

/** The Prometheus data source the chart provisions in Grafana (sidecar.datasources.uid). */
export const prometheusDatasourceUid = "prometheus";

/** Prometheus inside the cluster (the chart names its Service `<release>-prometheus`). */
export const prometheusService = { name: `${prometheusReleaseName}-prometheus`, port: 9090 } as const;

/**
 * Prometheus' OTLP/HTTP metrics endpoint (enabled by `KubePrometheusStack`): Airbyte pushes its
 * metrics here (`global.metrics.otlp.collectorEndpoint`) instead of exposing a scrape endpoint.
 */
export const prometheusOtlpMetricsUrl = `http://${prometheusService.name}.${monitoringNamespace}.svc:${prometheusService.port}/api/v1/otlp/v1/metrics`;

/** Labels of Prometheus' own pods (set by the Prometheus operator). */
export const prometheusPodLabels: Readonly<Record<string, string>> = { "app.kubernetes.io/name": "prometheus" };

/** Grafana's Service and pods (the grafana subchart's names under this release). */
export const grafanaService = {
  name: `${prometheusReleaseName}-grafana`,
  port: 80,
  targetPort: 3000,
  podLabels: { "app.kubernetes.io/name": "grafana", "app.kubernetes.io/instance": prometheusReleaseName },
} as const;

/** Grafana as a route target of the platform entry point (for AlbIngress / GatewayRoutes in the
 *  apps layer; the release itself lives in the add-ons layer). */
export function grafanaExposedService(host: string, namespace: string = monitoringNamespace): ExposedService {
  return {
    host,
    namespace,
    serviceName: grafanaService.name,
    servicePort: grafanaService.port,
    targetPort: grafanaService.targetPort,
    podLabels: { ...grafanaService.podLabels },
    healthPath: "/api/health",
  };
}

/** Secret Grafana reads its admin user and password from (created by `GrafanaAdminSecret`). */
export const grafanaAdminSecret = {
  name: "grafana-admin",
  userKey: "admin-user",
  passwordKey: "admin-password",
} as const;

/**
 * A NetworkPolicy in a target namespace admitting Prometheus (pods of the monitoring namespace)
 * on the target's metrics port(s). Target namespaces start closed (PlatformNamespace), so every
 * monitor comes with one of these.
 */
export function allowScrape(
  scope: Construct,
  id: string,
  props: {
    readonly namespace: string;
    readonly name: string;
    readonly podLabels: Readonly<Record<string, string>>;
    readonly ports: readonly number[];
    readonly fromNamespace?: string;
    readonly dependsOn?: ITerraformDependable[];
  },
): NetworkPolicyV1 {
  return new NetworkPolicyV1(scope, id, {
    metadata: {
      name: props.name,
      namespace: props.namespace,
      labels: { "app.kubernetes.io/part-of": "platform-monitoring" },
    },
    spec: {
      podSelector: { matchLabels: { ...props.podLabels } },
      policyTypes: ["Ingress"],
      ingress: [
        {
          from: [
            {
              namespaceSelector: {
                matchLabels: { "kubernetes.io/metadata.name": props.fromNamespace ?? monitoringNamespace },
              },
            },
          ],
          ports: props.ports.map((port) => ({ port: String(port), protocol: "TCP" })),
        },
      ],
    },
    dependsOn: props.dependsOn,
  });
}
