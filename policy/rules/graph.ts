// The order Terraform sees between the resources of a stack: an edge for every `${type.name...}`
// reference in a resource's attributes and for every depends_on entry. Nothing else orders them.
import type { PolicyContext, PolicyResource } from "../rule";

/** `type.name` at the start of a reference, not preceded by `data.` or another name. */
const refPattern = /(?<![\w.-])([a-z][a-z0-9_]*\.[A-Za-z_][\w-]*)/g;

/** The addresses a resource points at directly (resources of the stack only; data sources are left out). */
export function directEdges(resource: PolicyResource, isResource: (address: string) => boolean): Set<string> {
  const out = new Set<string>();
  for (const dependency of Array.isArray(resource.attrs.depends_on) ? resource.attrs.depends_on : [])
    if (typeof dependency === "string" && isResource(dependency)) out.add(dependency);
  const walk = (value: unknown): void => {
    if (typeof value === "string") {
      if (!value.includes("${")) return;
      for (const match of value.matchAll(refPattern)) if (isResource(match[1]!)) out.add(match[1]!);
    } else if (Array.isArray(value)) value.forEach(walk);
    else if (value && typeof value === "object")
      for (const [k, child] of Object.entries(value)) if (k !== "//" && k !== "depends_on") walk(child);
  };
  walk(resource.attrs);
  out.delete(resource.address);
  return out;
}

interface Graph {
  edges: Map<string, Set<string>>;
  reach: Map<string, Set<string>>;
}

const graphs = new WeakMap<PolicyContext, Graph>();

/** Every address reachable from `from` through references and depends_on, computed once per stack. */
export function reachable(ctx: PolicyContext, from: PolicyResource): Set<string> {
  let cached = graphs.get(ctx);
  if (!cached) graphs.set(ctx, (cached = { edges: new Map(), reach: new Map() }));
  const graph = cached;
  const edgesOf = (address: string): Set<string> => {
    let edges = graph.edges.get(address);
    if (!edges) {
      const resource = address === from.address ? from : ctx.find(address);
      edges = resource ? directEdges(resource, (candidate) => ctx.find(candidate) !== undefined) : new Set();
      graph.edges.set(address, edges);
    }
    return edges;
  };
  // Iterative depth-first walk; a cycle (which Terraform would reject anyway) cannot loop here.
  const visit = (start: string): Set<string> => {
    const known = graph.reach.get(start);
    if (known) return known;
    const seen = new Set<string>();
    const stack = [...edgesOf(start)];
    while (stack.length) {
      const address = stack.pop()!;
      if (seen.has(address)) continue;
      seen.add(address);
      const done = graph.reach.get(address);
      if (done) done.forEach((reached) => seen.add(reached));
      else stack.push(...edgesOf(address));
    }
    graph.reach.set(start, seen);
    return seen;
  };
  return visit(from.address);
}
