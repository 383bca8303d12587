// STATE-001: in protected tiers every stateful resource survives a mistaken plan: prevent_destroy
// on what lib/stateful.ts names, deletion protection where the provider has it, Retain where
// Kubernetes decides what a deleted claim keeps. Outside protected tiers the rule has nothing to say.
import { protectedTiers } from "../../config/schema";
import { deletionProtectionTypes, isStatefulManifest, mustPreventDestroy } from "../../lib/stateful";
import { parseHelmValues } from "../../lib/secret-scan";
import { isTrue, type PolicyResource, type PolicyRule } from "../rule";

/** What ECK keeps: DeleteOnScaledownOnly keeps the claims when the Elasticsearch resource goes. */
const eckKeepsClaims = "DeleteOnScaledownOnly";

function problems(r: PolicyResource): string[] {
  const a = r.attrs;
  const out: string[] = [];
  if (mustPreventDestroy(r.type, a) && !isTrue(a.lifecycle?.prevent_destroy))
    out.push("lifecycle.prevent_destroy is not set");
  if ((deletionProtectionTypes as readonly string[]).includes(r.type) && !isTrue(a.deletion_protection))
    out.push("deletion_protection is not true");
  if (r.type === "aws_db_instance" && isTrue(a.skip_final_snapshot)) out.push("skip_final_snapshot is true");
  if (r.type === "aws_s3_bucket" && isTrue(a.force_destroy)) out.push("force_destroy is true");
  if (r.type === "aws_secretsmanager_secret" && Number(a.recovery_window_in_days) === 0)
    out.push("recovery_window_in_days is 0 (deleted at once)");
  if (
    (r.type === "kubernetes_storage_class_v1" || r.type === "kubernetes_storage_class") &&
    a.reclaim_policy !== "Retain"
  ) {
    out.push(`reclaim_policy is ${a.reclaim_policy ?? "unset (Delete)"}`);
  }
  if (r.type === "kubernetes_manifest" && isStatefulManifest(a.manifest)) {
    const m = a.manifest;
    if (m.kind === "StatefulSet") {
      const p = m.spec?.persistentVolumeClaimRetentionPolicy ?? {};
      if (p.whenDeleted !== "Retain" || p.whenScaled !== "Retain") {
        out.push(
          `persistentVolumeClaimRetentionPolicy is ${JSON.stringify(p)}, not Retain when deleted and when scaled`,
        );
      }
    }
    if (m.kind === "Elasticsearch" && m.spec?.volumeClaimDeletePolicy !== eckKeepsClaims)
      out.push(`volumeClaimDeletePolicy is not ${eckKeepsClaims}`);
  }
  if (r.type === "helm_release" && a.chart === "eck-elasticsearch") {
    if (parseHelmValues(a.values).volumeClaimDeletePolicy !== eckKeepsClaims)
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
    check: (r, ctx) => {
      if (!protectedTiers.includes(ctx.tier)) return undefined;
      const found = problems(r);
      return found.length ? found.join("; ") : undefined;
    },
  },
];
