import { spawnSync } from "node:child_process";
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { synthesize } from "../scripts/run-synth";
import { committedSynthOutput, inputs } from "./helpers";

const tsx = join(__dirname, "..", "node_modules", ".bin", "tsx");

describe("npm run synth", () => {
  it("writes every stack and a manifest", () => {
    // The run's `npm run synth` of the committed configuration (test/helpers.ts).
    const { outdir: dir, result: result } = committedSynthOutput();
    expect(result.ok).toBe(true);
    expect(readdirSync(join(dir, "stacks")).sort()).toEqual([...result.stacks].sort());
    expect(result.stacks).toEqual(expect.arrayContaining(["staging-foundation", "prod-foundation", "dr-foundation"]));
    const manifest = JSON.parse(readFileSync(join(dir, "manifest.json"), "utf8"));
    expect(Object.keys(manifest.stacks)).toEqual(expect.arrayContaining(result.stacks));
  });

  it("leaves no output at all for a bad configuration", () => {
    const parent = mkdtempSync(join(tmpdir(), "synth-"));
    const raw = inputs();
    raw.prod.database.backupRetentionDays = 3;
    const result = synthesize(raw, join(parent, "out"));
    expect(result.ok).toBe(false);
    expect(result.lines).toContain(
      "config error in prod: database.backupRetentionDays must be >= 7 for tier production (got 3)",
    );
    expect(readdirSync(parent)).toEqual([]);
  });

  it("keeps the previous output when a new configuration is bad", () => {
    const shared = committedSynthOutput();
    expect(shared.result.ok).toBe(true);
    // A copy: the shared output stays as synthesized for the other tests.
    const dir = join(mkdtempSync(join(tmpdir(), "synth-")), "out");
    cpSync(shared.outdir, dir, { recursive: true });
    const raw = inputs();
    raw.dr.standbyOf = "nowhere";
    expect(synthesize(raw, dir).ok).toBe(false);
    expect(existsSync(join(dir, "stacks", "prod-foundation", "cdk.tf.json"))).toBe(true);
  });

  it("as a process: one line per problem, exit 1, no stack trace", () => {
    const parent = mkdtempSync(join(tmpdir(), "synth-"));
    const child = spawnSync(tsx, [join(__dirname, "fixtures", "synth-bad-config.ts"), join(parent, "out")], {
      encoding: "utf8",
    });
    expect(child.status).toBe(1);
    const lines = child.stderr.trim().split("\n");
    expect(lines).toContain(
      "config error in prod: database.backupRetentionDays must be >= 7 for tier production (got 3)",
    );
    expect(
      lines.some((line) =>
        line.startsWith("config error in staging: aws.region must be a commercial or GovCloud AWS region"),
      ),
    ).toBe(true);
    for (const line of lines) expect(line).toMatch(/^config error in \w+: /);
    expect(child.stderr).not.toMatch(/\n\s+at /);
    expect(readdirSync(parent)).toEqual([]);
  });
});
