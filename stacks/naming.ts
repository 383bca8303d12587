// Names of long-lived things, derived from configuration only. They are the contract between
// stacks (looked up by name, not passed as tokens) and must not change for a deployed environment.
import type { EnvironmentConfig, LakeZone } from "../config/schema";

export function names(env: Pick<EnvironmentConfig, "name">) {
  const base = `odp-${env.name}`;
  return {
    base,
    cluster: base,
    database: base,
    secretPrefix: `odp/${env.name}`,
    lakeBucket: (bucketPrefix: string, zone: LakeZone) => `${bucketPrefix}-${env.name}-${zone}`,
    lakeBucketPrefix: (bucketPrefix: string) => `${bucketPrefix}-${env.name}`,
    keyAlias: (purpose: string) => `alias/${base}-${purpose}`,
  };
}

export const stackLayers = ["foundation", "addons", "apps", "replication"] as const;
export type StackLayer = (typeof stackLayers)[number];

/** Stack ids, exactly as users pass them to `cdktf diff|deploy`. */
export const stackId = (env: Pick<EnvironmentConfig, "name">, layer: StackLayer) => `${env.name}-${layer}`;

/** The environment of a stack id (`prod-foundation` -> `prod`): the id without its layer, or, for an
 *  id of another shape, everything before its last dash. */
export function environmentOfStack(id: string): string {
  const layer = stackLayers.find((stackLayer) => id.endsWith(`-${stackLayer}`));
  if (layer) return id.slice(0, -layer.length - 1);
  const i = id.lastIndexOf("-");
  return i > 0 ? id.slice(0, i) : id;
}

/** Where an environment's Elasticsearch writes its snapshots in the platform bucket. Named after the
 *  environment: a standby receives its source's snapshots (replicated, read-only) beside its own. */
export const snapshotBasePath = (env: Pick<EnvironmentConfig, "name">) => `elasticsearch/snapshots/${env.name}`;
