// What runs against your own config/environments: generic, with no expectation of the sample's
// values. Every environment loads; its stacks synthesize with the ids `cdktf deploy` takes; the
// policy suite finds no error-level violation. (The address lock, the environment pages, the
// runbooks, the CI workflows, the address map and the list of environment files are checked
// against your configuration by their own tests.) The product's behaviour is tested on
// test/fixtures/environments.
import { describe, expect, it } from "vitest";
import { environmentInputs, loadEnvironments } from "../config";
import { stackLayers } from "../stacks/naming";
import { sharedStacks } from "./helpers";

describe("your configuration", () => {
  const loaded = loadEnvironments(environmentInputs);

  it("loads every environment", () => {
    expect(loaded.ok ? [] : loaded.errors).toEqual([]);
  });

  it("synthesizes each environment's stacks, named <env>-<layer>", () => {
    if (!loaded.ok) return;
    const ids = sharedStacks("user").map((s) => s.id);
    for (const env of loaded.environments) {
      const mine = ids.filter((id) => stackLayers.some((l) => id === `${env.name}-${l}`));
      expect(mine, env.name).toContain(`${env.name}-apps`);
      if (env.platform === "aws") expect(mine, env.name).toContain(`${env.name}-foundation`);
    }
    expect(ids.every((id) => loaded.environments.some((e) => stackLayers.some((l) => id === `${e.name}-${l}`)))).toBe(true);
  });

  it("passes the policy suite: no error-level violation in any stack", () => {
    const failing = sharedStacks("user").flatMap((s) => s.policy.results.filter((r) => r.violations.some((v) => v.level === "error")).map((r) => `${s.id} ${r.rule.id}`));
    expect(failing).toEqual([]);
  });
});
