// `npm run policy`: synthesizes every stack of the committed environments in memory with the
// policy suite added to each stack (tier from the environment owning the stack), prints one table
// per stack (rule, status, offending resources, waivers) and exits 1 on any error-level violation.
// Waivers are a parameter for now; they will move into config/ (issue 5 part 1).
import { Testing, TerraformStack, Aspects } from "cdktf";
import { environmentInputs, loadOrThrow, type EnvironmentConfig } from "../config";
import { buildStacks } from "../stacks";
import { allRules, PolicyAspect, ruleStatus, type PolicyRule, type StackReport, type Waiver } from "../policy";

/** The environment a stack belongs to: stack ids are `<environment>-<layer>`. */
export function environmentOf(stackId: string, envs: readonly EnvironmentConfig[]): EnvironmentConfig | undefined {
  return [...envs].sort((a, b) => b.name.length - a.name.length).find((e) => stackId === e.name || stackId.startsWith(`${e.name}-`));
}

export function runPolicy(raw: Record<string, unknown> = environmentInputs, rules: readonly PolicyRule[] = allRules, waivers: readonly Waiver[] = []): StackReport[] {
  const envs = loadOrThrow(raw);
  const app = Testing.app();
  buildStacks(app, envs);
  const reports: StackReport[] = [];
  for (const stack of app.node.children.filter((c): c is TerraformStack => c instanceof TerraformStack)) {
    const env = environmentOf(stack.node.id, envs);
    if (!env) throw new Error(`stack ${stack.node.id} belongs to no environment`);
    const aspect = new PolicyAspect({ tier: env.tier, rules, waivers });
    Aspects.of(stack).add(aspect);
    Testing.synth(stack); // runs aspects; errors are collected in the report rather than thrown
    reports.push(aspect.report ?? { stack: stack.node.id, tier: env.tier, results: rules.map((rule) => ({ rule, checked: 0, violations: [] })) });
  }
  return reports;
}

export function formatReport(r: StackReport): string {
  const rows = r.results
    .filter((x) => x.checked > 0)
    .map((x) => {
      const offenders = x.violations.map((v) => v.address).join(", ");
      const waivers = x.violations.filter((v) => v.waiver !== undefined).map((v) => `${v.address}: ${v.waiver}`).join("; ");
      return [x.rule.id, ruleStatus(x), offenders || "-", waivers || "-"];
    });
  const head = ["rule", "status", "offending resources", "waivers"];
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((row) => Math.min(row[i]!.length, 100))));
  const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i]!)).join("  ").trimEnd();
  const notApplicable = r.results.filter((x) => x.checked === 0).length;
  return [`${r.stack} (tier ${r.tier})`, line(head), line(widths.map((w) => "-".repeat(w))), ...rows.map(line), `${notApplicable} rule(s) had no resources to check`].join("\n");
}

export function hasErrors(reports: readonly StackReport[]): boolean {
  return reports.some((r) => r.results.some((x) => ruleStatus(x) === "fail"));
}

if (require.main === module) {
  const reports = runPolicy();
  for (const r of reports) console.log(formatReport(r) + "\n");
  const failed = reports.flatMap((r) => r.results.filter((x) => ruleStatus(x) === "fail").map((x) => `${r.stack} ${x.rule.id}`));
  console.log(failed.length ? `policy: ${failed.length} failing rule(s): ${failed.join(", ")}` : "policy: no error-level violations");
  process.exitCode = hasErrors(reports) ? 1 : 0;
}
