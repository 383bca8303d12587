// The policy suite over the committed environments, as `npm run policy` runs it: its reports are
// those of the run's shared synthesis (runPolicy takes them from the same synthesizeAll).
import { describe, expect, it } from "vitest";
import { environmentOf, formatReport, hasErrors } from "../../scripts/policy";
import { environments, sharedReports } from "../helpers";
import { ruleStatus } from "../../policy";

describe("npm run policy", () => {
  const reports = sharedReports();

  it("checks every stack with its environment's tier", () => {
    const envs = environments();
    expect(reports.length).toBeGreaterThan(0);
    for (const r of reports) expect(r.tier).toBe(environmentOf(r.stack, envs)!.tier);
    expect(reports.find((r) => r.stack === "prod-foundation")?.tier).toBe("production");
  });

  it("prints a table per stack", () => {
    const text = formatReport(reports.find((r) => r.stack === "prod-foundation")!);
    expect(text).toContain("prod-foundation (tier production)");
    expect(text).toMatch(/RDS-001\s+(pass|fail|warn|waived)/);
  });

  it("has no error-level violations in the committed stacks", () => {
    const failing = reports.flatMap((r) =>
      r.results.filter((x) => ruleStatus(x) === "fail").map((x) => `${r.stack} ${x.rule.id}`),
    );
    expect(failing).toEqual([]);
    expect(hasErrors(reports)).toBe(false);
  });
});
