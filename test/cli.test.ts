// Every npm script behaves like a tool: --help prints its usage and exits 0, an unknown flag prints
// the usage and exits non-zero, and a flag is never taken for a value or a path.
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parseCli } from "../scripts/lib/cli";

const root = join(__dirname, "..");
const scripts = (JSON.parse(readFileSync(join(root, "package.json"), "utf8")) as { scripts: Record<string, string> })
  .scripts;
/** Scripts that are other tools' commands (tsc, vitest, prettier, eslint: their own --help). */
const notOurs = ["typecheck", "test", "lint", "format"];
/** Not yet on the shared parser. */
const pending: string[] = [];

describe("the shared argument parser", () => {
  const spec = { name: "x", usage: "usage: x", flags: ["--check"], options: ["--env"], maxPositionals: 1 };
  it("answers --help and parses flags, options and positionals", () => {
    expect(parseCli(["--help"], spec)).toEqual({ exit: 0, out: "usage: x" });
    expect(parseCli(["--check", "--env", "prod", "out"], spec)).toEqual({
      flags: new Set(["--check"]),
      options: new Map([["--env", "prod"]]),
      positionals: ["out"],
    });
    expect(parseCli(["--env=prod"], spec)).toMatchObject({ options: new Map([["--env", "prod"]]) });
  });
  it("refuses unknown flags, missing values, flags as values and extra arguments, with the usage", () => {
    expect(parseCli(["--chek"], spec)).toEqual({ exit: 2, out: "x: unknown flag --chek\nusage: x" });
    expect(parseCli(["--env"], spec)).toEqual({ exit: 2, out: "x: --env needs a value\nusage: x" });
    expect(parseCli(["--env", "--check"], spec)).toEqual({ exit: 2, out: "x: --env needs a value\nusage: x" });
    expect(parseCli(["a", "b"], spec)).toEqual({ exit: 2, out: "x: unexpected argument b\nusage: x" });
    expect(parseCli(["--check=yes"], spec)).toEqual({ exit: 2, out: "x: unknown flag --check=yes\nusage: x" });
  });
});

describe("npm scripts", () => {
  const ours = Object.entries(scripts).filter(([name]) => !notOurs.includes(name));

  it("are each a tsx script of the project that parses its arguments with the shared parser", () => {
    for (const [name, command] of ours) {
      const match = /^tsx (scripts\/[\w/.-]+\.ts)$/.exec(command);
      expect(match, `${name}: ${command}`).not.toBeNull();
      const source = readFileSync(join(root, match![1]!), "utf8");
      // The shared parser, directly or through the generated-files command (scripts/lib/generated.ts).
      if (!pending.includes(name))
        expect(
          /from "(\.\.?\/)+(lib\/)?(cli|generated)"/.test(source),
          `${name} (${match![1]}) uses scripts/lib/cli.ts`,
        ).toBe(true);
    }
  });

  // One process per script is slow: two representative ones, the rest through the parser above.
  for (const name of ["stack-order", "runbook"]) {
    it(`${name} answers --help (0) and refuses --no-such-flag (non-zero) as a process`, () => {
      const tsx = join(root, "node_modules", ".bin", "tsx");
      const file = /^tsx (\S+)$/.exec(scripts[name]!)![1]!;
      const help = spawnSync(tsx, [join(root, file), "--help"], { encoding: "utf8", cwd: root });
      expect(help.status).toBe(0);
      expect(help.stdout).toMatch(/^usage: /);
      const bad = spawnSync(tsx, [join(root, file), "--no-such-flag"], { encoding: "utf8", cwd: root });
      expect(bad.status).not.toBe(0);
      expect(bad.stderr).toMatch(/unknown flag --no-such-flag\nusage: /);
    });
  }
});
