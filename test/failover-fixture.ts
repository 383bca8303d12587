// dr as committed (standby) and as `failover: true` would synthesize it, for the failover tests.
import { synthAll, type Synthesized } from "./helpers";

/** The stacks a failover applies, in dr's region; dr-replication (prod's region) waits for its return. */
export const drStacks = ["dr-foundation", "dr-addons", "dr-apps"] as const;
export const standby = Object.fromEntries(drStacks.map((id) => [id, synthAll().get(id)!])) as Record<
  (typeof drStacks)[number],
  Synthesized
>;
export const promoted = Object.fromEntries(
  drStacks.map((id) => [id, synthAll("drFailover").get(id)!]),
) as typeof standby;
export const standbyReplication = synthAll().get("dr-replication")!;
export const promotedReplication = synthAll("drFailover").get("dr-replication")!;

/** Resources and data sources by address, without the hash cdktf appends to generated names. */
export function byAddress(s: Synthesized): Map<string, Record<string, unknown>> {
  const out = new Map<string, Record<string, unknown>>();
  for (const [kind, prefix] of [
    ["resource", ""],
    ["data", "data."],
  ] as const) {
    for (const [type, byName] of Object.entries(s[kind] ?? {})) {
      for (const [name, attrs] of Object.entries(byName))
        out.set(`${prefix}${type}.${name.replace(/_[0-9A-F]{8}$/, "")}`, attrs);
    }
  }
  return out;
}

/** Leaf paths (a.b.0.c) whose values differ between two attribute objects. */
function changedPaths(a: unknown, b: unknown, path = ""): string[] {
  if (JSON.stringify(a) === JSON.stringify(b)) return [];
  if (a && b && typeof a === "object" && typeof b === "object") {
    const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
    return [...keys].flatMap((k) => changedPaths((a as any)[k], (b as any)[k], path ? `${path}.${k}` : k));
  }
  return [path];
}

export type StackDiff = { added: string[]; removed: string[]; changed: Record<string, string[]> };
export function diff(from: Synthesized, to: Synthesized): StackDiff {
  const a = byAddress(from);
  const b = byAddress(to);
  const changed: Record<string, string[]> = {};
  for (const [addr, attrs] of a) {
    const paths = b.has(addr) ? changedPaths(attrs, b.get(addr)) : [];
    if (paths.length) changed[addr] = paths.sort();
  }
  return {
    added: [...b.keys()].filter((k) => !a.has(k)).sort(),
    removed: [...a.keys()].filter((k) => !b.has(k)).sort(),
    changed,
  };
}
