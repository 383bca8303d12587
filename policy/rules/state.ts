// STATE-001: in protected tiers every stateful resource survives a mistaken plan: prevent_destroy
// on what lib/stateful.ts names, deletion protection where the provider has it, Retain where
// Kubernetes decides what a deleted claim keeps. Outside protected tiers the rule has nothing to say.
import { protectedTiers } from "../../config/schema";
import { deletionProtectionTypes, isStatefulManifest, mustPreventDestroy } from "../../lib/stateful";
import { parseHelmValues } from "../../lib/secret-scan";
import { isTrue, type PolicyResource, type PolicyRule } from "../rule";

/** What ECK keeps: DeleteOnScaledownOnly keeps the claims when the Elasticsearch resource goes. */
const eckKeepsClaims = "DeleteOnScaledownOnly";

function problems(resource: PolicyResource): string[] {
  const attrs = resource.attrs;
  const out: string[] = [];
  if (mustPreventDestroy(resource.type, attrs) && !isTrue(attrs.lifecycle?.prevent_destroy))
    out.push("lifecycle.prevent_destroy is not set");
  if ((deletionProtectionTypes as readonly string[]).includes(resource.type) && !isTrue(attrs.deletion_protection))
    out.push("deletion_protection is not true");
  if (resource.type === "aws_db_instance" && isTrue(attrs.skip_final_snapshot)) out.push("skip_final_snapshot is true");
  if (resource.type === "aws_s3_bucket" && isTrue(attrs.force_destroy)) out.push("force_destroy is true");
  if (resource.type === "aws_secretsmanager_secret" && Number(attrs.recovery_window_in_days) === 0)
    out.push("recovery_window_in_days is 0 (deleted at once)");
  if (
    (resource.type === "kubernetes_storage_class_v1" || resource.type === "kubernetes_storage_class") &&
    attrs.reclaim_policy !== "Retain"
  ) {
    out.push(`reclaim_policy is ${attrs.reclaim_policy ?? "unset (Delete)"}`);
  }
  if (resource.type === "kubernetes_manifest" && isStatefulManifest(attrs.manifest)) {
    const manifest = attrs.manifest;
    if (manifest.kind === "StatefulSet") {
      const retention = manifest.spec?.persistentVolumeClaimRetentionPolicy ?? {};
      if (retention.whenDeleted !== "Retain" || retention.whenScaled !== "Retain") {
        out.push(
          `persistentVolumeClaimRetentionPolicy is ${JSON.stringify(retention)}, not Retain when deleted and when scaled`,
        );
      }
    }
    if (manifest.kind === "Elasticsearch" && manifest.spec?.volumeClaimDeletePolicy !== eckKeepsClaims)
      out.push(`volumeClaimDeletePolicy is not ${eckKeepsClaims}`);
  }
  if (resource.type === "helm_release" && attrs.chart === "eck-elasticsearch") {
    if (parseHelmValues(attrs.values).volumeClaimDeletePolicy !== eckKeepsClaims)
      out.push(`values.volumeClaimDeletePolicy is not ${eckKeepsClaims}`);
  }
  return out;
}

export const stateRules: PolicyRule[] = [
  {
    id: "STATE-001",
    title: "Stateful resources protected",
    message:
      "in production and standby set lifecycle.prevent_destroy on every stateful resource (lib/stateful.ts), deletion_protection on databases and clusters, reclaimPolicy Retain on storage classes, Retain claim retention on StatefulSets and DeleteOnScaledownOnly on Elasticsearch",
    fix: {
      config: ["protection.preventDestroy", "protection.deletionProtection"],
      code: ["lib/stateful.ts", "lib/protect.ts"],
    },
    errorTiers: protectedTiers,
    resourceTypes: ["*"],
    check: (resource, ctx) => {
      if (!protectedTiers.includes(ctx.tier)) return undefined;
      const found = problems(resource);
      return found.length ? found.join("; ") : undefined;
    },
  },
];
