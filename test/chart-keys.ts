// Checks that every key a Helm release sets exists in the pinned chart: in its default values, in
// the keys it documents only in comments, or among the paths its templates read. Free-form maps are
// open: their keys are the user's own. The chart data is read from the reference directory.
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { referenceAbsent, referenceDir } from "../scripts/lib/reference-dir";

/** Keys whose contents charts pass through unchecked (labels, scheduling, resources, env...). */
export const freeFormKeys = new Set([
  "annotations",
  "labels",
  "podAnnotations",
  "podLabels",
  "commonLabels",
  "additionalLabels",
  "serviceAnnotations",
  "env",
  "extraEnv",
  "extraEnvs",
  "env_vars",
  "envFrom",
  "nodeSelector",
  "tolerations",
  "affinity",
  "resources",
  "topologySpreadConstraints",
  "securityContext",
  "podSecurityContext",
  "containerSecurityContext",
  "args",
  "extraArgs",
]);

/** Top-level sections a subchart owns: its defaults live in the subchart, not in these files
 *  (chart-values/INDEX.md in the reference directory lists them), so they are open here. */
export const subchartSections: Record<string, readonly string[]> = {
  "kube-prometheus-stack": [
    "grafana",
    "kube-state-metrics",
    "prometheus-node-exporter",
    "prometheus-windows-exporter",
    "crds",
  ],
  "external-secrets": ["bitwarden-sdk-server"],
  "cloudnative-pg": ["monitoring"],
  "eck-operator": ["eck-operator-crds"],
  "gateway-helm": ["crds"],
};

export interface ChartDefaults {
  values: unknown;
  documented: string[];
  /** Every values path the chart's templates read. */
  templateKeys?: string[];
  subcharts?: readonly string[];
}

export const chartValuesDir = () => join(referenceDir(), "chart-values");
/** Why the checks against chart data cannot run here (no reference directory), or undefined:
 *  tests skip on it, and test/chart-values.test.ts prints it. */
export const chartValuesAbsent = referenceAbsent("chart-values");

const readJson = <T>(file: string, fallback: T): T =>
  existsSync(file) ? (JSON.parse(readFileSync(file, "utf8")) as T) : fallback;

export function loadDefaults(chart: string, version: string): ChartDefaults | undefined {
  const base = join(chartValuesDir(), `${chart}-${version}`);
  if (!existsSync(`${base}.values.json`)) return undefined;
  return {
    values: readJson<unknown>(`${base}.values.json`, {}),
    documented: readJson<string[]>(`${base}.documented-keys.json`, []),
    templateKeys: Object.keys(readJson<Record<string, string>>(`${base}.template-keys.json`, {})),
    subcharts: subchartSections[chart] ?? [],
  };
}

const isMap = (value: unknown): value is Record<string, unknown> =>
  value !== null && typeof value === "object" && !Array.isArray(value);

/** Dotted paths of `values` that the chart does not know. */
export function unknownKeys(values: unknown, defaults: ChartDefaults): string[] {
  const out: string[] = [];
  const documented = new Set(defaults.documented);
  const isDocumented = (path: string) =>
    documented.has(path) || defaults.documented.some((prefix) => path.startsWith(`${prefix}.`));
  const read = new Set(defaults.templateKeys ?? []);
  const readBelow = (path: string) => (defaults.templateKeys ?? []).some((k) => k.startsWith(`${path}.`));
  const walk = (value: unknown, defaultValue: unknown, path: string[]) => {
    if (!isMap(value)) return;
    for (const [key, child] of Object.entries(value)) {
      const here = [...path, key];
      const dotted = here.join(".");
      if (freeFormKeys.has(key)) continue;
      if (path.length === 0 && defaults.subcharts?.includes(key)) continue;
      const inDefaults = isMap(defaultValue) && key in defaultValue;
      if (!inDefaults && !read.has(dotted) && !readBelow(dotted) && !isDocumented(dotted)) {
        out.push(dotted);
        continue;
      }
      const dv = inDefaults ? defaultValue[key] : undefined;
      // An empty map or a list in the defaults is the chart's way of saying "anything goes here".
      if (isMap(dv) && Object.keys(dv).length > 0) walk(child, dv, here);
      // Not in the defaults: the templates' own paths below it say which keys it takes; a path they
      // read only whole (toYaml) is free-form below, and so is a key documented only in comments.
      else if (!inDefaults && !isDocumented(dotted) && readBelow(dotted)) walk(child, undefined, here);
    }
  };
  walk(values, defaults.values, []);
  return out;
}
