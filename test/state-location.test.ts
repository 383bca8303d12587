// dev's local state lives beside cdktf.out, never inside it: synthesis rewrites the output folder,
// and a state file there would be lost with everything it tracks.
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative, resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { loadEnvironments } from "../config";
import { synthesize } from "../scripts/run-synth";
import { inputs } from "./helpers";
import { fixtureInputs } from "./fixtures/environments";

describe("local state", () => {
  it("survives two syntheses, outside the output folder", () => {
    const project = mkdtempSync(join(tmpdir(), "odp-state-"));
    const outdir = join(project, "cdktf.out");
    expect(synthesize(fixtureInputs, outdir).ok).toBe(true);
    const stackDir = join(outdir, "stacks", "dev-addons");
    const backend = JSON.parse(readFileSync(join(stackDir, "cdk.tf.json"), "utf8")).terraform.backend.local as {
      path: string;
    };
    const state = resolve(stackDir, backend.path);
    expect(relative(outdir, state).startsWith("..")).toBe(true);
    expect(state).toBe(join(project, "terraform-state", "dev-addons.tfstate"));
    mkdirSync(join(project, "terraform-state"), { recursive: true });
    writeFileSync(state, '{"version":4,"serial":7}\n');
    for (let i = 0; i < 2; i++) expect(synthesize(fixtureInputs, outdir).ok).toBe(true);
    expect(existsSync(state) && readFileSync(state, "utf8")).toBe('{"version":4,"serial":7}\n');
  });

  it("refuses a state directory inside the output folder or above the project", () => {
    for (const directory of ["cdktf.out/state", "../state", "a/../../b"]) {
      const raw = inputs();
      raw.dev.backend = { type: "local", directory };
      const result = loadEnvironments(raw);
      expect(result.ok ? [] : result.errors, directory).toEqual([
        expect.stringMatching(/^config error in dev: backend\.directory .*outside cdktf\.out/),
      ]);
    }
  });
});
