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
export function compare(left: string, right: string): number {
  return left < right ? -1 : left > right ? 1 : 0;
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
    .filter((child): child is TerraformStack => child instanceof TerraformStack)
    .map((stack) => {
      const json = JSON.parse(Testing.synth(stack)) as Synthesized; // runs the aspects: the policy suite too
      return {
        id: stack.node.id,
        ...splitStackId(stack.node.id),
        dependencies: stack.dependencies.map((dependency) => dependency.node.id).sort(),
        json,
        policy: policyReport(stack),
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
  const result = synthesizeAll(raw);
  if (!result.ok) throw new Error(result.errors.join("\n"));
  return result.stacks;
}

/** Environment names, in the order their stacks were built. */
export function environmentNames(stacks: SynthesizedStack[]): string[] {
  return [...new Set(stacks.map((stack) => stack.environment))];
}

/**
 * The stacks of one environment in apply order: dependencies first, ties broken by layer
 * (foundation, addons, apps), then by id.
 */
export function stacksOf(stacks: SynthesizedStack[], environment: string): SynthesizedStack[] {
  const mine = stacks.filter((stack) => stack.environment === environment);
  const rank = (stack: SynthesizedStack) => {
    const i = (layers as readonly string[]).indexOf(stack.layer);
    return i < 0 ? layers.length : i;
  };
  const pending = [...mine].sort((left, right) => rank(left) - rank(right) || compare(left.id, right.id));
  const ids = new Set(mine.map((stack) => stack.id));
  const done = new Set<string>();
  const ordered: SynthesizedStack[] = [];
  while (pending.length > 0) {
    const i = pending.findIndex((stack) =>
      stack.dependencies.every((dependency) => !ids.has(dependency) || done.has(dependency)),
    );
    const [next] = pending.splice(i < 0 ? 0 : i, 1); // a cycle cannot happen in cdktf; never loop on one
    ordered.push(next!);
    done.add(next!.id);
  }
  return ordered;
}

/** The resources of one type as [name, block] pairs, sorted by name. */
export function resourcesOf(synthesized: Synthesized, type: string): [string, Block][] {
  return Object.entries(synthesized.resource?.[type] ?? {}).sort(([left], [right]) => compare(left, right));
}

/** Number of resources per type, sorted by type. */
export function resourceCounts(synthesized: Synthesized): [string, number][] {
  return Object.entries(synthesized.resource ?? {})
    .map(([type, all]) => [type, Object.keys(all).length] as [string, number])
    .sort(([left], [right]) => compare(left, right));
}

export interface Manifest {
  kind: string;
  name: string;
  namespace: string;
  object: Block;
}

/** The objects of kubernetes_manifest resources, optionally of some kinds, sorted by kind, namespace and name. */
export function manifests(synthesized: Synthesized, kinds?: readonly string[]): Manifest[] {
  return resourcesOf(synthesized, "kubernetes_manifest")
    .map(([, resource]) => resource.manifest as Block | undefined)
    .filter(
      (manifest): manifest is Block =>
        !!manifest && typeof manifest.kind === "string" && (!kinds || kinds.includes(manifest.kind)),
    )
    .map((manifest) => ({
      kind: manifest.kind as string,
      name: String(manifest.metadata?.name ?? ""),
      namespace: String(manifest.metadata?.namespace ?? ""),
      object: manifest,
    }))
    .sort(
      (left, right) =>
        compare(left.kind, right.kind) || compare(left.namespace, right.namespace) || compare(left.name, right.name),
    );
}

export interface HelmRelease {
  name: string;
  namespace: string;
  chart: string;
  /** Each entry of `values`, parsed from YAML. */
  values: unknown[];
}

/** The helm_release resources, sorted by release name. */
export function helmReleases(synthesized: Synthesized): HelmRelease[] {
  return resourcesOf(synthesized, "helm_release")
    .map(([, resource]) => ({
      name: String(resource.name),
      namespace: String(resource.namespace ?? "default"),
      chart: String(resource.chart ?? ""),
      values: ((resource.values ?? []) as unknown[]).map((value) =>
        typeof value === "string" ? (parseYaml(value) as unknown) : value,
      ),
    }))
    .sort((left, right) => compare(left.name, right.name) || compare(left.namespace, right.namespace));
}

/** The object at a dotted path, if every step is an object. */
export function at(value: unknown, path: string): unknown {
  let current: unknown = value;
  for (const key of path.split(".")) {
    if (current === null || typeof current !== "object") return undefined;
    current = (current as Record<string, unknown>)[key];
  }
  return current;
}

/** The first `values` entry of a release that has something at the path. */
export function helmValue(release: HelmRelease, path: string): unknown {
  for (const values of release.values) {
    const found = at(values, path);
    if (found !== undefined) return found;
  }
  return undefined;
}

/** An in-cluster CloudNativePG cluster release (the cnpg `cluster` chart's values shape). */
export function isPostgresRelease(release: HelmRelease): boolean {
  return helmValue(release, "type") === "postgresql" && typeof helmValue(release, "cluster.instances") === "number";
}

/** An in-cluster MinIO tenant release (the MinIO `tenant` chart's values shape). */
export function isMinioRelease(release: HelmRelease): boolean {
  return Array.isArray(helmValue(release, "tenant.pools"));
}

/** The resource a `${type.name.attr}` reference points to, as [type, name], if it is one. */
export function referencedResource(ref: unknown): [string, string] | undefined {
  if (typeof ref !== "string") return undefined;
  const match = /^\$\{([a-z0-9_]+)\.([A-Za-z0-9_-]+)\.[a-z0-9_]+\}$/.exec(ref);
  return match ? [match[1]!, match[2]!] : undefined;
}

/** The region of a provider block of a type, by alias (no alias: the default provider). */
export function providerRegion(synthesized: Synthesized, type: string, alias?: string): string | undefined {
  const provider = (synthesized.provider?.[type] ?? []).find((block) => (block.alias ?? undefined) === alias);
  return typeof provider?.region === "string" ? provider.region : undefined;
}
