// Resource quantities in Kubernetes objects the providers manage field by field: the API server
// returns them in canonical form, and a manifest that wrote them otherwise fails its apply with
// "Provider produced inconsistent result after apply" (1024Mi comes back as 1Gi).
import { canonicalQuantity } from "../../lib/quantity";
import { allTiers, type PolicyRule } from "../rule";

const quantityMaps = new Set(["requests", "limits", "capacity", "hard"]);

/** "path: value (canonical)" for each non-canonical quantity under requests, limits and the like. */
function nonCanonical(value: unknown, path: string, out: string[]): void {
  if (Array.isArray(value)) return value.forEach((item, i) => nonCanonical(item, `${path}[${i}]`, out));
  if (value === null || typeof value !== "object") return;
  for (const [k, child] of Object.entries(value)) {
    const here = path ? `${path}.${k}` : k;
    if (quantityMaps.has(k) && child !== null && typeof child === "object" && !Array.isArray(child)) {
      for (const [name, quantity] of Object.entries(child)) {
        if (typeof quantity !== "string") continue;
        const canonical = canonicalQuantity(quantity);
        if (canonical !== undefined && canonical !== quantity)
          out.push(`${here}.${name} is "${quantity}" (write "${canonical}")`);
      }
    } else nonCanonical(child, here, out);
  }
}

export const quantityRules: readonly PolicyRule[] = [
  {
    id: "K8S-012",
    title: "Resource quantities in canonical form",
    message: "write each quantity as the API server returns it (lib/quantity.ts: mebibytes(), cores())",
    fix: { code: ["lib/quantity.ts"] },
    errorTiers: allTiers,
    resourceTypes: ["kubernetes_manifest"],
    check: ({ attrs }) => {
      // Only built-in kinds are decoded into typed quantities; a custom resource keeps its text.
      const apiVersion = String(attrs.manifest?.apiVersion ?? "");
      const group = apiVersion.includes("/") ? apiVersion.split("/")[0]! : "";
      if (group.includes(".") && !group.endsWith(".k8s.io")) return undefined;
      const out: string[] = [];
      nonCanonical(attrs.manifest, "", out);
      return out.length ? out.join("; ") : undefined;
    },
  },
];
