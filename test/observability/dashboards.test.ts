import { describe, expect, it } from "vitest";
import { dashboard } from "../../constructs/k8s/observability/dashboards";
import { PlatformDashboards } from "../../constructs/k8s/observability/platform-dashboards";
import { resources } from "../helpers";
import { synthK8s } from "../k8s/helpers";

function synth(props?: ConstructorParameters<typeof PlatformDashboards>[2]) {
  const stack = synthK8s((scope) => new PlatformDashboards(scope, "dashboards", props));
  const maps = resources(stack, "kubernetes_config_map_v1");
  const parsed = Object.fromEntries(
    maps.map((configMap) => {
      const [[file, text]] = Object.entries(configMap.data as Record<string, string>);
      return [file.replace(/\.json$/, ""), { map: configMap, json: JSON.parse(text) }];
    }),
  );
  return { maps, parsed };
}
const titles = (board: any) => board.panels.map((panel: any) => panel.title);
const exprs = (board: any, title: string) =>
  board.panels.find((panel: any) => panel.title === title).targets.map((target: any) => target.expr);

describe("PlatformDashboards", () => {
  const { maps, parsed } = synth();

  it("ships one ConfigMap per dashboard, labelled for Grafana's sidecar", () => {
    expect(Object.keys(parsed).sort()).toEqual(["airbyte", "dremio", "minio", "postgresql"]);
    for (const configMap of maps) {
      expect(configMap.metadata.namespace).toBe("monitoring");
      expect(configMap.metadata.labels.grafana_dashboard).toBe("1");
    }
  });

  it("every dashboard parses as JSON with unique ids, the Prometheus data source and laid-out panels", () => {
    for (const [name, { json }] of Object.entries(parsed)) {
      expect(json.uid, name).toBe(`odp-${name}`);
      const ids = json.panels.map((panel: any) => panel.id);
      expect(new Set(ids).size, name).toBe(ids.length);
      for (const panel of json.panels.filter((each: any) => each.type !== "text")) {
        expect(panel.datasource, `${name}/${panel.title}`).toEqual({ type: "prometheus", uid: "prometheus" });
        expect(panel.targets.length, `${name}/${panel.title}`).toBeGreaterThan(0);
        expect(panel.gridPos.x + panel.gridPos.w, `${name}/${panel.title}`).toBeLessThanOrEqual(24);
      }
    }
  });

  it("Airbyte: sync success rate, records synced, sync duration", () => {
    const board = parsed.airbyte.json;
    expect(titles(board)).toEqual(
      expect.arrayContaining(["Sync success rate", "Records synced (data moved, GB)", "Sync duration"]),
    );
    expect(exprs(board, "Sync success rate")[0]).toBe(
      'sum(increase(airbyte_syncs_total{status="success"}[24h])) / sum(increase(airbyte_syncs_total[24h]))',
    );
    expect(exprs(board, "Sync duration")[0]).toContain("airbyte_syncs_duration");
    expect(exprs(board, "Records synced (data moved, GB)")[0]).toContain("airbyte_gb_moved");
  });

  it("Dremio: query count, query duration, reflection freshness", () => {
    const board = parsed.dremio.json;
    expect(titles(board)).toEqual(expect.arrayContaining(["Query count", "Query duration", "Reflection freshness"]));
    expect(exprs(board, "Query count")[0]).toContain("rate(jobs_total[5m])");
    expect(exprs(board, "Query duration")[0]).toBe(
      "sum(rate(jobs_long_running_sum[5m])) / sum(rate(jobs_long_running_count[5m]))",
    );
    expect(exprs(board, "Reflection freshness")).toContain("max(reflections_failed)");
  });

  it("PostgreSQL: connections, transaction rate, cache hit ratio from CloudNativePG's exporter", () => {
    const board = parsed.postgresql.json;
    expect(titles(board)).toEqual(expect.arrayContaining(["Connections", "Transaction rate", "Cache hit ratio"]));
    expect(exprs(board, "Connections")[0]).toContain("cnpg_backends_total");
    expect(exprs(board, "Transaction rate")[0]).toContain("cnpg_pg_stat_database_xact_commit");
    const hit = exprs(board, "Cache hit ratio")[0];
    expect(hit).toContain("cnpg_pg_stat_database_blks_hit");
    expect(hit).toContain("cnpg_pg_stat_database_blks_read");
  });

  it("MinIO: request rate, bandwidth, error rate, deduplicated per server", () => {
    const board = parsed.minio.json;
    expect(titles(board)).toEqual(expect.arrayContaining(["Request rate", "Bandwidth", "Error rate"]));
    expect(exprs(board, "Request rate")[0]).toBe(
      "sum by (api) (max by (server, api) (rate(minio_s3_requests_total[5m])))",
    );
    expect(exprs(board, "Bandwidth").join(" ")).toMatch(/minio_s3_traffic_received_bytes.*minio_s3_traffic_sent_bytes/);
    expect(exprs(board, "Error rate")[0]).toContain("minio_s3_requests_5xx_errors_total");
  });

  it("leaves out dashboards of services an environment does not run", () => {
    const aws = synth({ include: ["airbyte", "dremio"] });
    expect(Object.keys(aws.parsed).sort()).toEqual(["airbyte", "dremio"]);
    expect(aws.parsed.minio).toBeUndefined();
  });

  it("wraps panels onto the next row when a row is full", () => {
    const board = dashboard("x", "x", "x", [
      { title: "a", width: 16 },
      { title: "b", width: 16 },
      { title: "c", width: 8 },
    ]);
    expect(board.panels.map((panel: any) => [panel.gridPos.x, panel.gridPos.y])).toEqual([
      [0, 0],
      [0, 8],
      [16, 8],
    ]);
  });
});
