import { describe, expect, it } from "vitest";
import { HelmChart } from "../constructs/k8s/helm-chart";
import { loadDefaults, unknownKeys } from "./chart-keys";
import { buildApp } from "./helpers";

const charts = buildApp()
  .node.findAll()
  .filter((c): c is HelmChart => c instanceof HelmChart);

describe("Helm values match the pinned charts", () => {
  it("finds the releases", () => {
    expect(charts.length).toBeGreaterThan(0);
  });

  for (const c of charts) {
    const src = c.source;
    it(`${c.node.path}: ${src.chart}@${src.version}`, () => {
      const defaults = loadDefaults(src.chart, src.version);
      expect(defaults, `record the defaults of ${src.chart} ${src.version} in test/fixtures/chart-values/ (scripts/refresh-chart-values.sh)`).toBeDefined();
      expect(unknownKeys(c.values, defaults!)).toEqual([]);
    });
  }

  it("treats a subchart's section as open, never the chart's own sections", () => {
    const defaults = loadDefaults("kube-prometheus-stack", "88.5.3")!;
    expect(unknownKeys({ grafana: { anyKey: 1 }, prometheus: { typo: 1 } }, defaults)).toEqual(["prometheus.typo"]);
  });

  it("can fail: an unknown key is reported with its path", () => {
    const defaults = loadDefaults("cert-manager", "v1.21.1")!;
    expect(unknownKeys({ replicaCount: 2, webhook: { replicas: 2 }, podLabels: { any: "x" } }, defaults)).toEqual(["webhook.replicas"]);
  });
});
