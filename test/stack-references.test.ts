import { describe, expect, it } from "vitest";
import { synthAll, type Synthesized } from "./helpers";

/** Every `${type.name...}` / `${data.type.name...}` / `${ephemeral...}` reference in a stack. */
function references(s: Synthesized): string[] {
  const text = JSON.stringify({ ...s, terraform: undefined });
  const refs = new Set<string>();
  for (const m of text.matchAll(/\$\{[^}]*?\b((?:data|ephemeral)\.)?([a-z][a-z0-9_]*)\.([A-Za-z0-9_-]+)/g)) {
    if (["each", "var", "local", "count", "path", "self", "r", "val", "key"].includes(m[2]!) && !m[1]) continue;
    refs.add(`${m[1] ?? ""}${m[2]}.${m[3]}`);
  }
  return [...refs];
}

function declared(s: Synthesized): Set<string> {
  const out = new Set<string>();
  const add = (prefix: string, block?: Record<string, Record<string, unknown>>) => {
    for (const [type, items] of Object.entries(block ?? {}))
      for (const name of Object.keys(items)) out.add(`${prefix}${type}.${name}`);
  };
  add("", s.resource);
  add("data.", s.data);
  add("ephemeral.", s.ephemeral);
  return out;
}

describe("stacks share no tokens", () => {
  for (const [id, s] of synthAll()) {
    it(`${id}: every reference points inside the stack, none at remote state`, () => {
      const known = declared(s);
      const dangling = references(s).filter((r) => !known.has(r) && !/^(aws|kubernetes|helm)\.[a-z]+$/.test(r));
      expect(dangling).toEqual([]);
      expect(Object.keys(s.data ?? {})).not.toContain("terraform_remote_state");
    });
  }

  it("can fail: a reference to another stack's resource is reported", () => {
    const s = structuredClone(synthAll().get("prod-apps")!);
    (s.resource!.kubernetes_config_map_v1 as Record<string, any>)["x"] = {
      data: { host: "${aws_db_instance.postgres.address}" },
    };
    expect(references(s).filter((r) => !declared(s).has(r))).toContain("aws_db_instance.postgres");
  });
});
