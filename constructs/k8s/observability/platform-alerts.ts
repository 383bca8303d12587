// Alert rules for the platform's services and for the cluster hygiene that endangers them
// (expiring certificates, filling volumes, crash loops), as one PrometheusRule that Prometheus
// selects by the monitoring label.
import type { Manifest } from "@cdktf/provider-kubernetes/lib/manifest";
import type { ITerraformDependable } from "cdktf";
import { Construct } from "constructs";
import { typedManifest } from "../manifest-types";
import { assertNoTemplateSequences } from "../../../lib/terraform-text";
import { monitoringNamespace, monitorSelectorLabels } from "./monitoring";

export interface AlertThresholds {
  /** Failed share of Airbyte syncs over an hour. */
  readonly airbyteSyncFailureRatio: number;
  /** Longest acceptable Airbyte sync, seconds. */
  readonly airbyteSyncDurationSeconds: number;
  /** Failed share of Dremio queries over 15 minutes. */
  readonly dremioQueryFailureRatio: number;
  /** Mean Dremio query time over 15 minutes, milliseconds. */
  readonly dremioMeanQueryMs: number;
  /** Share of max_connections in use. */
  readonly postgresConnectionRatio: number;
  /** Buffer cache hit ratio below which reads go to disk too often. */
  readonly postgresCacheHitRatio: number;
  /** Streaming replica lag, seconds. */
  readonly postgresReplicaLagSeconds: number;
  /** Share of MinIO S3 requests answered with a 5xx. */
  readonly minioErrorRatio: number;
  /** Share of usable MinIO capacity still free. */
  readonly minioFreeCapacityRatio: number;
  /** S3 replication latency, seconds: the recovery point objective (15 minutes). */
  readonly s3ReplicationLatencySeconds: number;
  readonly certificateExpiryDays: number;
  /** Used share of a persistent volume. */
  readonly pvcFillRatio: number;
  /** Container restarts within 15 minutes. */
  readonly crashLoopRestarts: number;
}

export const defaultAlertThresholds: AlertThresholds = {
  airbyteSyncFailureRatio: 0.1,
  airbyteSyncDurationSeconds: 6 * 3600,
  dremioQueryFailureRatio: 0.1,
  dremioMeanQueryMs: 30_000,
  postgresConnectionRatio: 0.8,
  postgresCacheHitRatio: 0.95,
  postgresReplicaLagSeconds: 60,
  minioErrorRatio: 0.05,
  minioFreeCapacityRatio: 0.1,
  s3ReplicationLatencySeconds: 15 * 60,
  certificateExpiryDays: 14,
  pvcFillRatio: 0.85,
  crashLoopRestarts: 3,
};

export interface PlatformAlertsProps {
  /** Namespace of the PrometheusRule. @default monitoring (`monitoringNamespace`) */
  readonly namespace?: string;
  /** Thresholds that override the defaults. @default `defaultAlertThresholds`, per field */
  readonly thresholds?: Partial<AlertThresholds>;
  /** Rule groups of the components this environment runs; the cluster group is always on.
   *  @default false: no Airbyte rules */
  readonly airbyte?: boolean;
  /** Dremio's namespace, for its rule group. @default none: no Dremio rules */
  readonly dremio?: { readonly namespace: string };
  /** CloudNativePG (plain clusters). RDS metrics live in CloudWatch: its alarms (connections,
   *  ReplicaLag of the DR read replica, free storage) belong to the AWS foundation.
   *  @default false: no PostgreSQL rules */
  readonly postgres?: boolean;
  /** MinIO tenant rules. @default false: no MinIO rules */
  readonly minio?: boolean;
  /** Elasticsearch cluster rules. @default false: no Elasticsearch rules */
  readonly elasticsearch?: boolean;
  /** Fluent Bit output failures (LogShipping). @default false: no log-shipping rules */
  readonly logShipping?: boolean;
  /**
   * S3 Replication Time Control reports ReplicationLatency to CloudWatch only. Without a
   * CloudWatch exporter in the cluster the RPO alarm is a CloudWatch alarm the AWS foundation owns
   * (AWS/S3 ReplicationLatency > 900 s, OperationsFailedReplication > 0, per rule). Give the
   * exporter's series name here (e.g. YACE's aws_s3_replication_latency_maximum) to alert from
   * Prometheus as well.
   * @default none: replication latency is alarmed in CloudWatch only
   */
  readonly s3ReplicationLatencyMetric?: string;
  /** What the PrometheusRule waits for (the operator's CRDs). @default none */
  readonly dependsOn?: ITerraformDependable[];
}

export interface AlertRule {
  readonly alert: string;
  readonly expr: string;
  readonly for: string;
  readonly labels: { readonly severity: "critical" | "warning" };
  readonly annotations: { readonly summary: string; readonly description: string; readonly runbook: string };
}

export interface RuleGroup {
  readonly name: string;
  readonly rules: readonly AlertRule[];
}

function rule(
  alert: string,
  expr: string,
  forDuration: string,
  severity: "critical" | "warning",
  summary: string,
  description: string,
  runbook: string,
): AlertRule {
  return { alert, expr, for: forDuration, labels: { severity }, annotations: { summary, description, runbook } };
}

/** The rule groups, as data: tests and reports read them without synthesizing. */
export function platformRuleGroups(props: PlatformAlertsProps = {}): RuleGroup[] {
  const thresholds = { ...defaultAlertThresholds, ...props.thresholds };
  const groups: RuleGroup[] = [];

  if (props.airbyte) {
    const syncs = (sel = "") => `sum(increase(airbyte_syncs_total${sel}[1h]))`;
    groups.push({
      name: "platform.airbyte",
      rules: [
        rule(
          "AirbyteSyncFailureRateHigh",
          `${syncs('{status="failed"}')} / ${syncs()} > ${thresholds.airbyteSyncFailureRatio}`,
          "15m",
          "warning",
          "Airbyte syncs are failing",
          `{{ $value | humanizePercentage }} of Airbyte syncs failed in the last hour (threshold ${pct(thresholds.airbyteSyncFailureRatio)}).`,
          "Open the failed connections' job logs in the Airbyte UI; check source/destination credentials and the worker pods in the airbyte namespace (kubectl -n airbyte get pods).",
        ),
        rule(
          "AirbyteSyncTooLong",
          `max by (connection_id) (airbyte_syncs_duration) > ${thresholds.airbyteSyncDurationSeconds}`,
          "5m",
          "warning",
          "An Airbyte sync ran unusually long",
          `Connection {{ $labels.connection_id }} took {{ $value | humanizeDuration }} (threshold ${thresholds.airbyteSyncDurationSeconds}s).`,
          "Compare records and bytes with earlier runs of the connection; look for throttling at the source and for pending worker pods (node capacity).",
        ),
      ],
    });
  }

  if (props.dremio) {
    const ns = props.dremio.namespace;
    groups.push({
      name: "platform.dremio",
      rules: [
        rule(
          "DremioNodeDown",
          `up{namespace="${ns}", service="dremio-metrics"} == 0`,
          "5m",
          "critical",
          "A Dremio node is not answering",
          "{{ $labels.pod }} has not served metrics for 5 minutes.",
          `kubectl -n ${ns} describe pod {{ $labels.pod }}; check its logs (OOM, ZooKeeper session loss) and the ZooKeeper ensemble (kubectl -n ${ns} get pods -l app.kubernetes.io/name=zookeeper).`,
        ),
        rule(
          "DremioQueryFailureRateHigh",
          `sum(rate(jobs_failed_total[15m])) / sum(rate(jobs_total[15m])) > ${thresholds.dremioQueryFailureRatio} and sum(rate(jobs_total[15m])) > 0.01`,
          "15m",
          "warning",
          "Dremio queries are failing",
          `{{ $value | humanizePercentage }} of Dremio queries failed over 15 minutes (threshold ${pct(thresholds.dremioQueryFailureRatio)}).`,
          "Jobs page in the Dremio UI, filtered on failed jobs: source errors point at the lake's credentials, planning errors at changed datasets, out-of-memory at executor sizing.",
        ),
        rule(
          "DremioQueriesSlow",
          `sum(rate(jobs_long_running_sum[15m])) / sum(rate(jobs_long_running_count[15m])) > ${thresholds.dremioMeanQueryMs}`,
          "15m",
          "warning",
          "Dremio queries are slow",
          `Mean query time is {{ $value | humanize }} ms over 15 minutes (threshold ${thresholds.dremioMeanQueryMs} ms).`,
          "Check queued jobs and executor CPU/memory (Dremio dashboard); the executor autoscaler's maximum may be reached; check reflections that stopped refreshing.",
        ),
        rule(
          "DremioReflectionsFailed",
          "max(reflections_failed) > 0",
          "30m",
          "warning",
          "Dremio reflections are stale",
          "{{ $value }} reflections failed to refresh: accelerated queries read stale data or fall back to raw scans.",
          "Settings > Reflections in the Dremio UI: read last_failure_message in sys.reflections, fix the source, then refresh the reflection.",
        ),
      ],
    });
  }

  if (props.postgres) {
    const db = (metric: string) => `sum(rate(cnpg_pg_stat_database_${metric}[15m]))`;
    groups.push({
      name: "platform.postgresql",
      rules: [
        rule(
          "PostgresInstanceDown",
          "cnpg_collector_up == 0",
          "5m",
          "critical",
          "A PostgreSQL instance is down",
          "The exporter of {{ $labels.pod }} cannot reach PostgreSQL.",
          "kubectl cnpg status <cluster> -n <namespace>; check the instance's logs and volume; CloudNativePG fails over to a replica on its own when the primary is lost.",
        ),
        rule(
          "PostgresConnectionsHigh",
          `sum by (pod) (cnpg_backends_total) / on (pod) max by (pod) (cnpg_pg_settings_setting{name="max_connections"}) > ${thresholds.postgresConnectionRatio}`,
          "10m",
          "warning",
          "PostgreSQL is running out of connections",
          `{{ $labels.pod }} uses {{ $value | humanizePercentage }} of max_connections (threshold ${pct(thresholds.postgresConnectionRatio)}).`,
          "Find the holders in pg_stat_activity (by application_name); idle-in-transaction sessions point at a leaking client; route applications through the PgBouncer pooler.",
        ),
        rule(
          "PostgresCacheHitRatioLow",
          `${db("blks_hit")} / (${db("blks_hit")} + ${db("blks_read")}) < ${thresholds.postgresCacheHitRatio} and ${db("blks_read")} > 10`,
          "30m",
          "warning",
          "PostgreSQL reads from disk too often",
          `Buffer cache hit ratio is {{ $value | humanizePercentage }} (threshold ${pct(thresholds.postgresCacheHitRatio)}).`,
          "Look for sequential scans of large tables (pg_stat_user_tables) and missing indexes; otherwise give the instances more memory (shared_buffers follows it).",
        ),
        rule(
          "PostgresReplicaLagHigh",
          `max by (pod) (cnpg_pg_replication_lag) > ${thresholds.postgresReplicaLagSeconds}`,
          "5m",
          "critical",
          "A PostgreSQL replica is lagging",
          `{{ $labels.pod }} is {{ $value | humanizeDuration }} behind the primary (threshold ${thresholds.postgresReplicaLagSeconds}s): a failover now would lose that much.`,
          "Check the replica's WAL receiver (pg_stat_wal_receiver), its disk and network; a long-running query on the replica can hold replay back.",
        ),
      ],
    });
  }

  if (props.minio) {
    const perServer = (metric: string) => `sum(max by (server) (rate(${metric}[10m])))`;
    groups.push({
      name: "platform.minio",
      rules: [
        rule(
          "MinioErrorRateHigh",
          `${perServer("minio_s3_requests_5xx_errors_total")} / ${perServer("minio_s3_requests_total")} > ${thresholds.minioErrorRatio}`,
          "10m",
          "warning",
          "MinIO answers with server errors",
          `{{ $value | humanizePercentage }} of S3 requests failed with a 5xx (threshold ${pct(thresholds.minioErrorRatio)}).`,
          "kubectl -n minio logs -l v1.min.io/tenant=minio; check drives and erasure-set health (mc admin info).",
        ),
        rule(
          "MinioNodesOffline",
          "max(minio_cluster_nodes_offline_total) > 0",
          "5m",
          "critical",
          "A MinIO server is offline",
          "{{ $value }} MinIO servers are offline: the erasure parity left is smaller.",
          "kubectl -n minio get pods; a pending pod usually waits for its volume's node.",
        ),
        rule(
          "MinioDrivesOffline",
          "max(minio_cluster_drive_offline_total) > 0",
          "5m",
          "warning",
          "A MinIO drive is offline",
          "{{ $value }} drives are offline.",
          "mc admin info shows the drive; check its PVC and node.",
        ),
        rule(
          "MinioCapacityLow",
          `max(minio_cluster_capacity_usable_free_bytes) / max(minio_cluster_capacity_usable_total_bytes) < ${thresholds.minioFreeCapacityRatio}`,
          "30m",
          "warning",
          "MinIO is running out of space",
          `Only {{ $value | humanizePercentage }} of usable capacity is free (threshold ${pct(thresholds.minioFreeCapacityRatio)}).`,
          "Expire old objects (lifecycle rules) or add a server pool; volumes of a pool cannot grow.",
        ),
      ],
    });
  }

  if (props.s3ReplicationLatencyMetric) {
    groups.push({
      name: "platform.s3-replication",
      rules: [
        rule(
          "S3ReplicationLatencyAboveRpo",
          `max by (bucket) (${props.s3ReplicationLatencyMetric}) > ${thresholds.s3ReplicationLatencySeconds}`,
          "15m",
          "critical",
          "S3 replication is behind the recovery point objective",
          `Objects of {{ $labels.bucket }} reach the DR region {{ $value | humanizeDuration }} late (RPO ${thresholds.s3ReplicationLatencySeconds}s).`,
          "S3 console > bucket > Metrics > Replication: OperationsFailedReplication points at KMS or IAM on the DR side; a backlog after a large load drains on its own.",
        ),
      ],
    });
  }

  if (props.elasticsearch) {
    groups.push({
      name: "platform.elasticsearch",
      rules: [
        rule(
          "ElasticsearchClusterRed",
          'max(elasticsearch_cluster_health_status{color="red"}) == 1',
          "5m",
          "critical",
          "Elasticsearch has unassigned primary shards",
          "The cluster is red: some indices cannot be written or searched.",
          "GET _cluster/allocation/explain; usually a full disk (watermarks) or a lost node; restore from the daily snapshot if a primary is gone for good.",
        ),
        rule(
          "ElasticsearchClusterYellow",
          'max(elasticsearch_cluster_health_status{color="yellow"}) == 1',
          "30m",
          "warning",
          "Elasticsearch has unassigned replicas",
          "The cluster has been yellow for 30 minutes: one more node loss may lose data.",
          "GET _cluster/allocation/explain; single-node clusters stay yellow with replicas > 0.",
        ),
        rule(
          "ElasticsearchExporterFailing",
          "max(elasticsearch_cluster_health_up) < 1",
          "15m",
          "warning",
          "Elasticsearch health cannot be read",
          "The exporter has not read cluster health for 15 minutes.",
          "kubectl -n elastic logs deploy/elasticsearch-exporter: TLS or credential errors follow a changed ECK secret.",
        ),
      ],
    });
  }

  if (props.logShipping) {
    groups.push({
      name: "platform.logging",
      rules: [
        rule(
          "LogShippingFailing",
          "sum by (pod) (increase(fluentbit_output_retries_failed_total[15m])) > 0",
          "15m",
          "warning",
          "Fluent Bit drops log records",
          "{{ $labels.pod }} gave up on chunks after retries: logs are lost.",
          "kubectl -n logging logs {{ $labels.pod }}: rejected documents point at mapping conflicts, connection errors at Elasticsearch or its credentials.",
        ),
      ],
    });
  }

  groups.push({
    name: "platform.cluster",
    rules: [
      rule(
        "CertificateExpiringSoon",
        `certmanager_certificate_expiration_timestamp_seconds - time() < ${thresholds.certificateExpiryDays} * 86400`,
        "1h",
        "warning",
        "A certificate expires soon",
        `Certificate {{ $labels.namespace }}/{{ $labels.name }} expires in {{ $value | humanizeDuration }} (threshold ${thresholds.certificateExpiryDays} days); cert-manager renews 30 days ahead, so renewal is failing.`,
        "kubectl -n {{ $labels.namespace }} describe certificate {{ $labels.name }} and its CertificateRequest; check the issuer (ACME challenges need egress and DNS).",
      ),
      rule(
        "PersistentVolumeFillingUp",
        `kubelet_volume_stats_used_bytes / kubelet_volume_stats_capacity_bytes > ${thresholds.pvcFillRatio}`,
        "15m",
        "warning",
        "A persistent volume is filling up",
        `{{ $labels.namespace }}/{{ $labels.persistentvolumeclaim }} is {{ $value | humanizePercentage }} full (threshold ${pct(thresholds.pvcFillRatio)}).`,
        "Grow the claim (storage classes allow expansion) through the workload's size in configuration, or shorten retention (Prometheus, Elasticsearch ILM).",
      ),
      rule(
        "PodCrashLooping",
        `increase(kube_pod_container_status_restarts_total[15m]) > ${thresholds.crashLoopRestarts}`,
        "5m",
        "warning",
        "A container keeps restarting",
        `{{ $labels.namespace }}/{{ $labels.pod }} ({{ $labels.container }}) restarted {{ $value | humanize }} times in 15 minutes (threshold ${thresholds.crashLoopRestarts}).`,
        "kubectl -n {{ $labels.namespace }} logs {{ $labels.pod }} -c {{ $labels.container }} --previous; OOMKilled in describe means the memory limit is too small.",
      ),
    ],
  });
  return groups;
}

/** The platform's alert rules as one PrometheusRule in the monitoring namespace. */
export class PlatformAlerts extends Construct {
  readonly groups: RuleGroup[];
  readonly manifest: Manifest;

  constructor(scope: Construct, id: string, props: PlatformAlertsProps = {}) {
    super(scope, id);
    this.groups = platformRuleGroups(props);
    assertNoTemplateSequences(this.groups, "platform alert rules");
    this.manifest = typedManifest(this, "rules", {
      manifest: {
        apiVersion: "monitoring.coreos.com/v1",
        kind: "PrometheusRule",
        metadata: {
          name: "platform-alerts",
          namespace: props.namespace ?? monitoringNamespace,
          labels: { ...monitorSelectorLabels },
        },
        spec: {
          groups: this.groups.map((group) => ({
            name: group.name,
            rules: group.rules.map((alertRule) => ({ ...alertRule })),
          })),
        },
      },
      dependsOn: props.dependsOn,
    });
  }
}

function pct(ratio: number): string {
  return `${Math.round(ratio * 1000) / 10}%`;
}
