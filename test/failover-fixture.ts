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
export function byAddress(stack: Synthesized): Map<string, Record<string, unknown>> {
  const out = new Map<string, Record<string, unknown>>();
  for (const [kind, prefix] of [
    ["resource", ""],
    ["data", "data."],
  ] as const) {
    for (const [type, byName] of Object.entries(stack[kind] ?? {})) {
      for (const [name, attrs] of Object.entries(byName))
        out.set(`${prefix}${type}.${name.replace(/_[0-9A-F]{8}$/, "")}`, attrs);
    }
  }
  return out;
}

/** Leaf paths (a.b.0.c) whose values differ between two attribute objects. */
function changedPaths(before: unknown, after: unknown, path = ""): string[] {
  if (JSON.stringify(before) === JSON.stringify(after)) return [];
  if (before && after && typeof before === "object" && typeof after === "object") {
    const keys = new Set([...Object.keys(before), ...Object.keys(after)]);
    return [...keys].flatMap((k) => changedPaths((before as any)[k], (after as any)[k], path ? `${path}.${k}` : k));
  }
  return [path];
}

export type StackDiff = { added: string[]; removed: string[]; changed: Record<string, string[]> };
export function diff(from: Synthesized, to: Synthesized): StackDiff {
  const before = byAddress(from);
  const after = byAddress(to);
  const changed: Record<string, string[]> = {};
  for (const [addr, attrs] of before) {
    const paths = after.has(addr) ? changedPaths(attrs, after.get(addr)) : [];
    if (paths.length) changed[addr] = paths.sort();
  }
  return {
    added: [...after.keys()].filter((k) => !before.has(k)).sort(),
    removed: [...before.keys()].filter((k) => !after.has(k)).sort(),
    changed,
  };
}
