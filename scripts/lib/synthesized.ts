// Shared reading helpers for the generated documentation and reports: synthesize every stack in
// memory (the same building code as `npm run synth` and the tests, without writing cdktf.out) and
// read resources, Kubernetes manifests and Helm values out of the synthesized JSON. The policy
// suite runs in the same synthesis (every stack carries it), so its report comes along.
import { Testing, TerraformStack } from "cdktf";
import { tmpdir } from "node:os";
import { parse as parseYaml } from "yaml";
import { environmentInputs, loadEnvironments } from "../../config";
import type { StackReport } from "../../policy";
import { buildStacks } from "../../stacks";
import { environmentOfStack, stackLayers as layers } from "../../stacks/naming";
import { policyOf } from "../../stacks/policy";

export type Block = Record<string, any>;

/** Code-point order: the same everywhere, unlike localeCompare. */
export function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

export interface Synthesized {
  resource?: Record<string, Record<string, Block>>;
  data?: Record<string, Record<string, Block>>;
  output?: Record<string, { value: unknown; sensitive?: boolean }>;
  provider?: Record<string, Block[]>;
  terraform?: Record<string, unknown>;
}

/** The stack layers, in the order they are applied. */
export { layers };

export interface SynthesizedStack {
  /** `<env>-<layer>`, as users pass it to `cdktf diff|deploy`. */
  id: string;
  environment: string;
  layer: string;
  /** Ids of the stacks this one is applied after. */
  dependencies: string[];
  json: Synthesized;
  /** What the policy suite found in this stack's synthesis. */
  policy: StackReport;
}

export type SynthesisResult = { ok: true; stacks: SynthesizedStack[] } | { ok: false; errors: string[] };

/** Splits `<env>-<layer>` (stacks/naming.ts). */
export function splitStackId(id: string): { environment: string; layer: string } {
  const environment = environmentOfStack(id);
  return { environment, layer: environment === id ? "" : id.slice(environment.length + 1) };
}

/** Every stack of the given environments, synthesized in memory, in the order buildStacks creates them. */
export function synthesizeAll(raw: Record<string, unknown> = environmentInputs): SynthesisResult {
  const loaded = loadEnvironments(raw);
  if (!loaded.ok) return { ok: false, errors: loaded.errors };
  // An existing outdir: the app creates no directory, and nothing is written to it.
  const app = Testing.app({ outdir: tmpdir() });
  buildStacks(app, loaded.environments);
  const stacks = app.node.children
    .filter((c): c is TerraformStack => c instanceof TerraformStack)
    .map((s) => {
      const json = JSON.parse(Testing.synth(s)) as Synthesized; // runs the aspects: the policy suite too
      return {
        id: s.node.id,
        ...splitStackId(s.node.id),
        dependencies: s.dependencies.map((d) => d.node.id).sort(),
        json,
        policy: policyReport(s),
      };
    });
  return { ok: true, stacks };
}

/** The policy suite's report of a synthesized stack (a stack without resources has none: empty). */
function policyReport(stack: TerraformStack): StackReport {
  const aspect = policyOf(stack);
  if (!aspect) throw new Error(`stack ${stack.node.id} was built without the policy suite`);
  return (
    aspect.report ?? {
      stack: stack.node.id,
      tier: aspect.tier,
      results: aspect.rules.map((rule) => ({ rule, checked: 0, violations: [] })),
      waivers: aspect.waivers,
    }
  );
}

/** Like synthesizeAll, throwing on a configuration error. */
export function synthesizeAllOrThrow(raw?: Record<string, unknown>): SynthesizedStack[] {
  const r = synthesizeAll(raw);
  if (!r.ok) throw new Error(r.errors.join("\n"));
  return r.stacks;
}

/** Environment names, in the order their stacks were built. */
export function environmentNames(stacks: SynthesizedStack[]): string[] {
  return [...new Set(stacks.map((s) => s.environment))];
}

/**
 * The stacks of one environment in apply order: dependencies first, ties broken by layer
 * (foundation, addons, apps), then by id.
 */
export function stacksOf(stacks: SynthesizedStack[], environment: string): SynthesizedStack[] {
  const mine = stacks.filter((s) => s.environment === environment);
  const rank = (s: SynthesizedStack) => {
    const i = (layers as readonly string[]).indexOf(s.layer);
    return i < 0 ? layers.length : i;
  };
  const pending = [...mine].sort((a, b) => rank(a) - rank(b) || compare(a.id, b.id));
  const ids = new Set(mine.map((s) => s.id));
  const done = new Set<string>();
  const ordered: SynthesizedStack[] = [];
  while (pending.length > 0) {
    const i = pending.findIndex((s) => s.dependencies.every((d) => !ids.has(d) || done.has(d)));
    const [next] = pending.splice(i < 0 ? 0 : i, 1); // a cycle cannot happen in cdktf; never loop on one
    ordered.push(next!);
    done.add(next!.id);
  }
  return ordered;
}

/** The resources of one type as [name, block] pairs, sorted by name. */
export function resourcesOf(s: Synthesized, type: string): [string, Block][] {
  return Object.entries(s.resource?.[type] ?? {}).sort(([a], [b]) => compare(a, b));
}

/** Number of resources per type, sorted by type. */
export function resourceCounts(s: Synthesized): [string, number][] {
  return Object.entries(s.resource ?? {})
    .map(([type, all]) => [type, Object.keys(all).length] as [string, number])
    .sort(([a], [b]) => compare(a, b));
}

export interface Manifest {
  kind: string;
  name: string;
  namespace: string;
  object: Block;
}

/** The objects of kubernetes_manifest resources, optionally of some kinds, sorted by kind, namespace and name. */
export function manifests(s: Synthesized, kinds?: readonly string[]): Manifest[] {
  return resourcesOf(s, "kubernetes_manifest")
    .map(([, r]) => r.manifest as Block | undefined)
    .filter((m): m is Block => !!m && typeof m.kind === "string" && (!kinds || kinds.includes(m.kind)))
    .map((m) => ({
      kind: m.kind as string,
      name: String(m.metadata?.name ?? ""),
      namespace: String(m.metadata?.namespace ?? ""),
      object: m,
    }))
    .sort((a, b) => compare(a.kind, b.kind) || compare(a.namespace, b.namespace) || compare(a.name, b.name));
}

export interface HelmRelease {
  name: string;
  namespace: string;
  chart: string;
  /** Each entry of `values`, parsed from YAML. */
  values: unknown[];
}

/** The helm_release resources, sorted by release name. */
export function helmReleases(s: Synthesized): HelmRelease[] {
  return resourcesOf(s, "helm_release")
    .map(([, r]) => ({
      name: String(r.name),
      namespace: String(r.namespace ?? "default"),
      chart: String(r.chart ?? ""),
      values: ((r.values ?? []) as unknown[]).map((v) => (typeof v === "string" ? (parseYaml(v) as unknown) : v)),
    }))
    .sort((a, b) => compare(a.name, b.name) || compare(a.namespace, b.namespace));
}

/** The object at a dotted path, if every step is an object. */
export function at(value: unknown, path: string): unknown {
  let v: unknown = value;
  for (const key of path.split(".")) {
    if (v === null || typeof v !== "object") return undefined;
    v = (v as Record<string, unknown>)[key];
  }
  return v;
}

/** The first `values` entry of a release that has something at the path. */
export function helmValue(release: HelmRelease, path: string): unknown {
  for (const v of release.values) {
    const found = at(v, path);
    if (found !== undefined) return found;
  }
  return undefined;
}

/** An in-cluster CloudNativePG cluster release (the cnpg `cluster` chart's values shape). */
export function isPostgresRelease(r: HelmRelease): boolean {
  return helmValue(r, "type") === "postgresql" && typeof helmValue(r, "cluster.instances") === "number";
}

/** An in-cluster MinIO tenant release (the MinIO `tenant` chart's values shape). */
export function isMinioRelease(r: HelmRelease): boolean {
  return Array.isArray(helmValue(r, "tenant.pools"));
}

/** The resource a `${type.name.attr}` reference points to, as [type, name], if it is one. */
export function referencedResource(ref: unknown): [string, string] | undefined {
  if (typeof ref !== "string") return undefined;
  const m = /^\$\{([a-z0-9_]+)\.([A-Za-z0-9_-]+)\.[a-z0-9_]+\}$/.exec(ref);
  return m ? [m[1]!, m[2]!] : undefined;
}

/** The region of a provider block of a type, by alias (no alias: the default provider). */
export function providerRegion(s: Synthesized, type: string, alias?: string): string | undefined {
  const p = (s.provider?.[type] ?? []).find((b) => (b.alias ?? undefined) === alias);
  return typeof p?.region === "string" ? p.region : undefined;
}
