// The order Terraform sees between the resources of a stack: an edge for every `${type.name...}`
// reference in a resource's attributes and for every depends_on entry. Nothing else orders them.
import type { PolicyContext, PolicyResource } from "../rule";

/** `type.name` at the start of a reference, not preceded by `data.` or another name. */
const refPattern = /(?<![\w.-])([a-z][a-z0-9_]*\.[A-Za-z_][\w-]*)/g;

/** The addresses a resource points at directly (resources of the stack only; data sources are left out). */
export function directEdges(r: PolicyResource, isResource: (address: string) => boolean): Set<string> {
  const out = new Set<string>();
  for (const d of Array.isArray(r.attrs.depends_on) ? r.attrs.depends_on : [])
    if (typeof d === "string" && isResource(d)) out.add(d);
  const walk = (v: unknown): void => {
    if (typeof v === "string") {
      if (!v.includes("${")) return;
      for (const m of v.matchAll(refPattern)) if (isResource(m[1]!)) out.add(m[1]!);
    } else if (Array.isArray(v)) v.forEach(walk);
    else if (v && typeof v === "object")
      for (const [k, x] of Object.entries(v)) if (k !== "//" && k !== "depends_on") walk(x);
  };
  walk(r.attrs);
  out.delete(r.address);
  return out;
}

interface Graph {
  edges: Map<string, Set<string>>;
  reach: Map<string, Set<string>>;
}

const graphs = new WeakMap<PolicyContext, Graph>();

/** Every address reachable from `from` through references and depends_on, computed once per stack. */
export function reachable(ctx: PolicyContext, from: PolicyResource): Set<string> {
  let g = graphs.get(ctx);
  if (!g) graphs.set(ctx, (g = { edges: new Map(), reach: new Map() }));
  const graph = g;
  const edgesOf = (address: string): Set<string> => {
    let e = graph.edges.get(address);
    if (!e) {
      const r = address === from.address ? from : ctx.find(address);
      e = r ? directEdges(r, (a) => ctx.find(a) !== undefined) : new Set();
      graph.edges.set(address, e);
    }
    return e;
  };
  // Iterative depth-first walk; a cycle (which Terraform would reject anyway) cannot loop here.
  const visit = (start: string): Set<string> => {
    const known = graph.reach.get(start);
    if (known) return known;
    const seen = new Set<string>();
    const stack = [...edgesOf(start)];
    while (stack.length) {
      const a = stack.pop()!;
      if (seen.has(a)) continue;
      seen.add(a);
      const done = graph.reach.get(a);
      if (done) done.forEach((x) => seen.add(x));
      else stack.push(...edgesOf(a));
    }
    graph.reach.set(start, seen);
    return seen;
  };
  return visit(from.address);
}
