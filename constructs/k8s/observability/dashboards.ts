// Grafana dashboards as code: plain objects in Grafana's dashboard JSON model, one builder per
// product. Every query names the metrics it reads; where a product publishes them is noted.
import { prometheusDatasourceUid } from "./monitoring";

export interface PanelTarget {
  readonly expr: string;
  readonly legend?: string;
}

export interface PanelSpec {
  readonly title: string;
  readonly description?: string;
  readonly type?: "timeseries" | "stat" | "text";
  /** Grafana unit id: percentunit, s, ms, bytes, Bps, reqps, ops, short... */
  readonly unit?: string;
  readonly targets?: readonly PanelTarget[];
  /** Markdown, for text panels. */
  readonly content?: string;
  /** Absolute thresholds: [value, color] after the base green. */
  readonly thresholds?: readonly (readonly [number, string])[];
  /** Grid width (24 columns); default 12. */
  readonly width?: number;
  readonly height?: number;
}

type Datasource = { readonly type: string; readonly uid: string };
/** The fields of Grafana's dashboard JSON model (schemaVersion 39) that these panels set. */
export interface Panel {
  readonly id: number;
  readonly type: NonNullable<PanelSpec["type"]>;
  readonly title: string;
  readonly description?: string;
  readonly datasource?: Datasource;
  readonly gridPos: { readonly x: number; readonly y: number; readonly w: number; readonly h: number };
  readonly targets?: readonly {
    readonly refId: string;
    readonly datasource: Datasource;
    readonly expr: string;
    readonly legendFormat: string;
    readonly range: boolean;
  }[];
  readonly fieldConfig?: {
    readonly defaults: {
      readonly unit: string;
      readonly thresholds: {
        readonly mode: "absolute" | "percentage";
        readonly steps: readonly { readonly color: string; readonly value: number | null }[];
      };
    };
    readonly overrides: readonly never[];
  };
  readonly options:
    | { readonly mode: "markdown"; readonly content: string }
    | {
        readonly reduceOptions: {
          readonly calcs: readonly string[];
          readonly fields: string;
          readonly values: boolean;
        };
        readonly colorMode: string;
        readonly graphMode: string;
      }
    | {
        readonly legend: { readonly displayMode: string; readonly placement: string };
        readonly tooltip: { readonly mode: string };
      };
}

export interface Dashboard {
  readonly uid: string;
  readonly title: string;
  readonly description: string;
  readonly tags: readonly string[];
  readonly editable: boolean;
  readonly schemaVersion: number;
  readonly timezone: string;
  readonly refresh: string;
  readonly time: { readonly from: string; readonly to: string };
  readonly templating: { readonly list: readonly never[] };
  readonly annotations: { readonly list: readonly never[] };
  readonly panels: readonly Panel[];
}

const datasource = { type: "prometheus", uid: prometheusDatasourceUid };

/** Lays the panels out left to right, top to bottom, and fills in Grafana's boilerplate. */
export function dashboard(uid: string, title: string, description: string, panels: readonly PanelSpec[]): Dashboard {
  let column = 0;
  let row = 0;
  let rowHeight = 0;
  const built = panels.map((panel, i): Panel => {
    const width = panel.width ?? 12;
    const height = panel.height ?? 8;
    if (column + width > 24) {
      column = 0;
      row += rowHeight;
      rowHeight = 0;
    }
    const gridPos = { x: column, y: row, w: width, h: height };
    column += width;
    rowHeight = Math.max(rowHeight, height);
    const type = panel.type ?? "timeseries";
    if (type === "text") {
      return {
        id: i + 1,
        type,
        title: panel.title,
        gridPos,
        options: { mode: "markdown", content: panel.content ?? "" },
      };
    }
    return {
      id: i + 1,
      type,
      title: panel.title,
      ...(panel.description ? { description: panel.description } : {}),
      datasource,
      gridPos,
      targets: (panel.targets ?? []).map((target, j) => ({
        refId: String.fromCharCode(65 + j),
        datasource,
        expr: target.expr,
        legendFormat: target.legend ?? "__auto",
        range: true,
      })),
      fieldConfig: {
        defaults: {
          unit: panel.unit ?? "short",
          thresholds: {
            mode: "absolute",
            steps: [
              { color: "green", value: null },
              ...(panel.thresholds ?? []).map(([value, color]) => ({ color, value })),
            ],
          },
        },
        overrides: [],
      },
      options:
        type === "stat"
          ? {
              reduceOptions: { calcs: ["lastNotNull"], fields: "", values: false },
              colorMode: "value",
              graphMode: "area",
            }
          : { legend: { displayMode: "list", placement: "bottom" }, tooltip: { mode: "multi" } },
    };
  });
  return {
    uid,
    title,
    description,
    tags: ["open-data-platform"],
    editable: false,
    schemaVersion: 39,
    timezone: "utc",
    refresh: "1m",
    time: { from: "now-24h", to: "now" },
    templating: { list: [] },
    annotations: { list: [] },
    panels: built,
  };
}

/**
 * Airbyte 2.2 publishes metrics only over OTLP (no scrape endpoint): `global.metrics.otlp` pointed at
 * Prometheus' OTLP receiver (`prometheusOtlpMetricsUrl`). Its public metrics, per Airbyte's
 * OpenTelemetry guide and OssMetricsRegistry, are `airbyte.syncs` (counter, attribute `status`),
 * `airbyte.syncs_duration` (gauge, seconds), `airbyte.gb_moved` (gauge) and `airbyte.api_requests`;
 * Prometheus stores them as airbyte_syncs_total, airbyte_syncs_duration, airbyte_gb_moved. The
 * Community edition's meter filter drops every metric: with it these panels stay empty.
 * Airbyte publishes no record count: "Records synced" shows the data volume moved.
 */
export function airbyteDashboard(): Dashboard {
  const syncs = (status?: string) => `airbyte_syncs_total${status ? `{status="${status}"}` : ""}`;
  return dashboard(
    "odp-airbyte",
    "Airbyte syncs",
    "Sync outcomes, volumes and durations (OTLP metrics; Self-Managed Enterprise only).",
    [
      {
        title: "About these metrics",
        type: "text",
        width: 24,
        height: 3,
        content:
          "Airbyte pushes `airbyte.syncs`, `airbyte.syncs_duration` and `airbyte.gb_moved` over OTLP to Prometheus. " +
          "Only the Self-Managed Enterprise edition emits them; on the Community edition these panels stay empty " +
          "and the job history lives in Airbyte's database (`jobs`, `attempts`, `sync_stats`).",
      },
      {
        title: "Sync success rate",
        type: "stat",
        unit: "percentunit",
        description: "Successful syncs over all finished syncs, last 24 hours.",
        targets: [
          { expr: `sum(increase(${syncs("success")}[24h])) / sum(increase(${syncs()}[24h]))`, legend: "success rate" },
        ],
        thresholds: [
          [0, "red"],
          [0.9, "orange"],
          [0.98, "green"],
        ],
      },
      {
        title: "Syncs by status",
        unit: "short",
        targets: [{ expr: `sum by (status) (increase(${syncs()}[1h]))`, legend: "{{status}}" }],
      },
      {
        title: "Records synced (data moved, GB)",
        unit: "decgbytes",
        description: "Airbyte publishes the volume of each sync (airbyte.gb_moved), not a record count.",
        targets: [
          { expr: "sum by (connection_id) (max_over_time(airbyte_gb_moved[1h]))", legend: "{{connection_id}}" },
        ],
      },
      {
        title: "Sync duration",
        unit: "s",
        description: "Duration of the last sync of each connection.",
        targets: [
          { expr: "max by (connection_id) (max_over_time(airbyte_syncs_duration[1h]))", legend: "{{connection_id}}" },
        ],
      },
    ],
  );
}

/**
 * Dremio 26 serves Micrometer metrics on :9010/metrics on every node: jobs_total (by
 * workload_type), jobs_failed_total, jobs_active, jobs_long_running (a summary of query times in
 * ms: _count, _sum, _max) and the reflection manager's gauges reflections_active,
 * reflections_refreshing, reflections_failed, reflections_unknown.
 */
export function dremioDashboard(): Dashboard {
  return dashboard("odp-dremio", "Dremio", "Query load, query times and the state of reflections.", [
    {
      title: "Query count",
      unit: "reqps",
      targets: [{ expr: "sum by (workload_type) (rate(jobs_total[5m]))", legend: "{{workload_type}}" }],
    },
    {
      title: "Failed queries",
      unit: "percentunit",
      targets: [{ expr: "sum(rate(jobs_failed_total[5m])) / sum(rate(jobs_total[5m]))", legend: "failed share" }],
      thresholds: [[0.05, "red"]],
    },
    {
      title: "Query duration",
      unit: "ms",
      targets: [
        { expr: "sum(rate(jobs_long_running_sum[5m])) / sum(rate(jobs_long_running_count[5m]))", legend: "mean" },
        { expr: "max(jobs_long_running_max)", legend: "max" },
      ],
    },
    { title: "Active queries", unit: "short", targets: [{ expr: "sum(jobs_active)", legend: "active" }] },
    {
      title: "Reflection freshness",
      unit: "short",
      description:
        "Reflections by state: failed and unknown reflections no longer follow their sources; queries fall back to the raw data.",
      targets: [
        { expr: "max(reflections_active)", legend: "active" },
        { expr: "max(reflections_refreshing)", legend: "refreshing" },
        { expr: "max(reflections_failed)", legend: "failed" },
        { expr: "max(reflections_unknown)", legend: "unknown" },
      ],
    },
    {
      title: "Memory per node",
      unit: "bytes",
      targets: [
        {
          expr: 'sum by (pod) (container_memory_working_set_bytes{namespace="dremio", container=~"dremio-.*"})',
          legend: "{{pod}}",
        },
      ],
    },
  ]);
}

/** CloudNativePG's built-in exporter (default monitoring queries): cnpg_backends_total,
 *  cnpg_pg_stat_database_*, cnpg_pg_replication_lag, cnpg_pg_database_size_bytes. */
export function postgresDashboard(): Dashboard {
  const rate = (metric: string) => `sum(rate(cnpg_pg_stat_database_${metric}[5m]))`;
  return dashboard(
    "odp-postgresql",
    "PostgreSQL (CloudNativePG)",
    "Connections, transaction rate, cache hit ratio and replication of the in-cluster PostgreSQL.",
    [
      {
        title: "Connections",
        unit: "short",
        targets: [
          { expr: "sum by (pod) (cnpg_backends_total)", legend: "{{pod}}" },
          { expr: 'max(cnpg_pg_settings_setting{name="max_connections"})', legend: "max_connections" },
        ],
      },
      {
        title: "Transaction rate",
        unit: "ops",
        targets: [
          { expr: rate("xact_commit"), legend: "commits" },
          { expr: rate("xact_rollback"), legend: "rollbacks" },
        ],
      },
      {
        title: "Cache hit ratio",
        unit: "percentunit",
        targets: [{ expr: `${rate("blks_hit")} / (${rate("blks_hit")} + ${rate("blks_read")})`, legend: "hit ratio" }],
        thresholds: [
          [0, "red"],
          [0.9, "orange"],
          [0.99, "green"],
        ],
      },
      {
        title: "Replication lag",
        unit: "s",
        targets: [{ expr: "max by (pod) (cnpg_pg_replication_lag)", legend: "{{pod}}" }],
        thresholds: [[60, "red"]],
      },
      {
        title: "Database size",
        unit: "bytes",
        targets: [{ expr: "max by (datname) (cnpg_pg_database_size_bytes)", legend: "{{datname}}" }],
      },
      {
        title: "Deadlocks",
        unit: "short",
        targets: [{ expr: "sum by (datname) (increase(cnpg_pg_stat_database_deadlocks[1h]))", legend: "{{datname}}" }],
      },
    ],
  );
}

/** MinIO's v2 cluster metrics. Every server reports the whole cluster (series carry `server`),
 *  so queries take the max per server before summing: each scrape target sees the same data. */
export function minioDashboard(): Dashboard {
  const perServer = (metric: string, by = "") => `max by (server${by ? `, ${by}` : ""}) (rate(${metric}[5m]))`;
  return dashboard("odp-minio", "MinIO", "S3 request rate, bandwidth, errors and capacity of the MinIO tenant.", [
    {
      title: "Request rate",
      unit: "reqps",
      targets: [{ expr: `sum by (api) (${perServer("minio_s3_requests_total", "api")})`, legend: "{{api}}" }],
    },
    {
      title: "Bandwidth",
      unit: "Bps",
      targets: [
        { expr: `sum(${perServer("minio_s3_traffic_received_bytes")})`, legend: "received" },
        { expr: `sum(${perServer("minio_s3_traffic_sent_bytes")})`, legend: "sent" },
      ],
    },
    {
      title: "Error rate",
      unit: "percentunit",
      targets: [
        {
          expr: `sum(${perServer("minio_s3_requests_5xx_errors_total")}) / sum(${perServer("minio_s3_requests_total")})`,
          legend: "5xx",
        },
        {
          expr: `sum(${perServer("minio_s3_requests_4xx_errors_total")}) / sum(${perServer("minio_s3_requests_total")})`,
          legend: "4xx",
        },
      ],
      thresholds: [[0.05, "red"]],
    },
    {
      title: "Usable capacity free",
      unit: "percentunit",
      targets: [
        {
          expr: "max(minio_cluster_capacity_usable_free_bytes) / max(minio_cluster_capacity_usable_total_bytes)",
          legend: "free",
        },
      ],
      thresholds: [
        [0, "red"],
        [0.1, "orange"],
        [0.2, "green"],
      ],
    },
    {
      title: "Offline nodes and drives",
      unit: "short",
      targets: [
        { expr: "max(minio_cluster_nodes_offline_total)", legend: "nodes offline" },
        { expr: "max(minio_cluster_drive_offline_total)", legend: "drives offline" },
      ],
    },
  ]);
}

export const platformDashboards = {
  airbyte: airbyteDashboard,
  dremio: dremioDashboard,
  postgresql: postgresDashboard,
  minio: minioDashboard,
} as const;
export type PlatformDashboardName = keyof typeof platformDashboards;
