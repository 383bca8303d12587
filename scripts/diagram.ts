// `npm run diagram`: writes docs/environments/<env>.md, a summary and a Mermaid diagram of each
// environment generated from its synthesized stacks (never drawn by hand): the stacks in apply
// order, workloads, data stores, ingress hosts and disaster-recovery replication.
// `npm run diagram -- --check` writes nothing and exits 1 if a committed file differs.
import { cli } from "./lib/cli";
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join, relative, resolve } from "node:path";
import {
  environmentNames,
  compare,
  helmReleases,
  helmValue,
  isMinioRelease,
  isPostgresRelease,
  manifests,
  providerRegion,
  referencedResource,
  resourcesOf,
  stacksOf,
  synthesizeAll,
  type Block,
  type Manifest,
  type SynthesizedStack,
} from "./lib/synthesized";

export type NodeKind = "workload" | "store" | "host";

export interface DiagramNode {
  /** Mermaid id, unique across all stacks. */
  id: string;
  kind: NodeKind;
  /** Short name, for the summary. */
  name: string;
  /** Summaries list nodes of one group together: "S3 buckets bronze, gold and silver". */
  group?: string;
  /** Lines of the node's label. */
  label: string[];
}

export interface StackModel {
  id: string;
  layer: string;
  region?: string;
  /** Ids of the stacks of the same environment applied before this one. */
  dependsOn: string[];
  resourceCount: number;
  nodes: DiagramNode[];
}

export interface Edge {
  from: string;
  to: string;
  label?: string;
  style: "route" | "replication";
}

/** Nodes of another environment's stack that this environment's replication reads or writes. */
export interface ExternalStack {
  id: string;
  region?: string;
  role: "source" | "standby";
  nodes: DiagramNode[];
}

export interface ReplicationLink {
  kind: "database" | "bucket";
  /** Stack ids of both ends. */
  sourceStack: string;
  targetStack: string;
  source: DiagramNode;
  target: DiagramNode;
  label: string;
}

export interface EnvironmentModel {
  name: string;
  /** `aws:<region>` or `kubernetes:<context>`. */
  platform: { kind: "aws"; region: string } | { kind: "kubernetes"; context?: string };
  stacks: StackModel[];
  external: ExternalStack[];
  edges: Edge[];
  replication: ReplicationLink[];
}

const byId = <T extends { id: string }>(a: T, b: T) => compare(a.id, b.id);
const byName = (a: DiagramNode, b: DiagramNode) => compare(a.name, b.name) || compare(a.id, b.id);
const mermaidId = (...parts: string[]) => parts.join("__").replace(/[^A-Za-z0-9_]/g, "_");
const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

/** The workload nodes of a stack: helm releases (except in-cluster data stores) and Superset, StatefulSet and CronJob objects. */
function workloadNodes(stack: SynthesizedStack): DiagramNode[] {
  const nodes: DiagramNode[] = [];
  for (const r of helmReleases(stack.json)) {
    if (isPostgresRelease(r) || isMinioRelease(r)) continue;
    nodes.push({
      id: mermaidId(stack.id, "helm", r.namespace, r.name),
      kind: "workload",
      name: r.name,
      label: [r.name, `helm ${r.chart} · ns ${r.namespace}`],
    });
  }
  for (const m of manifests(stack.json, ["Superset", "StatefulSet", "CronJob"])) {
    nodes.push({
      id: manifestNodeId(stack.id, m),
      kind: "workload",
      name: m.name,
      label: [m.name, `${m.kind} · ns ${m.namespace}`, ...manifestDetail(m)],
    });
  }
  return nodes;
}

const manifestNodeId = (stackId: string, m: Pick<Manifest, "kind" | "namespace" | "name">) =>
  mermaidId(stackId, m.kind, m.namespace, m.name);

function manifestDetail(m: Manifest): string[] {
  const spec = (m.object.spec ?? {}) as Block;
  if (m.kind === "StatefulSet" && typeof spec.replicas === "number") return [plural(spec.replicas, "replica")];
  if (m.kind === "CronJob" && typeof spec.schedule === "string") return [`schedule ${spec.schedule}`];
  if (m.kind === "Superset") {
    const web = spec.webServer?.replicas;
    const worker = spec.celeryWorker?.replicas;
    if (typeof web === "number" && typeof worker === "number") return [`web ×${web}, worker ×${worker}`];
  }
  return [];
}

interface StoreIndex {
  /** RDS instances by identifier. */
  databases: Map<string, { stack: SynthesizedStack; node: DiagramNode }>;
  /** S3 buckets by name, and by `<stack>/<resource name>`. */
  buckets: Map<string, { stack: SynthesizedStack; node: DiagramNode }>;
}

/** The data store nodes of a stack: RDS instances, S3 buckets by zone, in-cluster PostgreSQL and MinIO releases. */
function storeNodes(stack: SynthesizedStack, index?: StoreIndex): DiagramNode[] {
  const nodes: DiagramNode[] = [];
  for (const [name, db] of resourcesOf(stack.json, "aws_db_instance")) {
    const identifier = String(db.identifier ?? name);
    const kind = db.replicate_source_db
      ? "RDS read replica"
      : `RDS ${db.engine ?? "database"} ${db.engine_version ?? ""}`.trim();
    const node: DiagramNode = {
      id: mermaidId(stack.id, "db", name),
      kind: "store",
      name: `RDS ${identifier} (${db.instance_class}${db.multi_az ? ", multi-AZ" : ", single-AZ"})`,
      label: [identifier, kind, `${db.instance_class}, ${db.multi_az ? "multi-AZ" : "single-AZ"}`],
    };
    nodes.push(node);
    index?.databases.set(identifier, { stack, node });
  }
  for (const [name, b] of resourcesOf(stack.json, "aws_s3_bucket")) {
    const bucket = String(b.bucket ?? name);
    const zone = bucketZone(bucket, stack.environment);
    const node: DiagramNode = {
      id: mermaidId(stack.id, "s3", name),
      kind: "store",
      name: zone,
      group: "S3 buckets",
      label: [`S3 ${zone}`, bucket],
    };
    nodes.push(node);
    index?.buckets.set(bucket, { stack, node });
    index?.buckets.set(`${stack.id}/${name}`, { stack, node });
  }
  for (const r of helmReleases(stack.json)) {
    const id = mermaidId(stack.id, "helm", r.namespace, r.name);
    if (isPostgresRelease(r)) {
      const instances = helmValue(r, "cluster.instances") as number;
      const size = helmValue(r, "cluster.storage.size");
      nodes.push({
        id,
        kind: "store",
        name: `in-cluster PostgreSQL ${r.name} (${plural(instances, "instance")})`,
        label: [
          r.name,
          `CloudNativePG · ns ${r.namespace}`,
          `${plural(instances, "instance")}${typeof size === "string" ? `, ${size}` : ""}`,
        ],
      });
    } else if (isMinioRelease(r)) {
      const pools = (helmValue(r, "tenant.pools") as Block[]).map((p) => `${p.servers}×${p.volumesPerServer} drives`);
      const buckets = ((helmValue(r, "tenant.buckets") ?? []) as Block[]).map((b) => String(b.name)).sort();
      nodes.push({
        id,
        kind: "store",
        name: `in-cluster MinIO ${r.name} (buckets ${buckets.join(", ")})`,
        label: [
          r.name,
          `MinIO tenant · ns ${r.namespace}`,
          pools.join(", "),
          ...(buckets.length ? [`buckets ${buckets.join(", ")}`] : []),
        ],
      });
    }
  }
  return nodes;
}

/** `<prefix>-<env>-<zone>` -> zone; other names stay whole. */
export function bucketZone(bucket: string, environment: string): string {
  const marker = `-${environment}-`;
  const i = bucket.lastIndexOf(marker);
  return i < 0 ? bucket : bucket.slice(i + marker.length);
}

interface Route {
  host: string;
  namespace: string;
  service?: string;
}

/** Hosts of ALB ingress rules and HTTPRoutes. */
function routesOf(stack: SynthesizedStack): Route[] {
  const routes: Route[] = [];
  for (const [, ing] of resourcesOf(stack.json, "kubernetes_ingress_v1")) {
    const namespace = String(ing.metadata?.namespace ?? "default");
    for (const rule of (ing.spec?.rule ?? []) as Block[]) {
      if (typeof rule.host !== "string") continue;
      const service = ((rule.http?.path ?? []) as Block[])[0]?.backend?.service?.name;
      routes.push({ host: rule.host, namespace, service: typeof service === "string" ? service : undefined });
    }
  }
  for (const m of manifests(stack.json, ["HTTPRoute"])) {
    const service = ((m.object.spec?.rules ?? []) as Block[])[0]?.backendRefs?.[0]?.name;
    for (const host of (m.object.spec?.hostnames ?? []) as unknown[]) {
      if (typeof host === "string")
        routes.push({ host, namespace: m.namespace, service: typeof service === "string" ? service : undefined });
    }
  }
  return routes.sort((a, b) => compare(a.host, b.host));
}

/** The workload node a route reaches: through the Service's selector when it is a manifest, else by namespace. */
function routeTarget(stack: SynthesizedStack, route: Route, workloads: DiagramNode[]): string | undefined {
  const objects = manifests(stack.json, ["Service", "StatefulSet", "Superset", "CronJob"]).filter(
    (m) => m.namespace === route.namespace,
  );
  const service = objects.find((m) => m.kind === "Service" && m.name === route.service);
  const selector = service?.object.spec?.selector as Record<string, string> | undefined;
  if (selector) {
    const target = objects.find(
      (m) =>
        m.kind === "StatefulSet" &&
        Object.entries(selector).every(([k, v]) => m.object.spec?.template?.metadata?.labels?.[k] === v),
    );
    if (target) return manifestNodeId(stack.id, target);
  }
  const inNamespace = new Set([
    ...helmReleases(stack.json)
      .filter((r) => r.namespace === route.namespace)
      .map((r) => mermaidId(stack.id, "helm", r.namespace, r.name)),
    ...objects.filter((m) => m.kind !== "Service").map((m) => manifestNodeId(stack.id, m)),
  ]);
  const candidates = workloads.filter((w) => inNamespace.has(w.id));
  if (candidates.length === 1) return candidates[0]!.id;
  return candidates.find((w) => route.service?.startsWith(w.name))?.id;
}

function stackRegion(stack: SynthesizedStack): string | undefined {
  return providerRegion(stack.json, "aws");
}

/** Every cross-stack replication in the synthesized stacks: RDS read replicas and S3 replication rules. */
function replicationLinks(stacks: SynthesizedStack[], index: StoreIndex): ReplicationLink[] {
  const links: ReplicationLink[] = [];
  for (const stack of stacks) {
    for (const [name, db] of resourcesOf(stack.json, "aws_db_instance")) {
      if (typeof db.replicate_source_db !== "string") continue;
      const sourceId = db.replicate_source_db.split(":").pop()!;
      const source = index.databases.get(sourceId);
      const target = index.databases.get(String(db.identifier ?? name));
      if (!source || !target) continue;
      links.push({
        kind: "database",
        sourceStack: source.stack.id,
        targetStack: stack.id,
        source: source.node,
        target: target.node,
        label: "RDS read replica",
      });
    }
    for (const [, rep] of resourcesOf(stack.json, "aws_s3_bucket_replication_configuration")) {
      const source = index.buckets.get(String(rep.bucket));
      for (const rule of (rep.rule ?? []) as Block[]) {
        // The destination: a bucket of the same stack by reference, or another stack's by ARN.
        const dest = rule.destination?.bucket;
        const ref = referencedResource(dest);
        const target =
          ref?.[0] === "aws_s3_bucket"
            ? index.buckets.get(`${stack.id}/${ref[1]}`)
            : typeof dest === "string"
              ? index.buckets.get(dest.split(":::")[1] ?? "")
              : undefined;
        if (!source || !target) continue;
        const minutes = rule.destination?.replication_time?.time?.minutes;
        const prefix = typeof rule.filter?.prefix === "string" && rule.filter.prefix ? ` of ${rule.filter.prefix}` : "";
        links.push({
          kind: "bucket",
          sourceStack: source.stack.id,
          targetStack: target.stack.id,
          source: source.node,
          target: target.node,
          label: `S3 replication${prefix}${typeof minutes === "number" ? `, ${minutes} min` : ""}`,
        });
      }
    }
  }
  return links.sort((a, b) => compare(a.source.id, b.source.id) || compare(a.target.id, b.target.id));
}

/** The model of one environment, read from all synthesized stacks (replication may cross environments). */
export function environmentModel(stacks: SynthesizedStack[], environment: string): EnvironmentModel {
  const index: StoreIndex = { databases: new Map(), buckets: new Map() };
  const storesByStack = new Map(stacks.map((s) => [s.id, storeNodes(s, index)]));
  const mine = stacksOf(stacks, environment);
  if (mine.length === 0) throw new Error(`no stacks for environment ${environment}`);
  const ids = new Set(mine.map((s) => s.id));

  const edges: Edge[] = [];
  const models: StackModel[] = mine.map((stack) => {
    const workloads = workloadNodes(stack).sort(byName);
    const hosts: DiagramNode[] = [];
    for (const route of routesOf(stack)) {
      const id = mermaidId(stack.id, "host", route.host);
      if (hosts.some((h) => h.id === id)) continue;
      hosts.push({ id, kind: "host", name: route.host, label: [route.host] });
      const target = routeTarget(stack, route, workloads);
      if (target) edges.push({ from: id, to: target, style: "route" });
    }
    const region = stackRegion(stack);
    return {
      id: stack.id,
      layer: stack.layer,
      ...(region ? { region } : {}),
      dependsOn: stack.dependencies.filter((d) => ids.has(d)),
      resourceCount: Object.values(stack.json.resource ?? {}).reduce((n, all) => n + Object.keys(all).length, 0),
      nodes: [...workloads, ...(storesByStack.get(stack.id) ?? []).sort(byName), ...hosts.sort(byName)],
    };
  });

  const replication = replicationLinks(stacks, index).filter((l) => ids.has(l.sourceStack) || ids.has(l.targetStack));
  const external = new Map<string, ExternalStack>();
  for (const l of replication) {
    for (const [stackId, node, role] of [
      [l.sourceStack, l.source, "source"],
      [l.targetStack, l.target, "standby"],
    ] as const) {
      if (ids.has(stackId)) continue;
      const region = stackRegion(stacks.find((s) => s.id === stackId)!);
      const ext = external.get(stackId) ?? { id: stackId, ...(region ? { region } : {}), role, nodes: [] };
      if (!ext.nodes.some((n) => n.id === node.id)) ext.nodes.push(node);
      external.set(stackId, ext);
    }
    edges.push({ from: l.source.id, to: l.target.id, label: l.label, style: "replication" });
  }

  const region = models.map((m) => m.region).find((r) => r !== undefined);
  const context = mine
    .map((s) => s.json.provider?.kubernetes?.[0]?.config_context)
    .find((c) => typeof c === "string") as string | undefined;
  return {
    name: environment,
    platform: region ? { kind: "aws", region } : { kind: "kubernetes", ...(context ? { context } : {}) },
    stacks: models,
    external: [...external.values()].map((e) => ({ ...e, nodes: e.nodes.sort(byName) })).sort(byId),
    edges: edges.sort((a, b) => compare(a.style, b.style) || compare(a.from, b.from) || compare(a.to, b.to)),
    replication,
  };
}

/** The models of every environment, in configuration order. */
export function platformModels(stacks: SynthesizedStack[]): EnvironmentModel[] {
  return environmentNames(stacks).map((env) => environmentModel(stacks, env));
}

const escapeLabel = (s: string) => s.replace(/"/g, "#quot;");
const nodeLine = (n: DiagramNode) => {
  const text = `"${n.label.map(escapeLabel).join("<br/>")}"`;
  return n.kind === "store" ? `${n.id}[(${text})]` : n.kind === "host" ? `${n.id}([${text}])` : `${n.id}[${text}]`;
};

function list(items: string[]): string {
  if (items.length <= 1) return items.join("");
  return `${items.slice(0, -1).join(", ")} and ${items[items.length - 1]}`;
}

/** One paragraph: where it runs, its stacks in order, workloads, data stores, hosts and replication. */
export function summary(model: EnvironmentModel): string {
  const nodes = model.stacks.flatMap((s) => s.nodes);
  const names = (kind: NodeKind) => {
    const ofKind = nodes.filter((n) => n.kind === kind);
    const single = ofKind.filter((n) => !n.group).map((n) => n.name);
    const groups = [...new Set(ofKind.flatMap((n) => (n.group ? [n.group] : [])))].map(
      (g) => `${g} ${list([...new Set(ofKind.filter((n) => n.group === g).map((n) => n.name))].sort())}`,
    );
    return [...new Set([...single, ...groups])].sort();
  };
  const resources = model.stacks.reduce((n, s) => n + s.resourceCount, 0);
  const where =
    model.platform.kind === "aws"
      ? `on AWS in ${model.platform.region}`
      : `on a plain Kubernetes cluster${model.platform.context ? ` (kubeconfig context ${model.platform.context})` : ""}`;
  const parts = [
    `${model.name} runs ${where} and is applied as ${plural(model.stacks.length, "stack")}, in order ${model.stacks.map((s) => s.id).join(" → ")} (${plural(resources, "resource")} in all).`,
    `Workloads: ${list(names("workload")) || "none"}.`,
    `Data stores: ${list(names("store")) || "none"}.`,
    `Hosts: ${list(names("host")) || "none"}.`,
  ];
  const bySide = (pick: (l: ReplicationLink) => string) => [...new Set(model.replication.map(pick))].sort();
  const incoming = model.replication.filter((l) => model.stacks.some((s) => s.id === l.targetStack));
  const outgoing = model.replication.filter((l) => !model.stacks.some((s) => s.id === l.targetStack));
  const what = (links: ReplicationLink[]) =>
    list([
      ...(links.some((l) => l.kind === "database") ? ["the database (RDS read replica)"] : []),
      ...(links.some((l) => l.kind === "bucket")
        ? [
            `the ${list([...new Set(links.filter((l) => l.kind === "bucket").map((l) => l.source.name))].sort())} buckets (S3 replication)`,
          ]
        : []),
    ]);
  if (incoming.length > 0) {
    parts.push(
      `Disaster recovery: ${list(bySide((l) => l.targetStack).filter((id) => incoming.some((l) => l.targetStack === id)))} replicates ${what(incoming)} from ${list([...new Set(incoming.map((l) => l.sourceStack))].sort())}.`,
    );
  }
  if (outgoing.length > 0) {
    parts.push(
      `Disaster recovery: ${what(outgoing)} ${outgoing.length === 1 ? "is" : "are"} replicated to the standby by ${list([...new Set(outgoing.map((l) => l.targetStack))].sort())}.`,
    );
  }
  return parts.join(" ");
}

/** The Mermaid flowchart of one environment. */
export function renderMermaid(model: EnvironmentModel): string {
  const lines = ["flowchart LR"];
  const subgraph = (id: string, title: string, nodes: DiagramNode[]) => {
    lines.push(`  subgraph ${mermaidId(id)} ["${escapeLabel(title)}"]`, "    direction TB");
    if (nodes.length === 0) lines.push(`    ${mermaidId(id, "empty")}["no workloads, data stores or hosts"]`);
    for (const n of nodes) lines.push(`    ${nodeLine(n)}`);
    lines.push("  end");
  };
  const external = (role: ExternalStack["role"]) => {
    for (const ext of model.external.filter((e) => e.role === role)) {
      subgraph(
        ext.id,
        `${ext.id}${ext.region ? ` (${ext.region})` : ""}: ${role === "source" ? "replication source" : "standby"}`,
        ext.nodes,
      );
    }
  };
  // Left to right: what this environment replicates from, its own stacks in apply order, its standby.
  external("source");
  for (const s of model.stacks) subgraph(s.id, `${s.id}${s.region ? ` (${s.region})` : ""}`, s.nodes);
  external("standby");
  for (const s of model.stacks) for (const d of s.dependsOn) lines.push(`  ${mermaidId(d)} ==> ${mermaidId(s.id)}`);
  for (const e of model.edges) {
    lines.push(
      e.style === "replication"
        ? `  ${e.from} -.->|"${escapeLabel(e.label ?? "")}"| ${e.to}`
        : `  ${e.from} --> ${e.to}`,
    );
  }
  const all = [...model.stacks.flatMap((s) => s.nodes), ...model.external.flatMap((e) => e.nodes)];
  lines.push(
    "  classDef workload fill:#e8f0fe,stroke:#4a6fa5,color:#1b2a41",
    "  classDef store fill:#fff4e0,stroke:#c08a2d,color:#3d2c0e",
    "  classDef host fill:#e9f7ef,stroke:#3c8d5a,color:#173d25",
  );
  for (const kind of ["workload", "store", "host"] as const) {
    const ids = [...new Set(all.filter((n) => n.kind === kind).map((n) => n.id))].sort();
    if (ids.length > 0) lines.push(`  class ${ids.join(",")} ${kind}`);
  }
  return lines.join("\n");
}

/** The whole docs/environments/<env>.md page. */
export function renderMarkdown(model: EnvironmentModel): string {
  return [
    `# ${model.name} environment`,
    "",
    "<!-- Generated by `npm run diagram` from the synthesized stacks. Do not edit by hand: `npm run diagram -- --check` fails on drift. -->",
    "",
    summary(model),
    "",
    "Stacks are subgraphs in apply order (thick arrows: stack dependencies). Boxes are workloads (Helm releases by release name, " +
      "Superset, StatefulSet and CronJob objects), cylinders are data stores, rounded boxes are ingress hosts with an arrow to the " +
      "workload they reach, and dotted arrows are disaster-recovery replication.",
    "",
    "```mermaid",
    renderMermaid(model),
    "```",
    "",
  ].join("\n");
}

/** Every page to write, by file name. */
export function renderAll(stacks: SynthesizedStack[]): Map<string, string> {
  return new Map(platformModels(stacks).map((m) => [`${m.name}.md`, renderMarkdown(m)]));
}

export const docsDir = resolve(__dirname, "..", "docs", "environments");

/** Files that differ from what would be generated: changed, missing, or left over from an environment that is gone. */
export function drift(pages: Map<string, string>, dir: string = docsDir): string[] {
  const problems: string[] = [];
  for (const [file, content] of pages) {
    const path = join(dir, file);
    if (!existsSync(path)) problems.push(`missing: ${path}`);
    else if (readFileSync(path, "utf8") !== content) problems.push(`differs: ${path}`);
  }
  if (existsSync(dir)) {
    for (const file of readdirSync(dir).sort()) {
      if (file.endsWith(".md") && !pages.has(file)) problems.push(`stale: ${join(dir, file)}`);
    }
  }
  return problems;
}

/**
 * The command on already synthesized stacks: with `--check`, report drift and return 1 if any;
 * otherwise write every page (removing pages of environments that are gone).
 */
export function run(
  args: string[],
  stacks: SynthesizedStack[],
  dir: string = docsDir,
): { code: number; lines: string[] } {
  const pages = renderAll(stacks);
  const problems = drift(pages, dir);
  if (args.includes("--check")) {
    if (problems.length === 0) return { code: 0, lines: [`${dir} is up to date (${pages.size} environments)`] };
    return { code: 1, lines: [...problems, `${dir} is out of date: run \`npm run diagram\` and commit the result`] };
  }
  mkdirSync(dir, { recursive: true });
  for (const problem of problems) {
    if (problem.startsWith("stale: ")) rmSync(problem.slice("stale: ".length));
  }
  for (const [file, content] of pages) writeFileSync(join(dir, file), content);
  return {
    code: 0,
    lines: [`wrote ${[...pages.keys()].map((f) => relative(process.cwd(), join(dir, f))).join(", ")}`],
  };
}

function main(argv: string[]): number {
  const args = [
    ...cli(argv, {
      name: "diagram",
      usage:
        "usage: npm run diagram [-- --check]\n  writes docs/environments/<env>.md from the synthesized stacks; --check writes nothing and exits 1 on drift",
      flags: ["--check"],
    }).flags,
  ];
  const result = synthesizeAll();
  if (!result.ok) {
    for (const line of result.errors) console.error(line);
    return 1;
  }
  const { code, lines } = run(args, result.stacks);
  for (const line of lines) (code === 0 ? console.log : console.error)(line);
  return code;
}

if (require.main === module) process.exit(main(process.argv.slice(2)));
