// Prometheus, Alertmanager and Grafana through the kube-prometheus-stack chart (the Prometheus
// operator and its CRDs, kube-state-metrics, node-exporter), in its own closed namespace.
import type { ITerraformDependable } from "cdktf";
import { Construct } from "constructs";
import type { NetworkPeer } from "../../platform/contract";
import { HelmChart, type ChartSource } from "../helm-chart";
import { PlatformNamespace } from "../platform-namespace";
import { spreadAcross } from "../pod-hardening";
import { storageClassNames } from "../storage-classes";
import type { ExposedService } from "../workloads/types";
import {
  grafanaAdminSecret,
  grafanaDashboardLabels,
  grafanaExposedService,
  grafanaService,
  monitoringNamespace,
  monitorSelectorLabels,
  prometheusDatasourceUid,
  prometheusPodLabels,
  prometheusReleaseName,
  prometheusService,
} from "./monitoring";

export interface KubePrometheusStackProps {
  /** kube-prometheus-stack, pinned (versions.charts.kubePrometheusStack, 88.5.3). */
  readonly chart: ChartSource;
  /** Monitors' network policies and dashboards assume `monitoring`. @default monitoring */
  readonly namespace?: string;
  readonly apiServer: NetworkPeer;
  /** Where the nodes' addresses live, for the kubelet (10250) and node-exporter (9100, host
   *  network) scrapes: on EKS the API server's CIDRs are the VPC's.
   *  @default the API server's CIDRs, or 0.0.0.0/0 when it is not given as CIDRs */
  readonly nodeCidrs?: readonly string[];
  readonly prometheus: {
    readonly replicas: number;
    /** How long samples are kept, e.g. "15d". */
    readonly retention: string;
    /** Upper bound on the TSDB size, e.g. "45GB" (keep it below the volume size).
     *  @default none: bounded by `retention` only */
    readonly retentionSize?: string;
    readonly storageGiB: number;
    /** Requests of each Prometheus (memory is also the limit). @default 500m CPU, 2Gi memory */
    readonly resources?: { readonly cpu: string; readonly memory: string };
  };
  readonly alertmanager: {
    readonly replicas: number;
    readonly storageGiB: number;
    /** How long silences and notification state are kept. @default 120h */
    readonly retention?: string;
  };
  /** Storage class of the Prometheus and Alertmanager volumes. @default fast-ssd */
  readonly storageClass?: string;
  /** Spread replicas across zones (multi-AZ clusters). @default false */
  readonly zoneSpread?: boolean;
  /** Labels added to every series and alert leaving this Prometheus, e.g. { environment: "prod" }. @default none */
  readonly externalLabels?: Record<string, string>;
  /** Namespaces whose pods push OTLP metrics to Prometheus on 9090 (Airbyte).
   *  @default none: no namespace may push OTLP */
  readonly otlpSources?: readonly string[];
  /** Grafana behind the platform entry point: its host and where client traffic comes from
   *  (foundation.ingressSource). Absent: Grafana is reachable through port-forward only.
   *  @default none: port-forward only */
  readonly grafanaIngress?: { readonly host: string; readonly from: NetworkPeer };
  /** Scrape etcd, the scheduler, the controller manager and kube-proxy. EKS runs
   *  the control plane itself and kube-proxy serves its metrics on 127.0.0.1 only, so the scrapes
   *  (and the chart's rules about them) would only raise TargetDown alerts. @default false */
  readonly scrapeControlPlane?: boolean;
  /** What the release waits for besides its namespace. @default the monitoring namespace only */
  readonly dependsOn?: ITerraformDependable[];
}

/**
 * - Selection: Prometheus selects monitors, probes, scrape configs and rules by
 *   `monitorSelectorLabels` in every namespace (explicit selectors, not the chart's
 *   `*NilUsesHelmValues` switches), so a chart-rendered monitor without the label is never
 *   scraped twice.
 * - Grafana: admin user and password from the Secret `grafana-admin` (admin.existingSecret),
 *   which `GrafanaAdminSecret` fills from the platform secret store; dashboards from ConfigMaps
 *   labelled grafana_dashboard=1 in every namespace. The secret store and the ExternalSecret are
 *   custom resources of the apps layer, applied after this release: Grafana's Deployment allows
 *   its one pod to be unavailable (rollingUpdate.maxUnavailable 1), so the release does not wait
 *   for a Secret that does not exist yet; the pod starts once the apps layer has created it.
 *   Grafana keeps no state worth a volume (dashboards are code, the admin comes from the Secret).
 * - Airbyte exports OTLP only: the OTLP receiver is on, open to `otlpSources`.
 * - Network: closed namespace; all pods reach the API server (operator, kube-state-metrics,
 *   service discovery, Grafana's sidecars) and the API server reaches the operator's admission
 *   webhook (10250); egress to pods of every namespace (each target admits Prometheus on its
 *   metrics port), to the nodes' kubelet and node-exporter; Alertmanager calls receivers over
 *   HTTPS; Grafana admits the entry point when exposed.
 */
export class KubePrometheusStack extends Construct {
  readonly namespace: PlatformNamespace;
  readonly chart: HelmChart;
  /** The label every ServiceMonitor, PodMonitor and PrometheusRule must carry. */
  readonly monitorLabels: Readonly<Record<string, string>> = monitorSelectorLabels;
  readonly prometheusUrl: string;
  readonly alertmanagerUrl: string;
  /** Present with `grafanaIngress`: what the entry point routes to. */
  readonly grafana?: ExposedService;

  constructor(scope: Construct, id: string, props: KubePrometheusStackProps) {
    super(scope, id);
    const ns = props.namespace ?? monitoringNamespace;
    validate(props);
    const storageClass = props.storageClass ?? storageClassNames.fast;
    const release = prometheusReleaseName;
    this.prometheusUrl = `http://${prometheusService.name}.${ns}.svc:${prometheusService.port}`;
    this.alertmanagerUrl = `http://${release}-alertmanager.${ns}.svc:9093`;

    // node-exporter needs the host's network, PID namespace and root file system.
    this.namespace = new PlatformNamespace(this, "ns", { name: ns, podSecurity: "privileged" });

    const selectAll = { matchLabels: { ...monitorSelectorLabels } };
    const volume = (size: number) => ({
      volumeClaimTemplate: {
        spec: {
          storageClassName: storageClass,
          accessModes: ["ReadWriteOnce"],
          resources: { requests: { storage: `${size}Gi` } },
        },
      },
    });
    const spread = (labels: Record<string, string>) =>
      props.zoneSpread ? [spreadAcross("zone", labels, { whenUnsatisfiable: "ScheduleAnyway" })] : [];
    const prometheus = props.prometheus;
    const am = props.alertmanager;
    const controlPlane = props.scrapeControlPlane ?? false;

    const values = {
      crds: { enabled: true },
      defaultRules: { create: true },
      kubeEtcd: { enabled: controlPlane },
      kubeScheduler: { enabled: controlPlane },
      kubeControllerManager: { enabled: controlPlane },
      kubeProxy: { enabled: controlPlane },
      prometheusOperator: {
        resources: { requests: { cpu: "100m", memory: "256Mi" }, limits: { memory: "512Mi" } },
      },
      prometheus: {
        prometheusSpec: {
          replicas: prometheus.replicas,
          retention: prometheus.retention,
          ...(prometheus.retentionSize ? { retentionSize: prometheus.retentionSize } : {}),
          storageSpec: volume(prometheus.storageGiB),
          resources: prometheus.resources
            ? {
                requests: { cpu: prometheus.resources.cpu, memory: prometheus.resources.memory },
                limits: { memory: prometheus.resources.memory },
              }
            : { requests: { cpu: "500m", memory: "2Gi" }, limits: { memory: "2Gi" } },
          externalLabels: { ...props.externalLabels },
          // Explicit selectors: the platform's monitors and rules carry the same label as the chart's.
          serviceMonitorSelector: selectAll,
          serviceMonitorNamespaceSelector: {},
          podMonitorSelector: selectAll,
          podMonitorNamespaceSelector: {},
          probeSelector: selectAll,
          probeNamespaceSelector: {},
          scrapeConfigSelector: selectAll,
          scrapeConfigNamespaceSelector: {},
          ruleSelector: selectAll,
          ruleNamespaceSelector: {},
          enableOTLPReceiver: true,
          podAntiAffinity: "soft",
          topologySpreadConstraints: spread(prometheusPodLabels),
        },
      },
      alertmanager: {
        alertmanagerSpec: {
          replicas: am.replicas,
          retention: am.retention ?? "120h",
          storage: volume(am.storageGiB),
          resources: { requests: { cpu: "20m", memory: "64Mi" }, limits: { memory: "256Mi" } },
          podAntiAffinity: "soft",
          topologySpreadConstraints: spread({ "app.kubernetes.io/name": "alertmanager" }),
        },
      },
      grafana: {
        enabled: true,
        defaultDashboardsEnabled: true,
        admin: {
          existingSecret: grafanaAdminSecret.name,
          userKey: grafanaAdminSecret.userKey,
          passwordKey: grafanaAdminSecret.passwordKey,
        },
        sidecar: {
          dashboards: {
            enabled: true,
            label: Object.keys(grafanaDashboardLabels)[0],
            labelValue: Object.values(grafanaDashboardLabels)[0],
            searchNamespace: "ALL",
          },
          datasources: { enabled: true, uid: prometheusDatasourceUid },
        },
        // A subchart key (grafana 12.x `deploymentStrategy`), absent from the recorded parent
        // defaults: the release must not wait for the admin Secret of the apps layer.
        deploymentStrategy: { type: "RollingUpdate", rollingUpdate: { maxSurge: 1, maxUnavailable: 1 } },
        resources: { requests: { cpu: "50m", memory: "128Mi" }, limits: { memory: "512Mi" } },
      },
    };

    this.chart = new HelmChart(this, "chart", {
      releaseName: release,
      namespace: ns,
      source: props.chart,
      values,
      timeoutSeconds: 900,
      dependsOn: [this.namespace.namespace, ...(props.dependsOn ?? [])],
    });

    // --- Network ---------------------------------------------------------------------------------
    // Operator, kube-state-metrics, service discovery and Grafana's sidecars call the API server;
    // the API server calls the operator's admission webhook (container port 10250).
    this.namespace.allowApiServer(props.apiServer, [10250]);
    // Scrapes: pods of every namespace (each target admits Prometheus on its own port) ...
    this.namespace.allowEgressToCluster("scrape");
    // ... and the nodes: the kubelet (cAdvisor, probes, volume stats) and node-exporter, which
    // runs on the host network (network policies do not see it as a pod).
    const nodeCidrs = props.nodeCidrs ?? (props.apiServer.kind === "cidrs" ? props.apiServer.cidrs : ["0.0.0.0/0"]);
    this.namespace.allowEgressTo("nodes", { kind: "cidrs", cidrs: nodeCidrs, ports: [10250, 9100] });
    // Alertmanager notifies receivers (chat, paging, mail relays) over HTTPS.
    this.namespace.allowHttpsEgress({ "app.kubernetes.io/name": "alertmanager" });
    for (const source of props.otlpSources ?? []) {
      this.namespace.allowIngressFrom(
        `otlp-${source}`,
        { kind: "namespace", namespace: source, ports: [prometheusService.port] },
        { ...prometheusPodLabels },
      );
    }
    if (props.grafanaIngress) {
      this.namespace.allowIngressFrom(
        "grafana",
        { ...props.grafanaIngress.from, ports: [grafanaService.targetPort] },
        { ...grafanaService.podLabels },
      );
      this.grafana = grafanaExposedService(props.grafanaIngress.host, ns);
    }
  }
}

function validate(props: KubePrometheusStackProps): void {
  const prometheus = props.prometheus;
  if (prometheus.replicas < 1 || props.alertmanager.replicas < 1)
    throw new Error("KubePrometheusStack: prometheus and alertmanager need at least one replica");
  if (!/^\d+(ms|s|m|h|d|w|y)$/.test(prometheus.retention))
    throw new Error(
      `KubePrometheusStack: prometheus.retention must be a duration such as 15d, got ${prometheus.retention}`,
    );
  if (prometheus.retentionSize && !/^\d+(B|KB|MB|GB|TB|PB|EB)$/.test(prometheus.retentionSize)) {
    throw new Error(
      `KubePrometheusStack: prometheus.retentionSize must be a size such as 45GB, got ${prometheus.retentionSize}`,
    );
  }
  if (prometheus.retentionSize) {
    const gb = sizeInGB(prometheus.retentionSize);
    if (gb >= prometheus.storageGiB)
      throw new Error(
        `KubePrometheusStack: prometheus.retentionSize ${prometheus.retentionSize} must stay below the ${prometheus.storageGiB}Gi volume`,
      );
  }
}

function sizeInGB(size: string): number {
  const match = /^(\d+)(B|KB|MB|GB|TB|PB|EB)$/.exec(size)!;
  const exp = { B: -3, KB: -2, MB: -1, GB: 0, TB: 1, PB: 2, EB: 3 }[match[2] as "B"];
  return Number(match[1]) * 1024 ** exp;
}
