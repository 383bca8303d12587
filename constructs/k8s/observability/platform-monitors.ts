// What Prometheus scrapes besides the cluster itself: one ServiceMonitor or PodMonitor per
// platform component, each carrying the label Prometheus selects on, and a NetworkPolicy in the
// component's (closed) namespace admitting Prometheus on the metrics port.
import type { Manifest } from "@cdktf/provider-kubernetes/lib/manifest";
import type { ITerraformDependable } from "cdktf";
import { Construct } from "constructs";
import { typedManifest, type ScrapeEndpoint } from "../manifest-types";
import { ElasticsearchExporter } from "./elasticsearch-exporter";
import { allowScrape, monitoringNamespace, monitorSelectorLabels } from "./monitoring";

type Labels = Readonly<Record<string, string>>;

export interface PlatformMonitorsProps {
  /** Namespace Prometheus runs in (admitted by the target namespaces' policies).
   *  @default monitoring (`monitoringNamespace`) */
  readonly monitoringNamespace?: string;
  /** Dremio's coordinator and executors (Service `dremio-metrics`, :9010/metrics) and its
   *  ZooKeeper ensemble (:7000/metrics), in Dremio's namespace. @default none: Dremio is not scraped */
  readonly dremio?: { readonly namespace: string };
  /** CloudNativePG instances (:9187) and PgBouncer poolers (:9127) of the in-cluster PostgreSQL.
   *  RDS has no in-cluster endpoint: its metrics live in CloudWatch (see PlatformAlerts).
   *  @default none: no in-cluster PostgreSQL is scraped */
  readonly postgres?: {
    readonly namespace: string;
    /** The CloudNativePG cluster's name. @default postgres */
    readonly clusterName?: string;
    /** Scrape its PgBouncer poolers too. @default false */
    readonly pooler?: boolean;
  };
  /**
   * The MinIO tenant's cluster metrics (/minio/v2/metrics/cluster on :9000). MinIO guards them with
   * a bearer token (a JWT signed with the root credentials) unless the tenant sets
   * MINIO_PROMETHEUS_AUTH_TYPE=public (`minioPublicMetricsEnv`). Public is what the platform sets, since the token
   * would put a root-derived credential into another namespace and the metrics carry no object
   * data; give `bearerTokenSecret` (a Secret in the tenant's namespace) to scrape a guarded tenant.
   * @default none: MinIO is not scraped
   */
  readonly minio?: {
    readonly namespace: string;
    /** Name of the MinIO tenant. @default minio */
    readonly tenant?: string;
    /** Secret with the bearer token for a guarded tenant.
     *  @default none: no token, the tenant must serve public metrics (`minioPublicMetricsEnv`) */
    readonly bearerTokenSecret?: { readonly name: string; readonly key: string };
  };
  /** Elasticsearch through a prometheus-community exporter deployed next to the ECK cluster.
   *  @default none: no exporter, Elasticsearch is not scraped */
  readonly elasticsearch?: {
    readonly namespace: string;
    /** Name of the Elasticsearch resource. @default elasticsearch */
    readonly clusterName?: string;
    readonly exporterImage: string;
  };
  /** cert-manager's controller, in its namespace. @default none: cert-manager is not scraped */
  readonly certManager?: { readonly namespace: string };
  /** external-secrets' controller, in its namespace. @default none: external-secrets is not scraped */
  readonly externalSecrets?: { readonly namespace: string };
  /** Karpenter's controller (AWS only). @default none: Karpenter is not scraped */
  readonly karpenter?: { readonly namespace: string };
  /** What the monitors and their policies wait for (the operator's CRDs). @default none */
  readonly dependsOn?: ITerraformDependable[];
}

/** What the MinIO tenant needs in its environment (`tenant.env`) for public cluster metrics. */
export const minioPublicMetricsEnv = [{ name: "MINIO_PROMETHEUS_AUTH_TYPE", value: "public" }] as const;

export interface MonitorTarget {
  readonly kind: "ServiceMonitor" | "PodMonitor";
  readonly name: string;
  readonly namespace: string;
}

export class PlatformMonitors extends Construct {
  /** Every monitor created, by name (for tests and reports). */
  readonly targets: MonitorTarget[] = [];
  readonly elasticsearchExporter?: ElasticsearchExporter;
  private readonly from: string;
  private readonly deps: ITerraformDependable[];

  constructor(scope: Construct, id: string, props: PlatformMonitorsProps) {
    super(scope, id);
    this.from = props.monitoringNamespace ?? monitoringNamespace;
    this.deps = props.dependsOn ?? [];

    if (props.dremio) {
      const ns = props.dremio.namespace;
      const dremio = { "app.kubernetes.io/name": "dremio", "app.kubernetes.io/instance": "dremio" };
      // The headless `dremio-metrics` Service lists every coordinator and executor on :9010.
      this.serviceMonitor(
        "dremio",
        ns,
        { ...dremio, "app.kubernetes.io/component": "metrics" },
        { port: "metrics", path: "/metrics" },
      );
      this.admit("dremio", ns, dremio, [9010]);
      const zookeeper = { "app.kubernetes.io/name": "zookeeper", "app.kubernetes.io/instance": "zookeeper" };
      this.podMonitor("zookeeper", ns, zookeeper, { port: "metrics", path: "/metrics" });
      this.admit("zookeeper", ns, zookeeper, [7000]);
    }

    if (props.postgres) {
      const ns = props.postgres.namespace;
      const cluster = props.postgres.clusterName ?? "postgres";
      // CloudNativePG's exporter in every instance's manager (container port `metrics`, 9187).
      const instances = { "cnpg.io/cluster": cluster, "cnpg.io/podRole": "instance" };
      this.podMonitor("cnpg-instances", ns, instances, { port: "metrics" });
      this.admit("cnpg-instances", ns, instances, [9187]);
      if (props.postgres.pooler) {
        const poolers = { "cnpg.io/cluster": cluster, "cnpg.io/podRole": "pooler" };
        this.podMonitor("cnpg-poolers", ns, poolers, { port: "metrics" });
        this.admit("cnpg-poolers", ns, poolers, [9127]);
      }
    }

    if (props.minio) {
      const ns = props.minio.namespace;
      const pods = { "v1.min.io/tenant": props.minio.tenant ?? "minio" };
      const token = props.minio.bearerTokenSecret;
      // By number: the operator names the container port itself. Every server answers for the
      // whole cluster (series carry a `server` label): dashboards deduplicate with max by (server).
      this.podMonitor("minio", ns, pods, {
        targetPort: 9000,
        path: "/minio/v2/metrics/cluster",
        scheme: "http",
        ...(token ? { authorization: { type: "Bearer", credentials: { name: token.name, key: token.key } } } : {}),
      });
      this.admit("minio", ns, pods, [9000]);
    }

    if (props.elasticsearch) {
      const es = props.elasticsearch;
      const exporter = new ElasticsearchExporter(this, "elasticsearch-exporter", {
        namespace: es.namespace,
        clusterName: es.clusterName ?? "elasticsearch",
        image: es.exporterImage,
        dependsOn: this.deps,
      });
      this.elasticsearchExporter = exporter;
      this.podMonitor("elasticsearch", es.namespace, exporter.podLabels, {
        port: "http",
        path: "/metrics",
        scrapeTimeout: "25s",
        interval: "30s",
      });
      this.admit("elasticsearch-exporter", es.namespace, exporter.podLabels, [exporter.port]);
    }

    if (props.certManager) {
      const ns = props.certManager.namespace;
      const controller = {
        "app.kubernetes.io/name": "cert-manager",
        "app.kubernetes.io/instance": "cert-manager",
        "app.kubernetes.io/component": "controller",
      };
      this.podMonitor("cert-manager", ns, controller, { port: "http-metrics", path: "/metrics" });
      this.admit("cert-manager", ns, controller, [9402]);
    }

    if (props.externalSecrets) {
      const ns = props.externalSecrets.namespace;
      const controller = {
        "app.kubernetes.io/name": "external-secrets",
        "app.kubernetes.io/instance": "external-secrets",
      };
      this.podMonitor("external-secrets", ns, controller, { port: "metrics", path: "/metrics" });
      this.admit("external-secrets", ns, controller, [8080]);
    }

    if (props.karpenter) {
      const ns = props.karpenter.namespace;
      const controller = { "app.kubernetes.io/name": "karpenter", "app.kubernetes.io/instance": "karpenter" };
      this.podMonitor("karpenter", ns, controller, { port: "http-metrics", path: "/metrics" });
      this.admit("karpenter", ns, controller, [8080]);
    }
  }

  private serviceMonitor(name: string, namespace: string, serviceLabels: Labels, endpoint: ScrapeEndpoint): Manifest {
    this.targets.push({ kind: "ServiceMonitor", name, namespace });
    return typedManifest(this, `sm-${name}`, {
      manifest: {
        apiVersion: "monitoring.coreos.com/v1",
        kind: "ServiceMonitor",
        metadata: { name, namespace, labels: { ...monitorSelectorLabels } },
        spec: {
          selector: { matchLabels: { ...serviceLabels } },
          namespaceSelector: { matchNames: [namespace] },
          endpoints: [{ interval: "30s", ...endpoint }],
        },
      },
      dependsOn: this.deps,
    });
  }

  private podMonitor(name: string, namespace: string, podLabels: Labels, endpoint: ScrapeEndpoint): Manifest {
    this.targets.push({ kind: "PodMonitor", name, namespace });
    return typedManifest(this, `pm-${name}`, {
      manifest: {
        apiVersion: "monitoring.coreos.com/v1",
        kind: "PodMonitor",
        metadata: { name, namespace, labels: { ...monitorSelectorLabels } },
        spec: {
          selector: { matchLabels: { ...podLabels } },
          namespaceSelector: { matchNames: [namespace] },
          podMetricsEndpoints: [{ interval: "30s", ...endpoint }],
        },
      },
      dependsOn: this.deps,
    });
  }

  private admit(name: string, namespace: string, podLabels: Labels, ports: number[]): void {
    allowScrape(this, `np-${name}`, {
      name: `allow-prometheus-${name}`,
      namespace,
      podLabels,
      ports,
      fromNamespace: this.from,
      dependsOn: this.deps,
    });
  }
}
