// Runs policy rules over every Terraform resource of a stack as a cdktf Aspect. Violations become
// Annotations (errors in the rule's error tiers, warnings elsewhere, info when waived), so one
// synthesis reports all of them; the same results are kept in `report` for `npm run policy`.
// Add the aspect to each stack: cdktf 0.21 does not apply aspects added to the App.
import { Annotations, TerraformResource, TerraformStack, type IAspect } from "cdktf";
import type { IConstruct } from "constructs";
import { elementsOf, peekResolved, resolverOf } from "../lib/element-terraform";
import type { Tier } from "../config/schema";
import type { PolicyContext, PolicyResource, PolicyRule, Waiver } from "./rule";
import { servesScanners } from "./scanners";

// cdktf's package index exports its classes through getter functions: read once, not per resource.
const Resource = TerraformResource;
const nearestStack = TerraformStack.of;

export type RuleStatus = "pass" | "fail" | "warn" | "waived";

export interface Violation {
  address: string;
  detail: string;
  level: "error" | "warning" | "waived";
  waiver?: string;
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
export function unusedWaivers(r: StackReport): Waiver[] {
  return r.waivers.filter(
    (w) =>
      !r.results.some((x) => x.rule.id === w.rule && x.violations.some((v) => v.address === w.address && v.level === "waived")) &&
      !(servesScanners(w.rule) && r.addresses?.has(w.address)),
  );
}

export interface PolicyAspectProps {
  tier: Tier;
  rules: readonly PolicyRule[];
  waivers?: readonly Waiver[];
}

/** The status of a rule: fail beats warn beats waived beats pass. */
export function ruleStatus(r: RuleResult): RuleStatus {
  if (r.violations.some((v) => v.level === "error")) return "fail";
  if (r.violations.some((v) => v.level === "warning")) return "warn";
  if (r.violations.length) return "waived";
  return "pass";
}

/** One line for a set of rule results (a stack's, or an environment's stacks'): only rules that had
 *  resources to check count. */
export function policySummary(results: readonly RuleResult[]): string {
  const checked = results.filter((x) => x.checked > 0);
  const count = (s: RuleStatus) => checked.filter((x) => ruleStatus(x) === s).length;
  return `${checked.length} rule checks: ${count("pass")} pass, ${count("fail")} fail, ${count("warn")} warn, ${count("waived")} waived`;
}

/** The text of an annotation: "[ID] address: message — detail (waived: reason)". */
export function violationText(rule: PolicyRule, v: Violation): string {
  return `[${rule.id}] ${v.address}: ${rule.message} — ${v.detail}${v.waiver !== undefined ? ` (waived: ${v.waiver})` : ""}`;
}

export function toPolicyResource(resource: TerraformResource, stack?: TerraformStack): PolicyResource {
  const r = peekResolved(resource, stack);
  // Attributes as they are written, cdktf's "//" metadata included (rules read named attributes;
  // copying every resource's attributes without it cost a fiftieth of synthesis).
  let type: string, name: string, raw: Record<string, any>;
  if ("tf" in r) {
    const byType = r.tf.resource as Record<string, Record<string, Record<string, any>>>;
    [type, name, raw] = Object.entries(byType).flatMap(([t, byName]) => Object.entries(byName).map(([n, a]) => [t, n, a] as const))[0]!;
  } else ({ type, name, attrs: raw } = r);
  return { type, address: `${type}.${name}`, attrs: raw };
}

interface StackContext {
  ctx: PolicyContext;
  report: StackReport;
  /** The results of the rules that check this resource type. */
  resultsFor(type: string): RuleResult[];
}

export class PolicyAspect implements IAspect {
  readonly tier: Tier;
  readonly rules: readonly PolicyRule[];
  readonly waivers: readonly Waiver[];
  /** Results per stack visited, filled as synthesis runs the aspect. */
  readonly reports = new Map<string, StackReport>();
  /** Per stack, for one synthesis: keyed by the synthesis's resolver, so that the resolved
   *  resources the context indexes are let go with it once the stack is written. */
  private readonly contexts = new WeakMap<object, StackContext>();
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
    if (!(node instanceof Resource) || this.seen.has(node)) return;
    this.seen.add(node);
    const stack = this.resourceStack(node);
    const { ctx, report, resultsFor } = this.stackContext(stack);
    const resource = toPolicyResource(node, stack);
    (report.addresses as Set<string>).add(resource.address);
    for (const result of resultsFor(resource.type)) {
      const rule = result.rule;
      result.checked++;
      const detail = rule.check(resource, ctx);
      if (detail === undefined) continue;
      const waiver = this.waivers.find((w) => w.rule === rule.id && w.address === resource.address);
      const level = waiver ? "waived" : rule.errorTiers.includes(this.tier) ? "error" : "warning";
      const v: Violation = { address: resource.address, detail, level, ...(waiver ? { waiver: waiver.reason } : {}) };
      result.violations.push(v);
      const text = violationText(rule, v);
      if (level === "error") Annotations.of(node).addError(text);
      else if (level === "warning") Annotations.of(node).addWarning(text);
      else Annotations.of(node).addInfo(text);
    }
  }

  /** The stack a resource is in, which is its parent's (a resource is not a stack): siblings are
   *  visited one after another, so the last parent's stack is kept instead of walking up each time. */
  private lastParent: IConstruct | undefined;
  private lastStack: TerraformStack | undefined;
  private resourceStack(node: IConstruct): TerraformStack {
    const parent = node.node.scope;
    if (parent === undefined || parent !== this.lastParent) {
      this.lastStack = nearestStack(node);
      this.lastParent = parent;
    }
    return this.lastStack!;
  }

  private stackContext(stack: TerraformStack): StackContext {
    const existing = this.contexts.get(resolverOf(stack));
    if (existing) return existing;
    let index: Map<string, PolicyResource> | undefined;
    let byType: Map<string, PolicyResource[]> | undefined;
    const referencedText = new Map<string, PolicyResource | undefined>();
    const all = () => {
      index ??= new Map(
        elementsOf(stack)
          .filter((e): e is TerraformResource => e instanceof Resource)
          .map((r) => {
            const p = toPolicyResource(r, stack);
            return [p.address, p] as const;
          }),
      );
      return index;
    };
    const resolve = (value: unknown) => resolverOf(stack).resolve(value); // the synthesis's resolver and its strings
    const ctx: PolicyContext = {
      tier: this.tier,
      resolve,
      find: (address) => all().get(address),
      ofType: (type) => {
        if (!byType) {
          byType = new Map();
          for (const r of all().values()) {
            const list = byType.get(r.type);
            if (list) list.push(r);
            else byType.set(r.type, [r]);
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
        const m = typeof text === "string" ? /^\$\{([a-z0-9_]+\.[^.}]+)(\.[^}]*)?\}$/.exec(text) : null;
        const found = m ? all().get(m[1]!) : undefined;
        if (typeof value === "string") referencedText.set(value, found);
        return found;
      },
    };
    // A later synthesis (resources added since) adds to the stack's report.
    let report = this.stackReports.get(stack);
    if (!report) {
      report = { stack: stack.node.id, tier: this.tier, results: this.rules.map((rule) => ({ rule, checked: 0, violations: [] })), waivers: this.waivers, addresses: new Set<string>() };
      this.stackReports.set(stack, report);
      this.reports.set(stack.node.id, report);
    }
    const stackReport = report;
    // The rules that check a resource type, in rule order: looked up once per type, not per resource.
    const rulesByType = new Map<string, RuleResult[]>();
    const resultsFor = (type: string) => {
      let list = rulesByType.get(type);
      if (!list) {
        list = stackReport.results.filter((r) => r.rule.resourceTypes.includes(type) || r.rule.resourceTypes.includes("*"));
        rulesByType.set(type, list);
      }
      return list;
    };
    const entry = { ctx, report: stackReport, resultsFor };
    this.contexts.set(resolverOf(stack), entry);
    return entry;
  }
}
