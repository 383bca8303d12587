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
    for (const report of reports) expect(report.tier).toBe(environmentOf(report.stack, envs)!.tier);
    expect(reports.find((report) => report.stack === "prod-foundation")?.tier).toBe("production");
  });

  it("prints a table per stack", () => {
    const text = formatReport(reports.find((report) => report.stack === "prod-foundation")!);
    expect(text).toContain("prod-foundation (tier production)");
    expect(text).toMatch(/RDS-001\s+(pass|fail|warn|waived)/);
  });

  it("has no error-level violations in the committed stacks", () => {
    const failing = reports.flatMap((report) =>
      report.results
        .filter((result) => ruleStatus(result) === "fail")
        .map((result) => `${report.stack} ${result.rule.id}`),
    );
    expect(failing).toEqual([]);
    expect(hasErrors(reports)).toBe(false);
  });
});
