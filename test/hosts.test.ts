// config/schema.ts lists the host names an environment takes under its domain, so that
// config/load.ts can keep environments' names apart. The synthesized stacks must take no other.
import { describe, expect, it } from "vitest";
import { loadOrThrow, platformHostLabels } from "../config";
import { synthAll } from "./helpers";
import { fixtureInputs } from "./fixtures/environments";

describe("host names", () => {
  it("under each environment's domain are the ones config/schema.ts lists", () => {
    const envs = loadOrThrow(fixtureInputs);
    const domains = new Set(envs.map((env) => env.domain));
    const labels = new Set<string>();
    const walk = (node: unknown): void => {
      if (typeof node === "string") {
        for (const domain of domains) {
          for (const match of node.matchAll(
            new RegExp(`(?:^|[^a-z0-9.*_-])([a-z0-9_-]+)\\.${domain.replace(/\./g, "\\.")}(?![a-z0-9.-])`, "g"),
          )) {
            // Another environment's domain under this one is that environment's, not a host.
            if (!domains.has(`${match[1]}.${domain}`)) labels.add(match[1]!);
          }
        }
      } else if (node && typeof node === "object") Object.values(node).forEach(walk);
    };
    for (const [, stack] of synthAll()) walk(stack);
    expect(labels.size).toBeGreaterThan(0);
    expect([...labels].filter((label) => !(platformHostLabels as readonly string[]).includes(label)).sort()).toEqual(
      [],
    );
  });
});
