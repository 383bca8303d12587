import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import {
  environmentOf,
  environmentsIn,
  type Manifest,
  orderStacks,
  parseManifest,
  run,
  StackOrderError,
} from "../../scripts/ci/stack-order";
import { committedSynthOutput } from "../helpers";

const root = join(__dirname, "..", "..");
const fixture = (name: string) => join(root, "test", "fixtures", "ci", name);
const layers = ["foundation", "addons", "apps"] as const;

const manifestOf = (stacks: Record<string, string[]>): Manifest => ({
  stacks: Object.fromEntries(Object.entries(stacks).map(([id, dependencies]) => [id, { name: id, dependencies }])),
});

describe("stack order from the synthesized manifest", () => {
  let dir: string;
  let manifest: Manifest;
  let order: string[];

  beforeAll(() => {
    // The run's `npm run synth` of the committed configuration (test/helpers.ts).
    const { outdir, result: result } = committedSynthOutput();
    expect(result.ok, result.lines.join("\n")).toBe(true);
    dir = outdir;
    manifest = parseManifest(readFileSync(join(dir, "manifest.json"), "utf8"));
    order = orderStacks(manifest);
  });

  it("lists every stack once", () => {
    expect([...order].sort()).toEqual(Object.keys(manifest.stacks).sort());
  });

  it("puts every stack after the stacks it depends on", () => {
    for (const [id, stack] of Object.entries(manifest.stacks)) {
      for (const dep of stack.dependencies ?? [])
        expect(order.indexOf(dep), `${dep} before ${id}`).toBeLessThan(order.indexOf(id));
    }
  });

  it("orders foundation < addons < apps in every environment; dev has no foundation", () => {
    const envs = environmentsIn(manifest);
    expect(envs).toEqual(expect.arrayContaining(["dev", "staging", "prod", "dr"]));
    for (const env of envs) {
      const mine = orderStacks(manifest, env);
      const present = layers.filter((layer) => mine.includes(`${env}-${layer}`));
      expect(
        mine.filter((id) => !id.endsWith("-replication")),
        env,
      ).toEqual(present.map((layer) => `${env}-${layer}`));
      for (let i = 1; i < present.length; i++) {
        expect(order.indexOf(`${env}-${present[i - 1]}`)).toBeLessThan(order.indexOf(`${env}-${present[i]}`));
      }
    }
    expect(orderStacks(manifest, "dev")).toEqual(["dev-addons", "dev-apps"]);
    for (const env of ["staging", "prod"])
      expect(orderStacks(manifest, env)).toEqual(layers.map((layer) => `${env}-${layer}`));
    // A standby's replication stack comes last: it writes into the buckets of both foundations.
    expect(orderStacks(manifest, "dr")).toEqual([...layers.map((layer) => `dr-${layer}`), "dr-replication"]);
  });

  it("puts prod-foundation before dr-foundation: dr's database replicates prod's", () => {
    expect(manifest.stacks["dr-foundation"]?.dependencies).toContain("prod-foundation");
    expect(manifest.stacks["dr-replication"]?.dependencies?.sort()).toEqual(["dr-foundation", "prod-foundation"]);
    expect(order.indexOf("prod-foundation")).toBeLessThan(order.indexOf("dr-foundation"));
    // Without the dependency, the manifest's (alphabetical) order would put dr first.
    const without: Manifest = structuredClone(manifest);
    without.stacks["dr-foundation"]!.dependencies = [];
    const reordered = orderStacks(without);
    expect(reordered.indexOf("dr-foundation")).toBeLessThan(reordered.indexOf("prod-foundation"));
  });

  it("keeps one environment's stacks together and is stable", () => {
    const runs = order.map(environmentOf).filter((env, i, all) => i === 0 || all[i - 1] !== env);
    expect(runs).toEqual([...new Set(runs)]);
    expect(orderStacks(manifest)).toEqual(order);
  });

  it("prints the order from the CLI, one per line or as JSON", () => {
    const tsx = join(root, "node_modules", ".bin", "tsx");
    const script = join(root, "scripts", "ci", "stack-order.ts");
    const lines = spawnSync(tsx, [script, "--manifest", join(dir, "manifest.json"), "--env", "prod"], {
      encoding: "utf8",
    });
    expect(lines.status, lines.stderr).toBe(0);
    expect(lines.stdout).toBe("prod-foundation\nprod-addons\nprod-apps\n");
    const json = spawnSync(tsx, [script, "--manifest", join(dir, "manifest.json"), "--json"], { encoding: "utf8" });
    expect(json.status, json.stderr).toBe(0);
    expect(JSON.parse(json.stdout)).toEqual(order);
  });
});

describe("orderStacks", () => {
  it("reports a cycle with the stacks in it", () => {
    const cyclic = parseManifest(readFileSync(fixture("manifest-cycle.json"), "utf8"));
    expect(() => orderStacks(cyclic)).toThrow(StackOrderError);
    expect(() => orderStacks(cyclic)).toThrow(
      "dependency cycle between stacks: qa-addons -> qa-apps -> qa-foundation -> qa-addons",
    );
    // The environment filter does not hide a cycle elsewhere.
    expect(() => orderStacks(cyclic, "tools")).toThrow(/dependency cycle/);
    expect(() => orderStacks(manifestOf({ a: ["a"] }))).toThrow("dependency cycle between stacks: a -> a");
  });

  it("rejects unknown dependencies and unknown environments", () => {
    expect(() => orderStacks(manifestOf({ "x-apps": ["x-addons"] }))).toThrow(
      "stack x-apps depends on x-addons, which is not in the manifest",
    );
    expect(() => orderStacks(manifestOf({ "x-apps": [] }), "y")).toThrow(
      "no stacks for environment y (the manifest has: x)",
    );
  });

  it("breaks ties by manifest order and honours dependencies across environments", () => {
    const manifest = manifestOf({
      "b-apps": ["b-addons"],
      "a-foundation": ["b-foundation"],
      "b-addons": [],
      "b-foundation": [],
    });
    expect(orderStacks(manifest)).toEqual(["b-addons", "b-apps", "b-foundation", "a-foundation"]);
    expect(orderStacks(manifest, "a")).toEqual(["a-foundation"]);
  });

  it("derives the environment from the stack id", () => {
    expect(environmentOf("prod-foundation")).toBe("prod");
    expect(environmentOf("eu-west-prod-apps")).toBe("eu-west-prod");
  });
});

describe("stack-order CLI", () => {
  const manifest = JSON.stringify(manifestOf({ "s-foundation": [], "s-addons": ["s-foundation"], "t-apps": [] }));
  const read = () => manifest;

  it("prints lines, JSON, and filters by environment", () => {
    expect(run([], read)).toEqual({ code: 0, out: "s-foundation\ns-addons\nt-apps" });
    expect(run(["--env", "s", "--json"], read)).toEqual({ code: 0, out: '["s-foundation","s-addons"]' });
    expect(run(["--env=t"], read)).toEqual({ code: 0, out: "t-apps" });
  });

  it("keeps only the named stacks, in dependency order, and refuses a stack of another environment", () => {
    expect(run(["--env", "s", "--only", "s-addons"], read)).toEqual({ code: 0, out: "s-addons" });
    expect(run(["--only", "t-apps, s-foundation"], read)).toEqual({ code: 0, out: "s-foundation\nt-apps" });
    expect(run(["--env", "s", "--only", "t-apps"], read)).toEqual({
      code: 1,
      out: "stack-order: not among the stacks (s-foundation, s-addons): t-apps",
    });
  });

  it("fails with one clear line", () => {
    expect(
      run([], () => {
        throw new Error("ENOENT");
      }),
    ).toEqual({ code: 1, out: "stack-order: cannot read cdktf.out/manifest.json: run npm run synth first" });
    expect(run(["--manifest", "m.json"], () => "{}")).toEqual({
      code: 1,
      out: 'stack-order: m.json has no "stacks" object: run npm run synth first',
    });
    // Usage errors exit 2 with the usage; --help exits 0 with it; a flag is never taken for a value.
    expect(run(["--bogus"], read)).toEqual({
      code: 2,
      out: expect.stringMatching(/^stack-order: unknown flag --bogus\nusage: npm run stack-order/),
    });
    expect(run(["--env"], read)).toEqual({
      code: 2,
      out: expect.stringMatching(/^stack-order: --env needs a value\nusage:/),
    });
    expect(run(["--manifest", "--json"], read).out).toMatch(/^stack-order: --manifest needs a value/);
    expect(run(["--help"], read)).toEqual({ code: 0, out: expect.stringMatching(/^usage: npm run stack-order/) });
    // CI passes --only "" for "every stack".
    expect(run(["--only", ""], read).code).toBe(0);
    expect(run([], () => readFileSync(fixture("manifest-cycle.json"), "utf8")).out).toMatch(
      /^stack-order: dependency cycle between stacks: /,
    );
  });
});
