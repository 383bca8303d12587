// Validate, synthesize into a temporary directory, then swap it in: a bad configuration or a
// failed synthesis leaves the previous cdktf.out untouched and writes nothing new.
import { App, TerraformStack } from "cdktf";
import { chmodSync, existsSync, mkdtempSync, renameSync, rmSync } from "node:fs";
import { resolve } from "node:path";
import { loadEnvironments } from "../config";
import { policySummary } from "../policy";
import { buildStacks } from "../stacks";
import { policyOf } from "../stacks/policy";

export interface SynthResult {
  ok: boolean;
  /** Human-readable lines: one per configuration problem, or a summary. */
  lines: string[];
  stacks: string[];
}

/** The named environments and those they depend on (a standby's source), from `raw`; unknown
 *  names are returned apart. Only these are loaded: an error elsewhere does not block them. */
export function selectEnvironments(
  raw: Record<string, unknown>,
  names: readonly string[],
): { raw: Record<string, unknown>; unknown: string[] } {
  const unknown = names.filter((name) => !(name in raw));
  const chosen = new Set<string>();
  const add = (name: string) => {
    if (chosen.has(name) || !(name in raw)) return;
    chosen.add(name);
    const source = (raw[name] as { standbyOf?: unknown } | undefined)?.standbyOf;
    if (typeof source === "string") add(source);
  };
  for (const name of names) add(name);
  return { raw: Object.fromEntries(Object.entries(raw).filter(([k]) => chosen.has(k))), unknown };
}

export function synthesize(raw: Record<string, unknown>, outdir: string, only?: readonly string[]): SynthResult {
  const target = resolve(outdir);
  if (only?.length) {
    const selected = selectEnvironments(raw, only);
    if (selected.unknown.length)
      return {
        ok: false,
        lines: [`unknown environment ${selected.unknown.join(", ")} (known: ${Object.keys(raw).join(", ")})`],
        stacks: [],
      };
    raw = selected.raw;
  }
  const loaded = loadEnvironments(raw);
  if (!loaded.ok) return { ok: false, lines: loaded.errors, stacks: [] };

  const tmp = mkdtempSync(`${target}.tmp-`);
  let stacks: string[];
  const policy: string[] = [];
  try {
    const app = new App({ outdir: tmp });
    buildStacks(app, loaded.environments);
    app.synth();
    for (const stack of app.node.children.filter((child): child is TerraformStack => child instanceof TerraformStack)) {
      const report = policyOf(stack)?.report;
      // One line per stack: what the policy suite found (details: `npm run policy`).
      if (report) policy.push(`policy ${report.stack}: ${policySummary(report.results)}`);
    }
    stacks = app.node.children.map((child) => child.node.id);
  } catch (err) {
    rmSync(tmp, { recursive: true, force: true });
    return { ok: false, lines: [`synth failed: ${err instanceof Error ? err.message : String(err)}`], stacks: [] };
  }
  chmodSync(tmp, 0o755);
  if (existsSync(target)) rmSync(target, { recursive: true, force: true });
  renameSync(tmp, target);
  return {
    ok: true,
    lines: [`synthesized ${stacks.length} stacks into ${target}: ${stacks.join(", ")}`, ...policy],
    stacks,
  };
}
