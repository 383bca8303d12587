// Markdown summary of Terraform plans, one per stack, from `terraform show -json <planfile>`.
//
//   npx tsx scripts/ci/plan-summary.ts [--title <text>] [--fail-on-stateful-destroy] <stack>.json ...
//
// Each file is named after its stack (`prod-foundation.json`, or `prod-foundation=path/to/plan.json`);
// give them in apply order. Prints counts of create / update / delete / replace per stack and a loud
// DESTROYS STATEFUL RESOURCE section listing every delete or replace of a stateful resource. Exit 0,
// or 2 with --fail-on-stateful-destroy when such a change exists, 1 on unreadable input.
//
// The summary names addresses and actions only, never attribute values: the JSON plan itself holds
// secrets in plain text and must never be uploaded or printed.
import { readFileSync } from "node:fs";
import { basename } from "node:path";
import { statefulManifestKinds, statefulTypes } from "../../lib/stateful";
import { parseCli } from "../lib/cli";

/**
 * What counts as stateful: losing it loses data or breaks everything that references it. The
 * resource types come from lib/stateful.ts (the list the address-lock and prevent_destroy tests
 * use), so a type added there is called out here too; a kubernetes_manifest is stateful only for
 * the kinds listed.
 */
export const STATEFUL_RESOURCES: readonly { type: string; manifestKinds?: readonly string[] }[] = [
  ...statefulTypes.map((type) => ({ type })),
  // The data-holding kinds the address lock knows (StatefulSet, PersistentVolumeClaim, Elasticsearch...).
  { type: "kubernetes_manifest", manifestKinds: [...new Set(statefulManifestKinds.map((k) => k.split("@")[0]!))] },
];

export type ChangeKind = "create" | "update" | "delete" | "replace" | "forget";
export const CHANGE_KINDS: readonly ChangeKind[] = ["create", "update", "delete", "replace", "forget"];

export interface ResourceChange {
  address: string;
  type: string;
  kind: ChangeKind;
  stateful: boolean;
  /** Terraform's action_reason, e.g. replace_because_cannot_update or delete_because_no_resource_config. */
  reason?: string;
}

export interface PlanSummary {
  counts: Record<ChangeKind, number>;
  changes: ResourceChange[];
  /** Deletes and replaces of stateful resources. */
  statefulDestroys: ResourceChange[];
  /** True when Terraform marked the plan as errored (incomplete). */
  errored: boolean;
}

export interface StackPlan {
  stack: string;
  summary: PlanSummary;
}

export class PlanSummaryError extends Error {
  override name = "PlanSummaryError";
}

/** ["create"] -> create, ["delete","create"] or ["create","delete"] -> replace, no-op and read -> null. */
export function classifyActions(actions: readonly string[]): ChangeKind | null {
  const set = new Set(actions);
  if (set.has("delete") && set.has("create")) return "replace";
  if (set.has("delete")) return "delete";
  if (set.has("create")) return "create";
  if (set.has("update")) return "update";
  if (set.has("forget")) return "forget";
  return null;
}

interface RawChange {
  address?: unknown;
  type?: unknown;
  mode?: unknown;
  action_reason?: unknown;
  change?: { actions?: unknown; before?: unknown; after?: unknown };
}

function manifestKind(value: unknown): string | undefined {
  if (typeof value !== "object" || value === null) return undefined;
  const typedValue = value as { manifest?: { kind?: unknown }; object?: { kind?: unknown } };
  const kind = typedValue.manifest?.kind ?? typedValue.object?.kind;
  return typeof kind === "string" ? kind : undefined;
}

/** Whether a resource change (from resource_changes[]) concerns a stateful resource. */
export function isStateful(rc: { type: string; change?: { before?: unknown; after?: unknown } }): boolean {
  const rule = STATEFUL_RESOURCES.find((candidate) => candidate.type === rc.type);
  if (!rule) return false;
  if (!rule.manifestKinds) return true;
  const kinds = [manifestKind(rc.change?.before), manifestKind(rc.change?.after)];
  return kinds.some((k) => k !== undefined && rule.manifestKinds!.includes(k));
}

export function summarizePlan(planJson: unknown): PlanSummary {
  if (typeof planJson !== "object" || planJson === null || Array.isArray(planJson)) {
    throw new PlanSummaryError("not a Terraform JSON plan (expected an object from terraform show -json <planfile>)");
  }
  const plan = planJson as { format_version?: unknown; resource_changes?: unknown; errored?: unknown };
  if (plan.format_version === undefined && plan.resource_changes === undefined) {
    throw new PlanSummaryError("not a Terraform JSON plan (no format_version, no resource_changes)");
  }
  const raw = plan.resource_changes ?? [];
  if (!Array.isArray(raw)) throw new PlanSummaryError("resource_changes is not an array");

  const counts = Object.fromEntries(CHANGE_KINDS.map((k) => [k, 0])) as Record<ChangeKind, number>;
  const changes: ResourceChange[] = [];
  for (const item of raw as RawChange[]) {
    if (item.mode !== undefined && item.mode !== "managed") continue; // data sources only read
    const actions = item.change?.actions;
    if (!Array.isArray(actions) || typeof item.address !== "string" || typeof item.type !== "string") {
      throw new PlanSummaryError(`malformed resource change: ${JSON.stringify(item).slice(0, 200)}`);
    }
    const kind = classifyActions(actions.map(String));
    if (kind === null) continue;
    counts[kind]++;
    const change: ResourceChange = {
      address: item.address,
      type: item.type,
      kind,
      stateful: isStateful({ type: item.type, change: item.change ?? {} }),
    };
    if (typeof item.action_reason === "string") change.reason = item.action_reason;
    changes.push(change);
  }
  return {
    counts,
    changes,
    statefulDestroys: changes.filter(
      (change) => change.stateful && (change.kind === "delete" || change.kind === "replace"),
    ),
    errored: plan.errored === true,
  };
}

const SYMBOL: Record<ChangeKind, string> = { create: "+", update: "~", delete: "-", replace: "-/+", forget: "forget" };

function code(text: string): string {
  return `\`${text.replace(/`/g, "'")}\``;
}

/** A code span inside a table cell: GitHub splits cells on every unescaped pipe, even in code. */
function cell(text: string): string {
  return code(text).replace(/\|/g, "\\|");
}

export interface RenderOptions {
  title?: string;
}

export function renderMarkdown(stacks: readonly StackPlan[], options: RenderOptions = {}): string {
  const out: string[] = [`## ${options.title ?? "Terraform plan"}`, ""];
  const destroys = stacks.flatMap((stack) =>
    stack.summary.statefulDestroys.map((change) => ({ stack: stack.stack, c: change })),
  );

  if (destroys.length > 0) {
    out.push(
      "### :rotating_light: DESTROYS STATEFUL RESOURCE :rotating_light:",
      "",
      "> [!CAUTION]",
      `> ${destroys.length} stateful resource${destroys.length === 1 ? "" : "s"} would be deleted or replaced: data is lost unless it was moved or backed up first.`,
      "",
      "| stack | action | address | reason |",
      "|---|---|---|---|",
      ...destroys.map(
        ({ stack, c }) => `| ${stack} | **${c.kind.toUpperCase()}** | ${cell(c.address)} | ${c.reason ?? ""} |`,
      ),
      "",
    );
  }

  out.push("| stack | create | update | delete | replace | stateful destroys |", "|---|---:|---:|---:|---:|---:|");
  for (const { stack, summary } of stacks) {
    const flag = summary.statefulDestroys.length > 0 ? `**${summary.statefulDestroys.length}**` : "0";
    out.push(
      `| ${stack}${summary.errored ? " (plan errored)" : ""} | ${summary.counts.create} | ${summary.counts.update} | ${summary.counts.delete} | ${summary.counts.replace} | ${flag} |`,
    );
  }
  out.push("");

  for (const { stack, summary } of stacks) {
    out.push(`### ${stack}`, "");
    if (summary.errored) out.push("**The plan errored: it is incomplete.**", "");
    if (summary.changes.length === 0) {
      out.push("No changes.", "");
      continue;
    }
    const forget = summary.counts.forget > 0 ? `, ${summary.counts.forget} to forget` : "";
    out.push(
      `${summary.counts.create} to create, ${summary.counts.update} to update, ${summary.counts.delete} to delete, ${summary.counts.replace} to replace${forget}.`,
      "",
      `<details><summary>${summary.changes.length} resource change${summary.changes.length === 1 ? "" : "s"}</summary>`,
      "",
      ...summary.changes.map(
        (change) =>
          `- ${code(SYMBOL[change.kind])} ${code(change.address)}${change.stateful && change.kind !== "create" && change.kind !== "update" ? " **stateful**" : ""}`,
      ),
      "",
      "</details>",
      "",
    );
  }
  return out.join("\n");
}

/** 2 when asked to fail on stateful destroys and at least one exists, else 0. */
export function exitCode(stacks: readonly StackPlan[], failOnStatefulDestroy: boolean): 0 | 2 {
  return failOnStatefulDestroy && stacks.some((stack) => stack.summary.statefulDestroys.length > 0) ? 2 : 0;
}

/** `prod-foundation=plans/x.json` -> prod-foundation; `plans/prod-foundation.tfplan.json` -> prod-foundation. */
export function stackNameOf(arg: string): { stack: string; path: string } {
  const eq = arg.indexOf("=");
  if (eq > 0) return { stack: arg.slice(0, eq), path: arg.slice(eq + 1) };
  return {
    stack: basename(arg)
      .replace(/\.json$/, "")
      .replace(/\.tfplan$/, ""),
    path: arg,
  };
}

export interface CliOptions {
  title?: string;
  failOnStatefulDestroy: boolean;
  files: string[];
}

export const usage = `usage: npm run plan-summary -- [--title <text>] [--fail-on-stateful-destroy] <stack>.json ...
  Markdown summary of \`terraform show -json\` plans, one file per stack (<stack>.json or <stack>=<path>), in apply order`;

/** The options, or the usage to print with its exit code (0 for --help, 1 for a usage error:
 *  2 means a stateful destroy here). */
export function parseArgs(argv: string[]): CliOptions | { exit: number; out: string } {
  const cli = parseCli(argv, {
    name: "plan-summary",
    usage,
    flags: ["--fail-on-stateful-destroy"],
    options: ["--title"],
    maxPositionals: Infinity,
  });
  if ("exit" in cli) return { exit: cli.exit === 0 ? 0 : 1, out: cli.out };
  if (cli.positionals.length === 0) return { exit: 1, out: `plan-summary: no plan file given\n${usage}` };
  return {
    title: cli.options.get("--title"),
    failOnStatefulDestroy: cli.flags.has("--fail-on-stateful-destroy"),
    files: [...cli.positionals],
  };
}

/** The whole CLI minus process I/O. */
export function run(
  argv: string[],
  read: (path: string) => string = (file) => readFileSync(file, "utf8"),
): { code: number; out: string } {
  try {
    const opts = parseArgs(argv);
    if ("exit" in opts) return { code: opts.exit, out: opts.out };
    const stacks = opts.files.map((arg): StackPlan => {
      const { stack, path } = stackNameOf(arg);
      let json: unknown;
      try {
        json = JSON.parse(read(path));
      } catch (err) {
        throw new PlanSummaryError(`${path}: ${err instanceof Error ? err.message : String(err)}`);
      }
      try {
        return { stack, summary: summarizePlan(json) };
      } catch (err) {
        throw new PlanSummaryError(`${path}: ${err instanceof Error ? err.message : String(err)}`);
      }
    });
    const options: RenderOptions = opts.title === undefined ? {} : { title: opts.title };
    return { code: exitCode(stacks, opts.failOnStatefulDestroy), out: renderMarkdown(stacks, options) };
  } catch (err) {
    if (err instanceof PlanSummaryError) return { code: 1, out: `plan-summary: ${err.message}` };
    throw err;
  }
}

if (require.main === module) {
  const { code, out } = run(process.argv.slice(2));
  // The summary goes to stdout even when exiting 2: CI still publishes it.
  (code === 1 ? process.stderr : process.stdout).write(`${out}\n`);
  if (code === 2)
    process.stderr.write(
      "plan-summary: a stateful resource would be deleted or replaced (--fail-on-stateful-destroy)\n",
    );
  process.exitCode = code;
}
