// Runs policy rules over every Terraform resource of a stack as a cdktf Aspect. Violations become
// Annotations (errors in the rule's error tiers, warnings elsewhere, info when waived), so one
// synthesis reports all of them; the same results are kept in `report` for `npm run policy`.
// Add the aspect to each stack: cdktf 0.21 does not apply aspects added to the App.
import {
  Annotations,
  DefaultTokenResolver,
  StringConcat,
  TerraformResource,
  TerraformStack,
  Tokenization,
  type IAspect,
} from "cdktf";
import type { IConstruct } from "constructs";
import type { Tier } from "../config/schema";
import type { PolicyContext, PolicyResource, PolicyRule, Waiver } from "./rule";
import { declaringFile } from "../lib/construct-files";
import { fixText, waiverHint } from "./fix";
import { servesScanners } from "./scanners";

/** The resolver cdktf writes a stack's JSON with (its default), through the public token API. */
const resolver = new DefaultTokenResolver(new StringConcat());

/** Resolves a value in a stack as cdktf does when it writes the stack's JSON. */
export function resolveIn(stack: TerraformStack, value: unknown): any {
  return Tokenization.resolve(value, { scope: stack, preparing: false, resolver });
}

export type RuleStatus = "pass" | "fail" | "warn" | "waived";

export interface Violation {
  address: string;
  detail: string;
  level: "error" | "warning" | "waived";
  waiver?: string;
  /** The file of the project construct that declared the resource (lib/construct-files.ts). */
  source?: string;
}

export interface RuleResult {
  rule: PolicyRule;
  /** How many resources of the rule's types were checked. */
  checked: number;
  violations: Violation[];
}

export interface StackReport {
  stack: string;
  tier: Tier;
  results: RuleResult[];
  /** The waivers given for this stack, used or not. */
  waivers: readonly Waiver[];
  /** The address of every resource of the stack the suite visited. */
  addresses?: ReadonlySet<string>;
}

/**
 * Waivers that matched no violation: stale, mistyped, or naming a rule that does not exist. A
 * waiver the scanners may use (it names a Checkov or Trivy check, or an own rule that covers some:
 * policy/scanners.ts) is left to the live tier's scan, the only one that sees the scanners'
 * findings, as long as its resource is in the stack; naming no resource of the stack, it is unused.
 */
export function unusedWaivers(report: StackReport): Waiver[] {
  return report.waivers.filter(
    (waiver) =>
      !report.results.some(
        (result) =>
          result.rule.id === waiver.rule &&
          result.violations.some((violation) => violation.address === waiver.address && violation.level === "waived"),
      ) && !(servesScanners(waiver.rule) && report.addresses?.has(waiver.address)),
  );
}

export interface PolicyAspectProps {
  tier: Tier;
  rules: readonly PolicyRule[];
  waivers?: readonly Waiver[];
}

/** The status of a rule: fail beats warn beats waived beats pass. */
export function ruleStatus(result: RuleResult): RuleStatus {
  if (result.violations.some((violation) => violation.level === "error")) return "fail";
  if (result.violations.some((violation) => violation.level === "warning")) return "warn";
  if (result.violations.length) return "waived";
  return "pass";
}

/** One line for a set of rule results (a stack's, or an environment's stacks'): only rules that had
 *  resources to check count. */
export function policySummary(results: readonly RuleResult[]): string {
  const checked = results.filter((result) => result.checked > 0);
  const count = (status: RuleStatus) => checked.filter((result) => ruleStatus(result) === status).length;
  return `${checked.length} rule checks: ${count("pass")} pass, ${count("fail")} fail, ${count("warn")} warn, ${count("waived")} waived`;
}

/** The text of an annotation: "[ID] address: message — detail. To change: <configuration keys, or
 *  the code>. Or waive it ..." (policy/fix.ts); a waived one ends "(waived: reason)" instead. */
export function violationText(rule: PolicyRule, violation: Violation): string {
  const waived =
    violation.waiver !== undefined ? ` (waived: ${violation.waiver})` : ` ${waiverHint(rule, violation.address)}`;
  return `[${rule.id}] ${violation.address}: ${rule.message} — ${violation.detail}. ${fixText(rule.fix, violation.source)}${waived}`;
}

/** The resource as it is written to the stack's JSON (cdktf's "//" metadata included); undefined for
 *  one that moved away (it writes no resource block). */
export function toPolicyResource(
  resource: TerraformResource,
  stack = TerraformStack.of(resource),
): PolicyResource | undefined {
  const written = resolveIn(stack, resource.toTerraform()) as {
    resource?: Record<string, Record<string, Record<string, any>>>;
  };
  const type = resource.terraformResourceType;
  const name = resource.friendlyUniqueId;
  const attrs = written.resource?.[type]?.[name];
  return attrs ? { type, address: `${type}.${name}`, attrs } : undefined;
}

interface StackContext {
  ctx: PolicyContext;
  report: StackReport;
  /** The results of the rules that check this resource type. */
  resultsFor(type: string): RuleResult[];
  /** The resource as written, resolved once per synthesis. */
  policyResource(r: TerraformResource): PolicyResource | undefined;
}

export class PolicyAspect implements IAspect {
  readonly tier: Tier;
  readonly rules: readonly PolicyRule[];
  readonly waivers: readonly Waiver[];
  /** Results per stack visited, filled as synthesis runs the aspect. */
  readonly reports = new Map<string, StackReport>();
  /** Per stack, for one synthesis (see visit): the resources it indexes are resolved once. */
  private readonly contexts = new WeakMap<TerraformStack, StackContext>();
  private readonly stackReports = new WeakMap<TerraformStack, StackReport>();
  private readonly seen = new Set<IConstruct>();

  constructor(props: PolicyAspectProps) {
    this.tier = props.tier;
    this.rules = props.rules;
    this.waivers = props.waivers ?? [];
  }

  /** The report of the one stack this aspect was added to (the usual case). */
  get report(): StackReport | undefined {
    return [...this.reports.values()][0];
  }

  visit(node: IConstruct): void {
    // A synthesis visits the stack before what it holds: each one indexes the stack afresh.
    if (TerraformStack.isStack(node)) this.contexts.delete(node);
    if (!(node instanceof TerraformResource) || this.seen.has(node)) return;
    this.seen.add(node);
    const { ctx, report, resultsFor, policyResource } = this.stackContext(TerraformStack.of(node));
    const resource = policyResource(node);
    if (!resource) return;
    (report.addresses as Set<string>).add(resource.address);
    for (const result of resultsFor(resource.type)) {
      const rule = result.rule;
      result.checked++;
      const detail = rule.check(resource, ctx);
      if (detail === undefined) continue;
      const waiver = this.waivers.find(
        (candidate) => candidate.rule === rule.id && candidate.address === resource.address,
      );
      const level = waiver ? "waived" : rule.errorTiers.includes(this.tier) ? "error" : "warning";
      const source = declaringFile(node);
      const violation: Violation = {
        address: resource.address,
        detail,
        level,
        ...(waiver ? { waiver: waiver.reason } : {}),
        ...(source ? { source } : {}),
      };
      result.violations.push(violation);
      const text = violationText(rule, violation);
      if (level === "error") Annotations.of(node).addError(text);
      else if (level === "warning") Annotations.of(node).addWarning(text);
      else Annotations.of(node).addInfo(text);
    }
  }

  private stackContext(stack: TerraformStack): StackContext {
    const existing = this.contexts.get(stack);
    if (existing) return existing;
    let index: Map<string, PolicyResource> | undefined;
    let byType: Map<string, PolicyResource[]> | undefined;
    const referencedText = new Map<string, PolicyResource | undefined>();
    const resolved = new Map<TerraformResource, PolicyResource | undefined>();
    const policyResource = (terraformResource: TerraformResource) => {
      if (!resolved.has(terraformResource)) resolved.set(terraformResource, toPolicyResource(terraformResource, stack));
      return resolved.get(terraformResource);
    };
    const all = () => {
      index ??= new Map(
        stack.node
          .findAll()
          .filter(
            (node): node is TerraformResource => node instanceof TerraformResource && TerraformStack.of(node) === stack,
          )
          .flatMap((terraformResource) => {
            const resource = policyResource(terraformResource);
            return resource ? [[resource.address, resource] as const] : [];
          }),
      );
      return index;
    };
    const resolve = (value: unknown) => resolveIn(stack, value);
    const ctx: PolicyContext = {
      tier: this.tier,
      resolve,
      find: (address) => all().get(address),
      ofType: (type) => {
        if (!byType) {
          byType = new Map();
          for (const resource of all().values()) {
            const list = byType.get(resource.type);
            if (list) list.push(resource);
            else byType.set(resource.type, [resource]);
          }
        }
        return byType.get(type) ?? [];
      },
      referenced: (value) => {
        // Rules that relate resources ask about the same references many times: remember strings.
        if (typeof value === "string" && referencedText.has(value)) return referencedText.get(value);
        let text: unknown;
        try {
          text = resolve(value);
        } catch {
          return undefined;
        }
        const match = typeof text === "string" ? /^\$\{([a-z0-9_]+\.[^.}]+)(\.[^}]*)?\}$/.exec(text) : null;
        const found = match ? all().get(match[1]!) : undefined;
        if (typeof value === "string") referencedText.set(value, found);
        return found;
      },
    };
    // A later synthesis (resources added since) adds to the stack's report.
    let report = this.stackReports.get(stack);
    if (!report) {
      report = {
        stack: stack.node.id,
        tier: this.tier,
        results: this.rules.map((rule) => ({ rule, checked: 0, violations: [] })),
        waivers: this.waivers,
        addresses: new Set<string>(),
      };
      this.stackReports.set(stack, report);
      this.reports.set(stack.node.id, report);
    }
    const stackReport = report;
    // The rules that check a resource type, in rule order: looked up once per type, not per resource.
    const rulesByType = new Map<string, RuleResult[]>();
    const resultsFor = (type: string) => {
      let list = rulesByType.get(type);
      if (!list) {
        list = stackReport.results.filter(
          (result) => result.rule.resourceTypes.includes(type) || result.rule.resourceTypes.includes("*"),
        );
        rulesByType.set(type, list);
      }
      return list;
    };
    const entry = { ctx, report: stackReport, resultsFor, policyResource };
    this.contexts.set(stack, entry);
    return entry;
  }
}
