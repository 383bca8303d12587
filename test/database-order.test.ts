// What runs against PostgreSQL waits, as Terraform sees it, for the Job that creates its role and
// database; on a plain cluster that Job waits for the in-cluster server.
import { describe, expect, it } from "vitest";
import { directEdges } from "../policy/rules/graph";
import type { PolicyResource } from "../policy/rule";
import { synthStack, type Synthesized } from "./helpers";

function graph(stack: Synthesized): Map<string, Set<string>> {
  const all = new Map<string, PolicyResource>();
  for (const [type, byName] of Object.entries(stack.resource ?? {}))
    for (const [name, attrs] of Object.entries(byName))
      all.set(`${type}.${name}`, { type, address: `${type}.${name}`, attrs: attrs as Record<string, any> });
  return new Map([...all].map(([address, resource]) => [address, directEdges(resource, (target) => all.has(target))]));
}

function reaches(edges: Map<string, Set<string>>, from: string, to: string): boolean {
  const seen = new Set<string>();
  const stack = [from];
  while (stack.length) {
    const node = stack.pop()!;
    if (node === to) return true;
    if (seen.has(node)) continue;
    seen.add(node);
    stack.push(...(edges.get(node) ?? []));
  }
  return false;
}

const find = (edges: Map<string, Set<string>>, pattern: RegExp) => {
  const hits = [...edges.keys()].filter((address) => pattern.test(address));
  expect(hits, String(pattern)).toHaveLength(1);
  return hits[0]!;
};

describe.each(["dev-apps", "staging-apps"])("%s: database users wait for their databases", (id) => {
  const edges = graph(synthStack(id));
  const job = find(edges, /^kubernetes_manifest\.app-databases_job_/);

  it.each([
    ["Airbyte's release (its bootloader is a pre-install hook that never restarts)", /^helm_release\.helm_airbyte$/],
    ["Superset (its migrations)", /^kubernetes_manifest\.superset_[0-9A-F]{8}$/],
    ["the Superset-to-Dremio connection Job", /^kubernetes_manifest\.superset-dremio_register_/],
  ])("%s", (_, pattern) => expect(reaches(edges, find(edges, pattern), job)).toBe(true));
});

describe("dev-apps: the database Job waits for the in-cluster server", () => {
  it("reaches the CloudNativePG cluster's release", () => {
    const edges = graph(synthStack("dev-apps"));
    expect(reaches(edges, find(edges, /^kubernetes_manifest\.app-databases_job_/), "helm_release.helm_postgres")).toBe(
      true,
    );
  });
});
