// Stacks of cdktf.out/manifest.json in dependency order, optionally for one environment.
//
//   npx tsx scripts/ci/stack-order.ts [--env prod] [--only "dr-addons dr-apps"] [--json] [--manifest cdktf.out/manifest.json]
//
// --only keeps the named stacks (space- or comma-separated), still in dependency order: a partial
// apply such as a failover's (docs/runbooks/).
// One stack per line, or a JSON array on one line (--json) for a GitHub Actions matrix or a shell
// loop. The order is topological and stable: whenever several stacks are ready, one of the
// environment under way goes first, else the one listed first in the manifest, so that one
// environment's stacks stay together.
import { readFileSync } from "node:fs";
import { environmentOfStack } from "../../stacks/naming";
import { parseCli } from "../lib/cli";

export interface ManifestStack {
  name?: string;
  dependencies?: string[];
  workingDirectory?: string;
}

export interface Manifest {
  version?: string;
  stacks: Record<string, ManifestStack>;
}

export class StackOrderError extends Error {
  override name = "StackOrderError";
}

/** `prod-foundation` -> `prod` (stack ids are `<env>-<layer>`, stacks/naming.ts). */
export const environmentOf = environmentOfStack;

/** The environments present in a manifest, in manifest order. */
export function environmentsIn(manifest: Manifest): string[] {
  return [...new Set(Object.keys(manifest.stacks).map(environmentOf))];
}

/** Every stack in dependency order; with `env`, only that environment's stacks (their relative
 *  order still honours dependencies through other environments). Throws StackOrderError on an
 *  unknown dependency, a cycle, or an environment without stacks. */
export function orderStacks(manifest: Manifest, env?: string): string[] {
  const ids = Object.keys(manifest.stacks);
  const index = new Map(ids.map((id, i) => [id, i]));
  const deps = new Map<string, string[]>();
  for (const id of ids) {
    const dependencies = manifest.stacks[id]?.dependencies ?? [];
    for (const dep of dependencies) {
      if (!index.has(dep)) throw new StackOrderError(`stack ${id} depends on ${dep}, which is not in the manifest`);
    }
    deps.set(id, [...new Set(dependencies)]);
  }

  const remaining = new Map(ids.map((id) => [id, deps.get(id)!.length]));
  const dependents = new Map<string, string[]>(ids.map((id) => [id, []]));
  for (const id of ids) for (const dep of deps.get(id)!) dependents.get(dep)!.push(id);

  const order: string[] = [];
  const ready = ids.filter((id) => remaining.get(id) === 0);
  while (ready.length > 0) {
    ready.sort((left, right) => index.get(left)! - index.get(right)!);
    // Finish the environment under way first: its stacks stay together even where another
    // environment's (a standby's) wait for some of them.
    const last = order.length ? environmentOf(order[order.length - 1]!) : undefined;
    const sameEnv = ready.findIndex((id) => environmentOf(id) === last);
    const next = ready.splice(sameEnv >= 0 ? sameEnv : 0, 1)[0]!;
    order.push(next);
    for (const dependent of dependents.get(next)!) {
      const left = remaining.get(dependent)! - 1;
      remaining.set(dependent, left);
      if (left === 0) ready.push(dependent);
    }
  }
  if (order.length < ids.length) {
    const placed = new Set(order);
    throw new StackOrderError(
      `dependency cycle between stacks: ${findCycle(
        ids.filter((id) => !placed.has(id)),
        deps,
      ).join(" -> ")}`,
    );
  }

  if (env === undefined) return order;
  const selected = order.filter((id) => environmentOf(id) === env);
  if (selected.length === 0) {
    throw new StackOrderError(
      `no stacks for environment ${env} (the manifest has: ${environmentsIn(manifest).join(", ")})`,
    );
  }
  return selected;
}

/** One cycle among the stacks that could not be ordered, as a closed path (a -> b -> a). */
function findCycle(unplaced: string[], deps: Map<string, string[]>): string[] {
  const within = new Set(unplaced);
  // Every unplaced stack has an unplaced dependency, so walking dependencies must revisit a stack.
  const path: string[] = [];
  const seen = new Map<string, number>();
  let current = unplaced[0]!;
  while (!seen.has(current)) {
    seen.set(current, path.length);
    path.push(current);
    current = deps.get(current)!.find((dependency) => within.has(dependency))!;
  }
  // The walk follows "depends on"; print the cycle in apply order (dependency first).
  return [...path.slice(seen.get(current)!), current].reverse();
}

export function parseManifest(text: string, source = "manifest"): Manifest {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (err) {
    throw new StackOrderError(`${source} is not JSON: ${err instanceof Error ? err.message : String(err)}`);
  }
  const stacks = (data as { stacks?: unknown } | null)?.stacks;
  if (typeof stacks !== "object" || stacks === null || Array.isArray(stacks)) {
    throw new StackOrderError(`${source} has no "stacks" object: run npm run synth first`);
  }
  return data as Manifest;
}

export interface CliOptions {
  manifest: string;
  env?: string;
  only?: string[];
  json: boolean;
}

/** The stacks of `order` named in `only`, in `order`'s order; every name must be in `order`. */
export function selectStacks(order: readonly string[], only: readonly string[]): string[] {
  const unknown = only.filter((stack) => !order.includes(stack));
  if (unknown.length) throw new StackOrderError(`not among the stacks (${order.join(", ")}): ${unknown.join(", ")}`);
  return order.filter((stack) => only.includes(stack));
}

export const usage = `usage: npm run stack-order [-- --env <env>] [--only "<stack> ..."] [--json] [--manifest <path>]
  prints the stacks of the synthesized manifest (default cdktf.out/manifest.json) in apply order`;

/** The options, or the usage to print with its exit code (0 for --help, 2 for a usage error). */
export function parseArgs(argv: string[]): CliOptions | { exit: number; out: string } {
  const cli = parseCli(argv, {
    name: "stack-order",
    usage,
    flags: ["--json"],
    options: ["--env", "--only", "--manifest"],
  });
  if ("exit" in cli) return cli;
  const only = cli.options.get("--only");
  return {
    manifest: cli.options.get("--manifest") ?? "cdktf.out/manifest.json",
    json: cli.flags.has("--json"),
    env: cli.options.get("--env"),
    only: only?.split(/[\s,]+/).filter(Boolean),
  };
}

/** The whole CLI minus process I/O: returns what to print and the exit code. */
export function run(
  argv: string[],
  read: (path: string) => string = (file) => readFileSync(file, "utf8"),
): { code: number; out: string } {
  try {
    const opts = parseArgs(argv);
    if ("exit" in opts) return { code: opts.exit, out: opts.out };
    let text: string;
    try {
      text = read(opts.manifest);
    } catch {
      throw new StackOrderError(`cannot read ${opts.manifest}: run npm run synth first`);
    }
    const ordered = orderStacks(parseManifest(text, opts.manifest), opts.env);
    const stacks = opts.only?.length ? selectStacks(ordered, opts.only) : ordered;
    return { code: 0, out: opts.json ? JSON.stringify(stacks) : stacks.join("\n") };
  } catch (err) {
    if (err instanceof StackOrderError) return { code: 1, out: `stack-order: ${err.message}` };
    throw err;
  }
}

if (require.main === module) {
  const { code, out } = run(process.argv.slice(2));
  (code === 0 ? process.stdout : process.stderr).write(`${out}\n`);
  process.exitCode = code;
}
