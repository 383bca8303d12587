// lib/logical-id.ts must name every element exactly as cdktf's own makeUniqueId: a different name
// is a different Terraform address, so a destroy and a create on the next apply.
import { makeUniqueId } from "cdktf/lib/private/unique";
import fc from "fast-check";
import { serialize } from "node:v8";
import { describe, expect, it } from "vitest";
import { elementsOf } from "../lib/element-terraform";
import { logicalId } from "../lib/logical-id";
import { buildApp, stacksOf } from "./helpers";

/** V8 serializes a one-byte string with tag '"' and a two-byte one with 'c'. */
const isOneByte = (s: string) => serialize(s)[2] === '"'.charCodeAt(0);

describe("logical ids", () => {
  it("name every element of the committed stacks as cdktf does, in one-byte strings", () => {
    let checked = 0;
    for (const stack of stacksOf(buildApp())) {
      for (const e of elementsOf(stack)) {
        const components = e.node.scopes.slice(e.node.scopes.indexOf(stack) + 1).map((c) => c.node.id);
        // Through the stack's own allocation: some elements override the id it allocates (lib/protect.ts).
        const allocated = (stack as unknown as { allocateLogicalId(e: unknown): string }).allocateLogicalId(e);
        expect(allocated, e.node.path).toBe(makeUniqueId(components));
        expect(isOneByte(allocated), e.node.path).toBe(true);
        expect(isOneByte(e.friendlyUniqueId), e.node.path).toBe(true);
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(1000);
  });

  it("match cdktf's on the cases its naming treats specially", () => {
    const cases = [
      ["bucket"],
      ["a/b c"],
      ["x".repeat(300)],
      ["Default", "bucket"],
      ["net", "Default", "subnet"],
      ["store", "Resource"],
      ["store", "Resource", "policy"],
      ["network", "work", "rt"],
      ["ns", "ns", "np"],
      ["?!", "", "x"],
      ["a".repeat(200), "b".repeat(200)],
    ];
    for (const c of cases) expect(logicalId(c), c.join("/")).toBe(makeUniqueId(c));
    expect(() => logicalId(["Default"])).toThrow();
  });

  it("match cdktf's on random paths", () => {
    const part = fc.oneof(fc.constantFrom("Default", "Resource", "a", "ab", "b", "-", "_"), fc.string({ maxLength: 12 }));
    fc.assert(
      fc.property(fc.array(part, { minLength: 1, maxLength: 6 }), (c) => {
        if (c.every((x) => x === "Default")) return;
        expect(logicalId(c)).toBe(makeUniqueId(c));
      }),
      { numRuns: 2000 },
    );
  });
});
