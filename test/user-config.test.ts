// What runs against your own config/environments: generic, with no expectation of the sample's
// values. Every environment loads; its stacks synthesize with the ids `cdktf deploy` takes; the
// policy suite finds no error-level violation. (The address lock, the environment pages, the
// runbooks, the CI workflows, the address map and the list of environment files are checked
// against your configuration by their own tests.) The product's behaviour is tested on
// test/fixtures/environments.
import { existsSync, mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { environmentInputs, loadEnvironments } from "../config";
import { stackLayers } from "../stacks/naming";
import { runUserSnapshots, userSnapshots } from "../scripts/user-snapshots";
import { fixtureInputs } from "./fixtures/environments";
import { sharedStacks } from "./helpers";

/** --check of your own snapshots (0 when you have not opted in). */
const runUserSnapshotsCheck = () => runUserSnapshots(["--check"]);

describe("your configuration", () => {
  const loaded = loadEnvironments(environmentInputs);

  it("loads every environment", () => {
    expect(loaded.ok ? [] : loaded.errors).toEqual([]);
  });

  it("synthesizes each environment's stacks, named <env>-<layer>", () => {
    if (!loaded.ok) return;
    const ids = sharedStacks("user").map((stack) => stack.id);
    for (const env of loaded.environments) {
      const mine = ids.filter((id) => stackLayers.some((layer) => id === `${env.name}-${layer}`));
      expect(mine, env.name).toContain(`${env.name}-apps`);
      if (env.platform === "aws") expect(mine, env.name).toContain(`${env.name}-foundation`);
    }
    expect(
      ids.every((id) => loaded.environments.some((env) => stackLayers.some((layer) => id === `${env.name}-${layer}`))),
    ).toBe(true);
  });

  it("passes the policy suite: no error-level violation in any stack", () => {
    const failing = sharedStacks("user").flatMap((stack) =>
      stack.policy.results
        .filter((result) => result.violations.some((violation) => violation.level === "error"))
        .map((result) => `${stack.id} ${result.rule.id}`),
    );
    expect(failing).toEqual([]);
  });
});

describe("your opted-in snapshots (snapshots/, npm run user-snapshots)", () => {
  it("match what your configuration synthesizes, when you opted in", () => {
    const stale = runUserSnapshotsCheck();
    expect(stale, "run npm run generate and review the diff of snapshots/").toBe(0);
  });

  it("are written only once opted in, then checked, and flag a stack that is gone", () => {
    const dir = mkdtempSync(join(tmpdir(), "odp-user-snapshots-"));
    expect(runUserSnapshots([], dir, fixtureInputs)).toBe(0);
    expect(existsSync(join(dir, "snapshots"))).toBe(false);
    mkdirSync(join(dir, "snapshots"));
    expect(runUserSnapshots(["--check"], dir, fixtureInputs)).toBe(1);
    expect(runUserSnapshots([], dir, fixtureInputs)).toBe(0);
    expect(runUserSnapshots(["--check"], dir, fixtureInputs)).toBe(0);
    writeFileSync(join(dir, "snapshots", "gone-apps.tf.json"), "{}\n");
    expect(userSnapshots(fixtureInputs, dir)).toMatch(/no longer exist: gone-apps\.tf\.json/);
  });
});
