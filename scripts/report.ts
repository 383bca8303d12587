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
  for (const report of reports) {
    const env = environmentOfStack(report.stack);
    byEnv.set(env, [...(byEnv.get(env) ?? []), report]);
  }
  const out = new Map<string, string>();
  for (const [env, rs] of byEnv) {
    out.set(env, policySummary(rs.flatMap((report) => report.results)));
  }
  return out;
}

export const differs = "≠";
const missing = "—";

/** Resource counts by type over the given stacks, sorted by type, then the total. */
export function countRows(stacks: SynthesizedStack[]): Row[] {
  const counts = new Map<string, number>();
  for (const stack of stacks)
    for (const [type, count] of resourceCounts(stack.json)) counts.set(type, (counts.get(type) ?? 0) + count);
  const rows = [...counts]
    .sort(([left], [right]) => compare(left, right))
    .map(([key, count]): Row => ({ section: "resources", key, value: String(count) }));
  const total = [...counts.values()].reduce((sum, count) => sum + count, 0);
  return [...rows, { section: "resources", key: "total", value: String(total) }];
}

/** One row per EKS managed node group: instance types, capacity type and min/desired/max. */
export function nodeGroupRows(stacks: SynthesizedStack[]): Row[] {
  const rows: Row[] = [];
  for (const stack of stacks) {
    for (const [name, group] of resourcesOf(stack.json, "aws_eks_node_group")) {
      const scaling = (Array.isArray(group.scaling_config) ? group.scaling_config[0] : group.scaling_config) ?? {};
      const types = ((group.instance_types ?? []) as string[]).join(", ");
      rows.push({
        section: "node groups",
        key: String(group.node_group_name ?? name),
        value: `${types || "default instance type"}${group.capacity_type ? ` · ${group.capacity_type}` : ""} · min ${scaling.min_size} desired ${scaling.desired_size} max ${scaling.max_size}`,
      });
    }
  }
  return rows.sort((left, right) => compare(left.key, right.key));
}

/** The database: RDS class and multi-AZ (and what it replicates), or the in-cluster CloudNativePG release's instances. */
export function databaseRows(stacks: SynthesizedStack[]): Row[] {
  const rows: Row[] = [];
  const row = (key: string, value: string) => rows.push({ section: "database", key, value });
  for (const stack of stacks) {
    for (const [, db] of resourcesOf(stack.json, "aws_db_instance")) {
      row("class", `${db.instance_class}`);
      row("multi-AZ", db.multi_az ? "yes" : "no");
      row("engine", `${db.engine ?? "?"} ${db.engine_version ?? ""}`.trim());
      if (typeof db.replicate_source_db === "string") {
        const [, , , region, , , id] = db.replicate_source_db.split(":");
        row("replica of", `${id} (${region})`);
      }
    }
    for (const release of helmReleases(stack.json).filter(isPostgresRelease)) {
      row("class", "CloudNativePG (in-cluster)");
      row("instances", String(helmValue(release, "cluster.instances")));
      const size = helmValue(release, "cluster.storage.size");
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
  const walk = (value: unknown, path: string, inNamedItem: boolean) => {
    if (Array.isArray(value)) {
      value.forEach((item, i) => {
        const name =
          item && typeof item === "object" && typeof (item as Block).name === "string"
            ? (item as Block).name
            : String(i);
        walk(item, `${path}[${name}]`, true);
      });
      return;
    }
    if (!value || typeof value !== "object") return;
    for (const [k, child] of Object.entries(value as Block)) {
      const keyPath = path ? `${path}.${k}` : k;
      if (typeof child === "number") {
        if (
          replicaKeys.has(k) ||
          keyPath === "cluster.instances" ||
          (inNamedItem && (k === "count" || k === "servers"))
        )
          found.push([keyPath, child]);
      } else {
        walk(child, keyPath, false);
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
  for (const stack of stacks) {
    for (const release of helmReleases(stack.json)) {
      for (const values of release.values)
        for (const [path, replicas] of helmReplicaPaths(values)) row(`helm ${release.name}: ${path}`, String(replicas));
    }
    for (const manifest of manifests(stack.json, ["StatefulSet", "Deployment"])) {
      if (typeof manifest.object.spec?.replicas === "number")
        row(`${manifest.kind} ${manifest.namespace}/${manifest.name}`, String(manifest.object.spec.replicas));
    }
    for (const manifest of manifests(stack.json, ["Superset"])) {
      const web = manifest.object.spec?.webServer?.replicas;
      const worker = manifest.object.spec?.celeryWorker?.replicas;
      if (typeof web === "number") row(`Superset ${manifest.namespace}/${manifest.name}: web`, String(web));
      if (typeof worker === "number") row(`Superset ${manifest.namespace}/${manifest.name}: worker`, String(worker));
    }
    for (const [name, hpa] of resourcesOf(stack.json, "kubernetes_horizontal_pod_autoscaler_v2")) {
      const meta = hpa.metadata ?? {};
      const target = hpa.spec?.scale_target_ref ?? {};
      row(
        `HPA ${meta.namespace ?? "default"}/${meta.name ?? name}`,
        `min ${hpa.spec?.min_replicas ?? 1} max ${hpa.spec?.max_replicas} (${target.kind} ${target.name})`,
      );
    }
  }
  return rows.sort((left, right) => compare(left.key, right.key));
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
    stacks: mine.map((stack) => stack.id),
    rows: [...countRows(mine), ...nodeGroupRows(mine), ...databaseRows(mine), ...replicaRows(mine)],
    policy,
  };
}

const pad = (text: string, width: number) => text + " ".repeat(Math.max(0, width - [...text].length));

/** One environment: sections of aligned key/value rows, then the policy line. */
export function renderReport(report: EnvironmentReport): string {
  const width = Math.max(0, ...report.rows.map((row) => [...row.key].length));
  const lines = [`${report.name}: ${report.stacks.join(" → ")}`];
  for (const section of sections) {
    const rows = report.rows.filter((row) => row.section === section);
    lines.push(`  ${section}`);
    if (rows.length === 0) lines.push(`    ${missing}`);
    for (const row of rows) lines.push(`    ${pad(row.key, width)}  ${row.value}`.trimEnd());
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
    for (const report of reports)
      for (const row of report.rows) if (row.section === section && !keys.includes(row.key)) keys.push(row.key);
    // Counts and replicas read best sorted; "total" stays last.
    if (section !== "database")
      keys.sort((left, right) => (left === "total" ? 1 : right === "total" ? -1 : compare(left, right)));
    for (const key of keys) {
      const values = reports.map(
        (report) => report.rows.find((row) => row.section === section && row.key === key)?.value ?? missing,
      );
      out.push({ section, key, values, differs: new Set(values).size > 1 });
    }
  }
  return out;
}

/** Environments side by side in aligned columns; rows whose values differ start with ≠. */
export function renderSideBySide(reports: EnvironmentReport[]): string {
  const rows = compareReports(reports);
  const keyWidth = Math.max(...["environment", ...rows.map((row) => row.key)].map((k) => [...k].length));
  const widths = reports.map((report, i) =>
    Math.max([...report.name].length, ...rows.map((row) => [...row.values[i]!].length)),
  );
  const line = (mark: string, key: string, values: string[]) =>
    `${pad(mark, 2)}${pad(key, keyWidth)}  ${values.map((value, i) => pad(value, widths[i]!)).join("  ")}`.trimEnd();
  const lines = [
    line(
      "",
      "environment",
      reports.map((report) => report.name),
    ),
  ];
  for (const section of sections) {
    lines.push(section);
    const inSection = rows.filter((row) => row.section === section);
    if (inSection.length === 0)
      lines.push(
        line(
          "",
          missing,
          reports.map(() => missing),
        ),
      );
    for (const row of inSection) lines.push(line(row.differs ? differs : "", row.key, row.values));
  }
  const policies = [...new Set(reports.map((report) => report.policy))];
  if (policies.length === 1) lines.push(`policy: ${policies[0]}`);
  else
    lines.push(
      line(
        differs,
        "policy",
        reports.map((report) => report.policy),
      ),
    );
  const count = rows.filter((row) => row.differs).length;
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
  const unknown = args.filter((arg) => !known.includes(arg));
  if (unknown.length > 0) {
    console.error(
      `unknown environment${unknown.length > 1 ? "s" : ""}: ${unknown.join(", ")} (known: ${known.join(", ")})`,
    );
    return 2;
  }
  const chosen = args.length > 0 ? args : known;
  const policy = policyByEnvironment(result.stacks.map((stack) => stack.policy));
  const reports = chosen.map((env) => environmentReport(result.stacks, env, policy.get(env)));
  console.log(args.length >= 2 ? renderSideBySide(reports) : reports.map(renderReport).join("\n\n"));
  return 0;
}

if (require.main === module) process.exit(main(process.argv.slice(2)));
