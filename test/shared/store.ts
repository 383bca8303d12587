// Synthesized variants (test/shared/variants.ts) as JSON files: written once per run by
// test/global-setup.ts, read by every test file that needs them (test/helpers.ts).
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { allRules, type StackReport } from "../../policy";
import { synthesizeAllOrThrow, type SynthesizedStack } from "../../scripts/lib/synthesized";
import { variants, type Variant } from "./variants";

/** A policy report as JSON: rules by id, addresses as a list. */
type StoredReport = Omit<StackReport, "results" | "addresses"> & {
  results: (Omit<StackReport["results"][number], "rule"> & { rule: string })[];
  addresses?: string[];
};
type StoredStack = Omit<SynthesizedStack, "policy"> & { policy: StoredReport };

const file = (dir: string, variant: Variant) => join(dir, `${variant}.json`);

function store(s: SynthesizedStack): StoredStack {
  const { results, addresses, ...rest } = s.policy;
  return {
    ...s,
    policy: { ...rest, results: results.map((r) => ({ ...r, rule: r.rule.id })), ...(addresses ? { addresses: [...addresses] } : {}) },
  };
}

function restore(s: StoredStack): SynthesizedStack {
  const { results, addresses, ...rest } = s.policy;
  const rule = (id: string) => {
    const found = allRules.find((r) => r.id === id);
    if (!found) throw new Error(`stored report names an unknown rule ${id}`);
    return found;
  };
  return {
    ...s,
    policy: { ...rest, results: results.map((r) => ({ ...r, rule: rule(r.rule) })), ...(addresses ? { addresses: new Set(addresses) } : {}) },
  };
}

/** Synthesizes a variant in memory, as scripts/lib/synthesized.ts does for `npm run policy`. */
export function synthesizeVariant(variant: Variant): SynthesizedStack[] {
  return synthesizeAllOrThrow(variants[variant]);
}

export function writeVariant(dir: string, variant: Variant): void {
  writeFileSync(file(dir, variant), JSON.stringify(synthesizeVariant(variant).map(store)));
}

export function readVariant(dir: string, variant: Variant): SynthesizedStack[] {
  return (JSON.parse(readFileSync(file(dir, variant), "utf8")) as StoredStack[]).map(restore);
}
