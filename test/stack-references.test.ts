import { describe, expect, it } from "vitest";
import { synthAll, type Synthesized } from "./helpers";

/** Every `${type.name...}` / `${data.type.name...}` / `${ephemeral...}` reference in a stack. */
function references(stack: Synthesized): string[] {
  const text = JSON.stringify({ ...stack, terraform: undefined });
  const refs = new Set<string>();
  for (const match of text.matchAll(/\$\{[^}]*?\b((?:data|ephemeral)\.)?([a-z][a-z0-9_]*)\.([A-Za-z0-9_-]+)/g)) {
    if (["each", "var", "local", "count", "path", "self", "r", "val", "key"].includes(match[2]!) && !match[1]) continue;
    refs.add(`${match[1] ?? ""}${match[2]}.${match[3]}`);
  }
  return [...refs];
}

function declared(stack: Synthesized): Set<string> {
  const out = new Set<string>();
  const add = (prefix: string, block?: Record<string, Record<string, unknown>>) => {
    for (const [type, items] of Object.entries(block ?? {}))
      for (const name of Object.keys(items)) out.add(`${prefix}${type}.${name}`);
  };
  add("", stack.resource);
  add("data.", stack.data);
  add("ephemeral.", stack.ephemeral);
  return out;
}

describe("stacks share no tokens", () => {
  for (const [id, stack] of synthAll()) {
    it(`${id}: every reference points inside the stack, none at remote state`, () => {
      const known = declared(stack);
      const dangling = references(stack).filter(
        (ref) => !known.has(ref) && !/^(aws|kubernetes|helm)\.[a-z]+$/.test(ref),
      );
      expect(dangling).toEqual([]);
      expect(Object.keys(stack.data ?? {})).not.toContain("terraform_remote_state");
    });
  }

  it("can fail: a reference to another stack's resource is reported", () => {
    const stack = structuredClone(synthAll().get("prod-apps")!);
    (stack.resource!.kubernetes_config_map_v1 as Record<string, any>)["x"] = {
      data: { host: "${aws_db_instance.postgres.address}" },
    };
    expect(references(stack).filter((ref) => !declared(stack).has(ref))).toContain("aws_db_instance.postgres");
  });
});
