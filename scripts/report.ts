// `npm run report [-- <env> [<env> ...]]`: what each environment contains, read from its
// synthesized stacks: resource counts by type, node groups, database class, replicas per workload
// and the policy summary. Two or more environments print side by side, differing rows marked ≠.
import { cli } from "./lib/cli";
import { policySummary, type StackReport } from "../policy/aspect";
import { environmentOfStack } from "../stacks/naming";
import {
  compare,
  environmentNames,
  helmReleases,
  helmValue,
  isPostgresRelease,
  manifests,
  resourceCounts,
  resourcesOf,
  stacksOf,
  synthesizeAll,
  type Block,
  type SynthesizedStack,
} from "./lib/synthesized";

export const sections = ["resources", "node groups", "database", "replicas"] as const;
export type Section = (typeof sections)[number];

export interface Row {
  section: Section;
  key: string;
  value: string;
}

export interface EnvironmentReport {
  name: string;
  /** Stack ids in apply order. */
  stacks: string[];
  rows: Row[];
  policy: string;
}

/** What the report says when the policy suite was not run for it. */
export const policyNotChecked = "not checked";

/** One line per environment from the policy reports of its stacks. */
export function policyByEnvironment(reports: readonly StackReport[]): Map<string, string> {
  const byEnv = new Map<string, StackReport[]>();
  for (const r of reports) {
    const env = environmentOfStack(r.stack);
    byEnv.set(env, [...(byEnv.get(env) ?? []), r]);
  }
  const out = new Map<string, string>();
  for (const [env, rs] of byEnv) {
    out.set(env, policySummary(rs.flatMap((r) => r.results)));
  }
  return out;
}

export const differs = "≠";
const missing = "—";

/** Resource counts by type over the given stacks, sorted by type, then the total. */
export function countRows(stacks: SynthesizedStack[]): Row[] {
  const counts = new Map<string, number>();
  for (const s of stacks) for (const [type, n] of resourceCounts(s.json)) counts.set(type, (counts.get(type) ?? 0) + n);
  const rows = [...counts]
    .sort(([a], [b]) => compare(a, b))
    .map(([key, n]): Row => ({ section: "resources", key, value: String(n) }));
  const total = [...counts.values()].reduce((a, b) => a + b, 0);
  return [...rows, { section: "resources", key: "total", value: String(total) }];
}

/** One row per EKS managed node group: instance types, capacity type and min/desired/max. */
export function nodeGroupRows(stacks: SynthesizedStack[]): Row[] {
  const rows: Row[] = [];
  for (const s of stacks) {
    for (const [name, g] of resourcesOf(s.json, "aws_eks_node_group")) {
      const scaling = (Array.isArray(g.scaling_config) ? g.scaling_config[0] : g.scaling_config) ?? {};
      const types = ((g.instance_types ?? []) as string[]).join(", ");
      rows.push({
        section: "node groups",
        key: String(g.node_group_name ?? name),
        value: `${types || "default instance type"}${g.capacity_type ? ` · ${g.capacity_type}` : ""} · min ${scaling.min_size} desired ${scaling.desired_size} max ${scaling.max_size}`,
      });
    }
  }
  return rows.sort((a, b) => compare(a.key, b.key));
}

/** The database: RDS class and multi-AZ (and what it replicates), or the in-cluster CloudNativePG release's instances. */
export function databaseRows(stacks: SynthesizedStack[]): Row[] {
  const rows: Row[] = [];
  const row = (key: string, value: string) => rows.push({ section: "database", key, value });
  for (const s of stacks) {
    for (const [, db] of resourcesOf(s.json, "aws_db_instance")) {
      row("class", `${db.instance_class}`);
      row("multi-AZ", db.multi_az ? "yes" : "no");
      row("engine", `${db.engine ?? "?"} ${db.engine_version ?? ""}`.trim());
      if (typeof db.replicate_source_db === "string") {
        const [, , , region, , , id] = db.replicate_source_db.split(":");
        row("replica of", `${id} (${region})`);
      }
    }
    for (const r of helmReleases(s.json).filter(isPostgresRelease)) {
      row("class", "CloudNativePG (in-cluster)");
      row("instances", String(helmValue(r, "cluster.instances")));
      const size = helmValue(r, "cluster.storage.size");
      if (typeof size === "string") row("storage", size);
    }
  }
  return rows;
}

const replicaKeys = new Set(["replicaCount", "replicas"]);

/**
 * Numeric replica settings in Helm values: `replicaCount` and `replicas` anywhere, CloudNativePG's
 * `cluster.instances`, and the `count` or `servers` of named list items (ECK node sets, MinIO pools).
 */
export function helmReplicaPaths(values: unknown): [string, number][] {
  const found: [string, number][] = [];
  const walk = (v: unknown, path: string, inNamedItem: boolean) => {
    if (Array.isArray(v)) {
      v.forEach((item, i) => {
        const name =
          item && typeof item === "object" && typeof (item as Block).name === "string"
            ? (item as Block).name
            : String(i);
        walk(item, `${path}[${name}]`, true);
      });
      return;
    }
    if (!v || typeof v !== "object") return;
    for (const [k, child] of Object.entries(v as Block)) {
      const p = path ? `${path}.${k}` : k;
      if (typeof child === "number") {
        if (replicaKeys.has(k) || p === "cluster.instances" || (inNamedItem && (k === "count" || k === "servers")))
          found.push([p, child]);
      } else {
        walk(child, p, false);
      }
    }
  };
  walk(values, "", false);
  return found;
}

/** Replicas per workload: Helm values, StatefulSets and Deployments, the Superset CR, and HPA bounds. */
export function replicaRows(stacks: SynthesizedStack[]): Row[] {
  const rows: Row[] = [];
  const row = (key: string, value: string) => rows.push({ section: "replicas", key, value });
  for (const s of stacks) {
    for (const r of helmReleases(s.json)) {
      for (const values of r.values)
        for (const [path, n] of helmReplicaPaths(values)) row(`helm ${r.name}: ${path}`, String(n));
    }
    for (const m of manifests(s.json, ["StatefulSet", "Deployment"])) {
      if (typeof m.object.spec?.replicas === "number")
        row(`${m.kind} ${m.namespace}/${m.name}`, String(m.object.spec.replicas));
    }
    for (const m of manifests(s.json, ["Superset"])) {
      const web = m.object.spec?.webServer?.replicas;
      const worker = m.object.spec?.celeryWorker?.replicas;
      if (typeof web === "number") row(`Superset ${m.namespace}/${m.name}: web`, String(web));
      if (typeof worker === "number") row(`Superset ${m.namespace}/${m.name}: worker`, String(worker));
    }
    for (const [name, hpa] of resourcesOf(s.json, "kubernetes_horizontal_pod_autoscaler_v2")) {
      const meta = hpa.metadata ?? {};
      const target = hpa.spec?.scale_target_ref ?? {};
      row(
        `HPA ${meta.namespace ?? "default"}/${meta.name ?? name}`,
        `min ${hpa.spec?.min_replicas ?? 1} max ${hpa.spec?.max_replicas} (${target.kind} ${target.name})`,
      );
    }
  }
  return rows.sort((a, b) => compare(a.key, b.key));
}

/** The report of one environment, from all synthesized stacks. */
export function environmentReport(
  stacks: SynthesizedStack[],
  environment: string,
  policy: string = policyNotChecked,
): EnvironmentReport {
  const mine = stacksOf(stacks, environment);
  if (mine.length === 0) throw new Error(`no stacks for environment ${environment}`);
  return {
    name: environment,
    stacks: mine.map((s) => s.id),
    rows: [...countRows(mine), ...nodeGroupRows(mine), ...databaseRows(mine), ...replicaRows(mine)],
    policy,
  };
}

const pad = (s: string, width: number) => s + " ".repeat(Math.max(0, width - [...s].length));

/** One environment: sections of aligned key/value rows, then the policy line. */
export function renderReport(report: EnvironmentReport): string {
  const width = Math.max(0, ...report.rows.map((r) => [...r.key].length));
  const lines = [`${report.name}: ${report.stacks.join(" → ")}`];
  for (const section of sections) {
    const rows = report.rows.filter((r) => r.section === section);
    lines.push(`  ${section}`);
    if (rows.length === 0) lines.push(`    ${missing}`);
    for (const r of rows) lines.push(`    ${pad(r.key, width)}  ${r.value}`.trimEnd());
  }
  lines.push(`policy: ${report.policy}`);
  return lines.join("\n");
}

export interface ComparedRow {
  section: Section;
  key: string;
  values: string[];
  differs: boolean;
}

/** The union of the reports' rows per section (in the first report's order, then the others'), each with every report's value. */
export function compareReports(reports: EnvironmentReport[]): ComparedRow[] {
  const out: ComparedRow[] = [];
  for (const section of sections) {
    const keys: string[] = [];
    for (const r of reports)
      for (const row of r.rows) if (row.section === section && !keys.includes(row.key)) keys.push(row.key);
    // Counts and replicas read best sorted; "total" stays last.
    if (section !== "database") keys.sort((a, b) => (a === "total" ? 1 : b === "total" ? -1 : compare(a, b)));
    for (const key of keys) {
      const values = reports.map(
        (r) => r.rows.find((row) => row.section === section && row.key === key)?.value ?? missing,
      );
      out.push({ section, key, values, differs: new Set(values).size > 1 });
    }
  }
  return out;
}

/** Environments side by side in aligned columns; rows whose values differ start with ≠. */
export function renderSideBySide(reports: EnvironmentReport[]): string {
  const rows = compareReports(reports);
  const keyWidth = Math.max(...["environment", ...rows.map((r) => r.key)].map((k) => [...k].length));
  const widths = reports.map((r, i) => Math.max([...r.name].length, ...rows.map((row) => [...row.values[i]!].length)));
  const line = (mark: string, key: string, values: string[]) =>
    `${pad(mark, 2)}${pad(key, keyWidth)}  ${values.map((v, i) => pad(v, widths[i]!)).join("  ")}`.trimEnd();
  const lines = [
    line(
      "",
      "environment",
      reports.map((r) => r.name),
    ),
  ];
  for (const section of sections) {
    lines.push(section);
    const inSection = rows.filter((r) => r.section === section);
    if (inSection.length === 0)
      lines.push(
        line(
          "",
          missing,
          reports.map(() => missing),
        ),
      );
    for (const r of inSection) lines.push(line(r.differs ? differs : "", r.key, r.values));
  }
  const policies = [...new Set(reports.map((r) => r.policy))];
  if (policies.length === 1) lines.push(`policy: ${policies[0]}`);
  else
    lines.push(
      line(
        differs,
        "policy",
        reports.map((r) => r.policy),
      ),
    );
  const count = rows.filter((r) => r.differs).length;
  lines.push(`${count} of ${rows.length} rows differ (${differs})`);
  return lines.join("\n");
}

function main(argv: string[]): number {
  const args = [
    ...cli(argv, {
      name: "report",
      usage:
        "usage: npm run report [-- <env> [<env>]]\n  resource counts, node groups, database and replicas per environment; two environments side by side",
      maxPositionals: 2,
    }).positionals,
  ];
  const result = synthesizeAll();
  if (!result.ok) {
    for (const line of result.errors) console.error(line);
    return 1;
  }
  const known = environmentNames(result.stacks);
  const unknown = args.filter((a) => !known.includes(a));
  if (unknown.length > 0) {
    console.error(
      `unknown environment${unknown.length > 1 ? "s" : ""}: ${unknown.join(", ")} (known: ${known.join(", ")})`,
    );
    return 2;
  }
  const chosen = args.length > 0 ? args : known;
  const policy = policyByEnvironment(result.stacks.map((s) => s.policy));
  const reports = chosen.map((env) => environmentReport(result.stacks, env, policy.get(env)));
  console.log(args.length >= 2 ? renderSideBySide(reports) : reports.map(renderReport).join("\n\n"));
  return 0;
}

if (require.main === module) process.exit(main(process.argv.slice(2)));
