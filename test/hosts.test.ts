// config/schema.ts lists the host names an environment takes under its domain, so that
// config/load.ts can keep environments' names apart. The synthesized stacks must take no other.
import { describe, expect, it } from "vitest";
import { loadOrThrow, platformHostLabels } from "../config";
import { synthAll } from "./helpers";
import { fixtureInputs } from "./fixtures/environments";

describe("host names", () => {
  it("under each environment's domain are the ones config/schema.ts lists", () => {
    const envs = loadOrThrow(fixtureInputs);
    const domains = new Set(envs.map((e) => e.domain));
    const labels = new Set<string>();
    const walk = (v: unknown): void => {
      if (typeof v === "string") {
        for (const d of domains) {
          for (const m of v.matchAll(
            new RegExp(`(?:^|[^a-z0-9.*_-])([a-z0-9_-]+)\\.${d.replace(/\./g, "\\.")}(?![a-z0-9.-])`, "g"),
          )) {
            // Another environment's domain under this one is that environment's, not a host.
            if (!domains.has(`${m[1]}.${d}`)) labels.add(m[1]!);
          }
        }
      } else if (v && typeof v === "object") Object.values(v).forEach(walk);
    };
    for (const [, stack] of synthAll()) walk(stack);
    expect(labels.size).toBeGreaterThan(0);
    expect([...labels].filter((l) => !(platformHostLabels as readonly string[]).includes(l)).sort()).toEqual([]);
  });
});
