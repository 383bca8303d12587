// `npm run policy`: synthesizes every stack of the committed environments in memory with the
// policy suite added to each stack (tier from the environment owning the stack), prints one table
// per stack (rule, status, offending resources, waivers) followed by each violation in full (what to
// change: a configuration key or the code) and exits 1 on any error-level violation.
// The suite and the waivers are the ones every synthesis applies (stacks/policy.ts: waivers come
// from each environment's `policy.waivers`).
import { environmentInputs, loadOrThrow, type EnvironmentConfig } from "../config";
import { environmentOfStack } from "../stacks/naming";
import { ruleStatus, unusedWaivers, violationText, type StackReport } from "../policy";
import { cli } from "./lib/cli";
import { synthesizeAllOrThrow } from "./lib/synthesized";

/** The environment a stack belongs to: stack ids are `<environment>-<layer>`. */
export function environmentOf(stackId: string, envs: readonly EnvironmentConfig[]): EnvironmentConfig | undefined {
  const name = environmentOfStack(stackId);
  return envs.find((env) => env.name === name);
}

/** Every stack's report; synthesis in memory runs the suite without failing on its errors. */
export function runPolicy(raw: Record<string, unknown> = environmentInputs): StackReport[] {
  return synthesizeAllOrThrow(raw).map((stack) => stack.policy);
}

export function formatReport(report: StackReport): string {
  const rows = report.results
    .filter((result) => result.checked > 0)
    .map((result) => {
      const offenders = result.violations.map((violation) => violation.address).join(", ");
      const waivers = result.violations
        .filter((violation) => violation.waiver !== undefined)
        .map((violation) => `${violation.address}: ${violation.waiver}`)
        .join("; ");
      return [result.rule.id, ruleStatus(result), offenders || "-", waivers || "-"];
    });
  const head = ["rule", "status", "offending resources", "waivers"];
  const widths = head.map((header, i) => Math.max(header.length, ...rows.map((row) => Math.min(row[i]!.length, 100))));
  const line = (cells: string[]) =>
    cells
      .map((cell, i) => cell.padEnd(widths[i]!))
      .join("  ")
      .trimEnd();
  const notApplicable = report.results.filter((result) => result.checked === 0).length;
  // Each violation in full: rule, resource, message, what to change (configuration key or code) and
  // how to waive it, or the waiver's reason (policy/aspect.ts violationText).
  const details = report.results.flatMap((result) =>
    result.violations.map((violation) => `  ${violation.level}: ${violationText(result.rule, violation)}`),
  );
  return [
    `${report.stack} (tier ${report.tier})`,
    line(head),
    line(widths.map((waiver) => "-".repeat(waiver))),
    ...rows.map(line),
    `${notApplicable} rule(s) had no resources to check`,
    ...details,
  ].join("\n");
}

/** Waivers of an environment that matched no violation in any of its stacks (one the scanners may
 *  use counts as used where its resource exists: policy/aspect.ts `unusedWaivers`). */
export function unusedWaiverLines(reports: readonly StackReport[], envs: readonly EnvironmentConfig[]): string[] {
  const used = new Set<string>();
  const all = new Map<string, string>();
  for (const report of reports) {
    const env = environmentOf(report.stack, envs)?.name ?? report.stack;
    const unused = new Set(unusedWaivers(report));
    for (const waiver of report.waivers) {
      const key = `${env}: ${waiver.rule} ${waiver.address}`;
      all.set(key, `${key} (${waiver.reason})`);
      if (!unused.has(waiver)) used.add(key);
    }
  }
  return [...all]
    .filter(([k]) => !used.has(k))
    .map(
      ([, text]) => `unused waiver ${text}: it matches no violation; remove it or correct its rule, address or stack`,
    );
}

export function hasErrors(reports: readonly StackReport[]): boolean {
  return reports.some((report) => report.results.some((result) => ruleStatus(result) === "fail"));
}

if (require.main === module) {
  cli(process.argv.slice(2), {
    name: "policy",
    usage:
      "usage: npm run policy\n  runs the policy suite on every stack of every environment, prints one table per stack, exits 1 on an error-level violation",
  });
  const reports = runPolicy();
  for (const report of reports) console.log(formatReport(report) + "\n");
  for (const line of unusedWaiverLines(reports, loadOrThrow(environmentInputs))) console.log(line);
  const failed = reports.flatMap((report) =>
    report.results
      .filter((result) => ruleStatus(result) === "fail")
      .map((result) => `${report.stack} ${result.rule.id}`),
  );
  console.log(
    failed.length
      ? `policy: ${failed.length} failing rule(s): ${failed.join(", ")}`
      : "policy: no error-level violations",
  );
  process.exitCode = hasErrors(reports) ? 1 : 0;
}
