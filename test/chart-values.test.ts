import { describe, expect, it } from "vitest";
import { HelmChart } from "../constructs/k8s/helm-chart";
import { chartValuesAbsent, chartValuesDir, loadDefaults, unknownKeys, type ChartDefaults } from "./chart-keys";
import { buildApp } from "./helpers";

// The check itself, on a small chart written here: it must reject a misspelt key wherever it is.
const fixtureChart: ChartDefaults = {
  values: { replicaCount: 1, webhook: { replicaCount: 1, config: {} }, extraObjects: [] },
  documented: ["webhook.hostNetwork"],
  templateKeys: ["replicaCount", "webhook.replicaCount", "global.auth.secretName", "global.podSelector"],
};

describe("the values-keys check", () => {
  it("can fail: a misspelt key is reported with its path, at any depth", () => {
    const values = { replicaCont: 2, webhook: { replicas: 2, replicaCount: 2 }, global: { auth: { secretNme: "s" } } };
    expect(unknownKeys(values, fixtureChart)).toEqual(["replicaCont", "webhook.replicas", "global.auth.secretNme"]);
  });

  it("knows keys from the defaults, the comments and the templates; open maps stay open", () => {
    const values = {
      replicaCount: 2,
      podLabels: { any: "x" },
      webhook: { hostNetwork: true, config: { anything: 1 } },
      extraObjects: [{ kind: "ConfigMap" }],
      global: { auth: { secretName: "s" }, podSelector: { any: "x" } },
    };
    expect(unknownKeys(values, fixtureChart)).toEqual([]);
  });
});

const absent = chartValuesAbsent;
if (absent) console.warn(`Helm values checks against the pinned charts skipped: ${absent}`);

describe.skipIf(absent)("Helm values match the pinned charts", () => {
  const charts = absent
    ? []
    : buildApp()
        .node.findAll()
        .filter((construct): construct is HelmChart => construct instanceof HelmChart);

  it("finds the releases", () => {
    expect(charts.length).toBeGreaterThan(0);
  });

  for (const chart of charts) {
    const src = chart.source;
    it(`${chart.node.path}: ${src.chart}@${src.version}`, () => {
      const defaults = loadDefaults(src.chart, src.version);
      expect(
        defaults,
        `no defaults of ${src.chart} ${src.version} in ${chartValuesDir()} (scripts/refresh-chart-values.sh records them)`,
      ).toBeDefined();
      expect(unknownKeys(chart.values, defaults!)).toEqual([]);
    });
  }

  it("treats a subchart's section as open, never the chart's own sections", () => {
    const defaults = loadDefaults("kube-prometheus-stack", "88.5.3")!;
    expect(unknownKeys({ grafana: { anyKey: 1 }, prometheus: { typo: 1 } }, defaults)).toEqual(["prometheus.typo"]);
  });

  it("can fail: an unknown key is reported with its path", () => {
    const defaults = loadDefaults("cert-manager", "v1.21.1")!;
    expect(unknownKeys({ replicaCount: 2, webhook: { replicas: 2 }, podLabels: { any: "x" } }, defaults)).toEqual([
      "webhook.replicas",
    ]);
  });

  it("counts a key that only the templates read as known, and checks below it", () => {
    const defaults = loadDefaults("airbyte", "2.2.0")!;
    const values = {
      global: { auth: { secretName: "a" }, storage: { minio: { endpoint: "e", s3PathStyleAcess: true } } },
    };
    expect(unknownKeys(values, defaults)).toEqual(["global.storage.minio.s3PathStyleAcess"]);
  });
});
