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

/** Stack ids, exactly as users pass them to `cdktf diff|deploy`. */
export const stackId = (env: Pick<EnvironmentConfig, "name">, layer: "foundation" | "addons" | "apps") => `${env.name}-${layer}`;

/** Where Elasticsearch snapshots live in the silver bucket. */
export const snapshotPrefix = "_elasticsearch/snapshots";
