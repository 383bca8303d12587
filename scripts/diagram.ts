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

const byId = <T extends { id: string }>(left: T, right: T) => compare(left.id, right.id);
const byName = (left: DiagramNode, right: DiagramNode) => compare(left.name, right.name) || compare(left.id, right.id);
const mermaidId = (...parts: string[]) => parts.join("__").replace(/[^A-Za-z0-9_]/g, "_");
const plural = (count: number, one: string, many = `${one}s`) => `${count} ${count === 1 ? one : many}`;

/** The workload nodes of a stack: helm releases (except in-cluster data stores) and Superset, StatefulSet and CronJob objects. */
function workloadNodes(stack: SynthesizedStack): DiagramNode[] {
  const nodes: DiagramNode[] = [];
  for (const release of helmReleases(stack.json)) {
    if (isPostgresRelease(release) || isMinioRelease(release)) continue;
    nodes.push({
      id: mermaidId(stack.id, "helm", release.namespace, release.name),
      kind: "workload",
      name: release.name,
      label: [release.name, `helm ${release.chart} · ns ${release.namespace}`],
    });
  }
  for (const manifest of manifests(stack.json, ["Superset", "StatefulSet", "CronJob"])) {
    nodes.push({
      id: manifestNodeId(stack.id, manifest),
      kind: "workload",
      name: manifest.name,
      label: [manifest.name, `${manifest.kind} · ns ${manifest.namespace}`, ...manifestDetail(manifest)],
    });
  }
  return nodes;
}

const manifestNodeId = (stackId: string, manifest: Pick<Manifest, "kind" | "namespace" | "name">) =>
  mermaidId(stackId, manifest.kind, manifest.namespace, manifest.name);

function manifestDetail(manifest: Manifest): string[] {
  const spec = (manifest.object.spec ?? {}) as Block;
  if (manifest.kind === "StatefulSet" && typeof spec.replicas === "number") return [plural(spec.replicas, "replica")];
  if (manifest.kind === "CronJob" && typeof spec.schedule === "string") return [`schedule ${spec.schedule}`];
  if (manifest.kind === "Superset") {
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
  for (const [name, attrs] of resourcesOf(stack.json, "aws_s3_bucket")) {
    const bucket = String(attrs.bucket ?? name);
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
  for (const release of helmReleases(stack.json)) {
    const id = mermaidId(stack.id, "helm", release.namespace, release.name);
    if (isPostgresRelease(release)) {
      const instances = helmValue(release, "cluster.instances") as number;
      const size = helmValue(release, "cluster.storage.size");
      nodes.push({
        id,
        kind: "store",
        name: `in-cluster PostgreSQL ${release.name} (${plural(instances, "instance")})`,
        label: [
          release.name,
          `CloudNativePG · ns ${release.namespace}`,
          `${plural(instances, "instance")}${typeof size === "string" ? `, ${size}` : ""}`,
        ],
      });
    } else if (isMinioRelease(release)) {
      const pools = (helmValue(release, "tenant.pools") as Block[]).map(
        (pool) => `${pool.servers}×${pool.volumesPerServer} drives`,
      );
      const buckets = ((helmValue(release, "tenant.buckets") ?? []) as Block[])
        .map((bucket) => String(bucket.name))
        .sort();
      nodes.push({
        id,
        kind: "store",
        name: `in-cluster MinIO ${release.name} (buckets ${buckets.join(", ")})`,
        label: [
          release.name,
          `MinIO tenant · ns ${release.namespace}`,
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
  for (const manifest of manifests(stack.json, ["HTTPRoute"])) {
    const service = ((manifest.object.spec?.rules ?? []) as Block[])[0]?.backendRefs?.[0]?.name;
    for (const host of (manifest.object.spec?.hostnames ?? []) as unknown[]) {
      if (typeof host === "string")
        routes.push({
          host,
          namespace: manifest.namespace,
          service: typeof service === "string" ? service : undefined,
        });
    }
  }
  return routes.sort((left, right) => compare(left.host, right.host));
}

/** The workload node a route reaches: through the Service's selector when it is a manifest, else by namespace. */
function routeTarget(stack: SynthesizedStack, route: Route, workloads: DiagramNode[]): string | undefined {
  const objects = manifests(stack.json, ["Service", "StatefulSet", "Superset", "CronJob"]).filter(
    (object) => object.namespace === route.namespace,
  );
  const service = objects.find((object) => object.kind === "Service" && object.name === route.service);
  const selector = service?.object.spec?.selector as Record<string, string> | undefined;
  if (selector) {
    const target = objects.find(
      (object) =>
        object.kind === "StatefulSet" &&
        Object.entries(selector).every(([k, value]) => object.object.spec?.template?.metadata?.labels?.[k] === value),
    );
    if (target) return manifestNodeId(stack.id, target);
  }
  const inNamespace = new Set([
    ...helmReleases(stack.json)
      .filter((release) => release.namespace === route.namespace)
      .map((release) => mermaidId(stack.id, "helm", release.namespace, release.name)),
    ...objects.filter((object) => object.kind !== "Service").map((object) => manifestNodeId(stack.id, object)),
  ]);
  const candidates = workloads.filter((workload) => inNamespace.has(workload.id));
  if (candidates.length === 1) return candidates[0]!.id;
  return candidates.find((workload) => route.service?.startsWith(workload.name))?.id;
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
  return links.sort(
    (left, right) => compare(left.source.id, right.source.id) || compare(left.target.id, right.target.id),
  );
}

/** The model of one environment, read from all synthesized stacks (replication may cross environments). */
export function environmentModel(stacks: SynthesizedStack[], environment: string): EnvironmentModel {
  const index: StoreIndex = { databases: new Map(), buckets: new Map() };
  const storesByStack = new Map(stacks.map((stack) => [stack.id, storeNodes(stack, index)]));
  const mine = stacksOf(stacks, environment);
  if (mine.length === 0) throw new Error(`no stacks for environment ${environment}`);
  const ids = new Set(mine.map((stack) => stack.id));

  const edges: Edge[] = [];
  const models: StackModel[] = mine.map((stack) => {
    const workloads = workloadNodes(stack).sort(byName);
    const hosts: DiagramNode[] = [];
    for (const route of routesOf(stack)) {
      const id = mermaidId(stack.id, "host", route.host);
      if (hosts.some((host) => host.id === id)) continue;
      hosts.push({ id, kind: "host", name: route.host, label: [route.host] });
      const target = routeTarget(stack, route, workloads);
      if (target) edges.push({ from: id, to: target, style: "route" });
    }
    const region = stackRegion(stack);
    return {
      id: stack.id,
      layer: stack.layer,
      ...(region ? { region } : {}),
      dependsOn: stack.dependencies.filter((dependency) => ids.has(dependency)),
      resourceCount: Object.values(stack.json.resource ?? {}).reduce(
        (total, all) => total + Object.keys(all).length,
        0,
      ),
      nodes: [...workloads, ...(storesByStack.get(stack.id) ?? []).sort(byName), ...hosts.sort(byName)],
    };
  });

  const replication = replicationLinks(stacks, index).filter(
    (link) => ids.has(link.sourceStack) || ids.has(link.targetStack),
  );
  const external = new Map<string, ExternalStack>();
  for (const link of replication) {
    for (const [stackId, node, role] of [
      [link.sourceStack, link.source, "source"],
      [link.targetStack, link.target, "standby"],
    ] as const) {
      if (ids.has(stackId)) continue;
      const region = stackRegion(stacks.find((stack) => stack.id === stackId)!);
      const ext = external.get(stackId) ?? { id: stackId, ...(region ? { region } : {}), role, nodes: [] };
      if (!ext.nodes.some((existing) => existing.id === node.id)) ext.nodes.push(node);
      external.set(stackId, ext);
    }
    edges.push({ from: link.source.id, to: link.target.id, label: link.label, style: "replication" });
  }

  const region = models.map((model) => model.region).find((found) => found !== undefined);
  const context = mine
    .map((stack) => stack.json.provider?.kubernetes?.[0]?.config_context)
    .find((candidate) => typeof candidate === "string") as string | undefined;
  return {
    name: environment,
    platform: region ? { kind: "aws", region } : { kind: "kubernetes", ...(context ? { context } : {}) },
    stacks: models,
    external: [...external.values()]
      .map((externalGroup) => ({ ...externalGroup, nodes: externalGroup.nodes.sort(byName) }))
      .sort(byId),
    edges: edges.sort(
      (left, right) => compare(left.style, right.style) || compare(left.from, right.from) || compare(left.to, right.to),
    ),
    replication,
  };
}

/** The models of every environment, in configuration order. */
export function platformModels(stacks: SynthesizedStack[]): EnvironmentModel[] {
  return environmentNames(stacks).map((env) => environmentModel(stacks, env));
}

const escapeLabel = (text: string) => text.replace(/"/g, "#quot;");
const nodeLine = (node: DiagramNode) => {
  const text = `"${node.label.map(escapeLabel).join("<br/>")}"`;
  return node.kind === "store"
    ? `${node.id}[(${text})]`
    : node.kind === "host"
      ? `${node.id}([${text}])`
      : `${node.id}[${text}]`;
};

function list(items: string[]): string {
  if (items.length <= 1) return items.join("");
  return `${items.slice(0, -1).join(", ")} and ${items[items.length - 1]}`;
}

/** One paragraph: where it runs, its stacks in order, workloads, data stores, hosts and replication. */
export function summary(model: EnvironmentModel): string {
  const nodes = model.stacks.flatMap((stack) => stack.nodes);
  const names = (kind: NodeKind) => {
    const ofKind = nodes.filter((node) => node.kind === kind);
    const single = ofKind.filter((node) => !node.group).map((node) => node.name);
    const groups = [...new Set(ofKind.flatMap((node) => (node.group ? [node.group] : [])))].map(
      (group) =>
        `${group} ${list([...new Set(ofKind.filter((node) => node.group === group).map((node) => node.name))].sort())}`,
    );
    return [...new Set([...single, ...groups])].sort();
  };
  const resources = model.stacks.reduce((total, stack) => total + stack.resourceCount, 0);
  const where =
    model.platform.kind === "aws"
      ? `on AWS in ${model.platform.region}`
      : `on a plain Kubernetes cluster${model.platform.context ? ` (kubeconfig context ${model.platform.context})` : ""}`;
  const parts = [
    `${model.name} runs ${where} and is applied as ${plural(model.stacks.length, "stack")}, in order ${model.stacks.map((stack) => stack.id).join(" → ")} (${plural(resources, "resource")} in all).`,
    `Workloads: ${list(names("workload")) || "none"}.`,
    `Data stores: ${list(names("store")) || "none"}.`,
    `Hosts: ${list(names("host")) || "none"}.`,
  ];
  const bySide = (pick: (l: ReplicationLink) => string) => [...new Set(model.replication.map(pick))].sort();
  const incoming = model.replication.filter((link) => model.stacks.some((stack) => stack.id === link.targetStack));
  const outgoing = model.replication.filter((link) => !model.stacks.some((stack) => stack.id === link.targetStack));
  const what = (links: ReplicationLink[]) =>
    list([
      ...(links.some((link) => link.kind === "database") ? ["the database (RDS read replica)"] : []),
      ...(links.some((link) => link.kind === "bucket")
        ? [
            `the ${list([...new Set(links.filter((link) => link.kind === "bucket").map((link) => link.source.name))].sort())} buckets (S3 replication)`,
          ]
        : []),
    ]);
  if (incoming.length > 0) {
    parts.push(
      `Disaster recovery: ${list(bySide((link) => link.targetStack).filter((id) => incoming.some((link) => link.targetStack === id)))} replicates ${what(incoming)} from ${list([...new Set(incoming.map((link) => link.sourceStack))].sort())}.`,
    );
  }
  if (outgoing.length > 0) {
    parts.push(
      `Disaster recovery: ${what(outgoing)} ${outgoing.length === 1 ? "is" : "are"} replicated to the standby by ${list([...new Set(outgoing.map((link) => link.targetStack))].sort())}.`,
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
    for (const node of nodes) lines.push(`    ${nodeLine(node)}`);
    lines.push("  end");
  };
  const external = (role: ExternalStack["role"]) => {
    for (const ext of model.external.filter((externalGroup) => externalGroup.role === role)) {
      subgraph(
        ext.id,
        `${ext.id}${ext.region ? ` (${ext.region})` : ""}: ${role === "source" ? "replication source" : "standby"}`,
        ext.nodes,
      );
    }
  };
  // Left to right: what this environment replicates from, its own stacks in apply order, its standby.
  external("source");
  for (const stack of model.stacks)
    subgraph(stack.id, `${stack.id}${stack.region ? ` (${stack.region})` : ""}`, stack.nodes);
  external("standby");
  for (const stack of model.stacks)
    for (const dependency of stack.dependsOn) lines.push(`  ${mermaidId(dependency)} ==> ${mermaidId(stack.id)}`);
  for (const edge of model.edges) {
    lines.push(
      edge.style === "replication"
        ? `  ${edge.from} -.->|"${escapeLabel(edge.label ?? "")}"| ${edge.to}`
        : `  ${edge.from} --> ${edge.to}`,
    );
  }
  const all = [
    ...model.stacks.flatMap((stack) => stack.nodes),
    ...model.external.flatMap((externalGroup) => externalGroup.nodes),
  ];
  lines.push(
    "  classDef workload fill:#e8f0fe,stroke:#4a6fa5,color:#1b2a41",
    "  classDef store fill:#fff4e0,stroke:#c08a2d,color:#3d2c0e",
    "  classDef host fill:#e9f7ef,stroke:#3c8d5a,color:#173d25",
  );
  for (const kind of ["workload", "store", "host"] as const) {
    const ids = [...new Set(all.filter((node) => node.kind === kind).map((node) => node.id))].sort();
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
  return new Map(platformModels(stacks).map((manifest) => [`${manifest.name}.md`, renderMarkdown(manifest)]));
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
    lines: [`wrote ${[...pages.keys()].map((file) => relative(process.cwd(), join(dir, file))).join(", ")}`],
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
