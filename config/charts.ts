// The charts an environment installs: the pinned ones, each from its own repository, or all from
// the environment's chart mirror when it has one (chart names and versions stay as pinned).
import type { EnvironmentConfig } from "./schema";
import { versions, type ChartRef } from "./versions";

export type Charts = { readonly [K in keyof typeof versions.charts]: ChartRef };

export function chartsFor(env: Pick<EnvironmentConfig, "chartMirror">): Charts {
  const mirror = env.chartMirror;
  if (mirror === undefined) return versions.charts;
  return Object.fromEntries(
    Object.entries(versions.charts).map(([key, ref]) => [key, { ...ref, repository: mirror }]),
  ) as unknown as Charts;
}
