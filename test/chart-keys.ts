// Checks that every key a Helm release sets exists in the pinned chart's default values (or is
// documented in its comments). Free-form maps are open: their keys are the user's own.
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";

const fixtures = join(__dirname, "fixtures", "chart-values");

/** Keys whose contents charts pass through unchecked (labels, scheduling, resources, env...). */
export const freeFormKeys = new Set([
  "annotations", "labels", "podAnnotations", "podLabels", "commonLabels", "additionalLabels", "serviceAnnotations",
  "env", "extraEnv", "extraEnvs", "env_vars", "envFrom", "nodeSelector", "tolerations", "affinity", "resources",
  "topologySpreadConstraints", "securityContext", "podSecurityContext", "containerSecurityContext", "args", "extraArgs",
]);

/** Top-level sections a subchart owns: its defaults live in the subchart, not in these files
 *  (../shared/chart-values/INDEX.md lists them), so they are open here. */
export const subchartSections: Record<string, readonly string[]> = {
  "kube-prometheus-stack": ["grafana", "kube-state-metrics", "prometheus-node-exporter", "prometheus-windows-exporter", "crds"],
  "external-secrets": ["bitwarden-sdk-server"],
  "cloudnative-pg": ["monitoring"],
  "eck-operator": ["eck-operator-crds"],
  "gateway-helm": ["crds"],
};

export interface ChartDefaults {
  values: unknown;
  documented: string[];
  subcharts?: readonly string[];
}

export function loadDefaults(chart: string, version: string): ChartDefaults | undefined {
  const base = join(fixtures, `${chart}-${version}`);
  if (!existsSync(`${base}.values.json`)) return undefined;
  const documented = existsSync(`${base}.documented-keys.json`) ? (JSON.parse(readFileSync(`${base}.documented-keys.json`, "utf8")) as string[]) : [];
  return { values: JSON.parse(readFileSync(`${base}.values.json`, "utf8")), documented, subcharts: subchartSections[chart] ?? [] };
}

/** Dotted paths of `values` that the chart does not know. */
export function unknownKeys(values: unknown, defaults: ChartDefaults): string[] {
  const out: string[] = [];
  const documented = new Set(defaults.documented);
  const isDocumented = (path: string) => documented.has(path) || defaults.documented.some((d) => path.startsWith(`${d}.`));
  const walk = (v: unknown, d: unknown, path: string[]) => {
    if (v === null || typeof v !== "object" || Array.isArray(v)) return;
    for (const [key, child] of Object.entries(v)) {
      const here = [...path, key];
      const dotted = here.join(".");
      if (freeFormKeys.has(key)) continue;
      if (path.length === 0 && defaults.subcharts?.includes(key)) continue;
      const known = d !== null && typeof d === "object" && !Array.isArray(d) && key in (d as object);
      if (!known) {
        if (!isDocumented(dotted)) out.push(dotted);
        continue;
      }
      const dv = (d as Record<string, unknown>)[key];
      // An empty map or a list in the defaults is the chart's way of saying "anything goes here".
      if (dv !== null && typeof dv === "object" && !Array.isArray(dv) && Object.keys(dv).length > 0) walk(child, dv, here);
    }
  };
  walk(values, defaults.values, []);
  return out;
}
