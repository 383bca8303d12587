import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { protectedTiers } from "../config/schema";
import { environments, synthAll, type Synthesized } from "./helpers";
import { preventDestroyTypes, statefulAddresses } from "../lib/stateful";

// The Terraform address of every stateful resource, per stack. A changed address makes Terraform
// destroy and recreate: rename only with a moved block (see README), then update this file.
const lockFile = join(__dirname, "addresses.lock.json");
const lock = JSON.parse(readFileSync(lockFile, "utf8")) as Record<string, string[]>;

function movedFrom(s: Synthesized): Set<string> {
  const moved = ((s as Record<string, unknown>).moved ?? []) as { from: string; to: string }[];
  return new Set(moved.map((m) => m.from));
}

const tierOf = new Map(environments().map((e) => [e.name, e.tier]));

describe("address lock", () => {
  it("covers every synthesized stack", () => {
    expect(Object.keys(lock).sort()).toEqual([...synthAll().keys()].sort());
  });

  for (const [id, s] of synthAll()) {
    describe(id, () => {
      it("keeps every locked address, or moves it with a moved block", () => {
        const present = new Set(statefulAddresses(s));
        const moved = movedFrom(s);
        const lost = (lock[id] ?? []).filter((a) => !present.has(a) && !moved.has(a));
        expect(lost, `stateful resources would be destroyed: ${lost.join(", ")}`).toEqual([]);
      });

      it("lists every stateful address in the lock file", () => {
        const unlocked = statefulAddresses(s).filter((a) => !(lock[id] ?? []).includes(a));
        expect(unlocked, `add these to test/addresses.lock.json after review`).toEqual([]);
      });

      const tier = tierOf.get(id.replace(/-(foundation|addons|apps)$/, ""));
      if (tier && protectedTiers.includes(tier)) {
        it(`protects stateful resources in tier ${tier}`, () => {
          for (const t of preventDestroyTypes) {
            for (const [name, r] of Object.entries(s.resource?.[t] ?? {})) {
              expect((r as { lifecycle?: { prevent_destroy?: boolean } }).lifecycle?.prevent_destroy, `${t}.${name} prevent_destroy`).toBe(true);
            }
          }
          for (const t of ["aws_db_instance", "aws_eks_cluster"]) {
            for (const [name, r] of Object.entries(s.resource?.[t] ?? {})) {
              expect((r as { deletion_protection?: boolean }).deletion_protection, `${t}.${name} deletion_protection`).toBe(true);
            }
          }
        });
      }
    });
  }

  it("fails when a stateful resource disappears without a moved block", () => {
    const s = structuredClone(synthAll().get("prod-foundation")!);
    delete s.resource!.aws_db_instance!.postgres;
    const present = new Set(statefulAddresses(s));
    expect(lock["prod-foundation"]!.filter((a) => !present.has(a) && !movedFrom(s).has(a))).toEqual(["aws_db_instance.postgres"]);
    (s as Record<string, unknown>).moved = [{ from: "aws_db_instance.postgres", to: "aws_db_instance.main" }];
    expect(lock["prod-foundation"]!.filter((a) => !present.has(a) && !movedFrom(s).has(a))).toEqual([]);
  });
});
