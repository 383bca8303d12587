import { TerraformElement, TerraformOutput, TerraformStack } from "cdktf";
import { deepMerge } from "cdktf/lib/util";
import type { Construct, Node } from "constructs";
import { rmSync, writeFileSync } from "node:fs";
import { sortedJson } from "../lib/sorted-json";
import { elementsOf, endSynthesis, isEmpty, resolverOf, takeResolved } from "../lib/element-terraform";
import { logicalId } from "../lib/logical-id";
import { PlatformSynthesizer } from "./stack-synthesizer";

/**
 * deepMerge for a freshly resolved fragment: the same result, but a subtree the target does not
 * have yet is taken as it is instead of copied (resolved fragments are new objects, and nothing
 * else holds them). Copying every manifest and values text once more was a tenth of writing a
 * stack. Fragments come with sorted keys; every object that receives keys here goes in `unsorted`.
 */
function mergeResolved(target: Record<string, any>, source: Record<string, any>, unsorted: Set<object>): void {
  unsorted.add(target);
  for (const key of Object.keys(source)) {
    const v = source[key];
    const t = target[key];
    if (v !== null && typeof v === "object" && !Array.isArray(v)) {
      if (t !== null && typeof t === "object" && !Array.isArray(t)) mergeResolved(t, v, unsorted);
      else target[key] = v;
    } else if (Array.isArray(v)) target[key] = Array.isArray(t) ? [...t, ...v] : v;
    else if (v === undefined) delete target[key];
    else target[key] = v;
  }
}

/** Paths to the leaves of an override tree (deepMerge recurses into plain objects only). */
function leafPaths(tree: Record<string, unknown>, prefix: string[] = []): string[][] {
  return Object.entries(tree).flatMap(([k, v]) =>
    v !== null && typeof v === "object" && !Array.isArray(v) && typeof (v as { resolve?: unknown }).resolve !== "function" ? leafPaths(v as Record<string, unknown>, [...prefix, k]) : [[...prefix, k]],
  );
}

/** Resolves the value at `path`; the objects on the way (changed by an override) go in `unsorted`. */
function resolveAt(tree: Record<string, any>, path: string[], resolve: (v: unknown) => unknown, unsorted: Set<object>): void {
  const parent = path.slice(0, -1).reduce<Record<string, any> | undefined>((node, k) => {
    if (node && typeof node === "object") unsorted.add(node);
    return node && typeof node === "object" ? node[k] : undefined;
  }, tree);
  if (parent && typeof parent === "object") unsorted.add(parent);
  const key = path[path.length - 1]!;
  if (!parent || typeof parent !== "object" || !(key in parent)) return;
  const value = resolve(parent[key]);
  if (value === undefined) delete parent[key];
  else parent[key] = value;
}

// Read once: cdktf's package index exports its classes through getter functions.
const { isTerraformElement } = TerraformElement;
const { isTerraformOutput } = TerraformOutput;

/**
 * Base of every stack. Four steps of cdktf's synthesis are replaced, for speed only:
 * - prepareStack() resolves every element once more before synthesis, only to discover tokens that
 *   cross stacks (and add remote-state plumbing for them). This program never passes tokens
 *   between stacks — contracts travel as names from configuration and data sources
 *   (test/stack-references.test.ts proves every reference stays inside its stack) — so that pass
 *   is skipped: it was about a third of synthesis time.
 * - toTerraform() is cdktf's own, step for step, but resolves through lib/fast-resolve.ts, which
 *   walks plain data itself (test/fast-resolve.test.ts: identical output on every stack).
 * - the synthesizer is cdktf's own, step for step, but invokes aspects in one walk and writes the
 *   JSON with lib/sorted-json.ts instead of cdktf's stable stringifier (stacks/stack-synthesizer.ts;
 *   test/stack-synthesizer.test.ts: the same files and manifest as cdktf's own synthesizer).
 * - allocateLogicalId() names elements as cdktf does, through lib/logical-id.ts.
 */
export abstract class PlatformStack extends TerraformStack {
  /** The objects of the last toTerraform() result whose keys are not in sorted order. */
  private unsorted = new Set<object>();

  constructor(scope: Construct, id: string) {
    super(scope, id);
    this.synthesizer = new PlatformSynthesizer(this, this.synthesizer, (path) => {
      const tf = this.toTerraform();
      // A new file, not the old one truncated: ext4 allocates and starts writing back a truncated
      // file's blocks as it is closed (auto_da_alloc), which made rewriting an output directory
      // several times slower than writing a fresh one (docs/performance.md).
      rmSync(path, { force: true });
      writeFileSync(path, sortedJson(tf, this.unsorted));
      // The set holds the whole resolved stack: let it go once written, not at the next synthesis.
      this.unsorted = new Set();
    });
  }

  /** cdktf's own naming (lib/logical-id.ts), without its two-byte strings. */
  protected override allocateLogicalId(tfElement: TerraformElement | Node): string {
    const element = isTerraformElement(tfElement);
    const node = element ? tfElement.node : tfElement;
    const scopes = node.scopes;
    const components: string[] = [];
    for (let i = scopes.indexOf(element ? tfElement.cdktfStack : this) + 1; i < scopes.length; i++) components.push(scopes[i]!.node.id);
    return components.length > 0 ? logicalId(components) : "";
  }

  override prepareStack(): void {
    this.ensureBackendExists();
  }

  override toTerraform(): any {
    // Private in cdktf's typings; read as cdktf's own toTerraform() does.
    const self = this as unknown as { rawOverrides: Record<string, unknown>; cdktfVersion: string };
    const metadata: Record<string, unknown> = {
      version: self.cdktfVersion,
      stackName: this.node.id,
      backend: "local", // overwritten by the backend's metadata
      cloud: undefined,
      ...(Object.keys(self.rawOverrides).length > 0 ? { overrides: { stack: Object.keys(self.rawOverrides) } } : {}),
    };
    const elements = elementsOf(this);
    const resolver = resolverOf(this);
    for (const e of elements) {
      const m = e.toMetadata(); // mostly empty: merging nothing is skipped
      if (!isEmpty(m)) deepMerge(metadata, resolver.resolve(m));
    }
    const outputs: Record<string, unknown> = {};
    for (const item of elements) {
      if (!isTerraformOutput(item)) continue;
      const path = item.node.path.split("/").reduceRight<Record<string, unknown>>((inner, part) => (Object.keys(inner).length === 0 ? { [part]: item.friendlyUniqueId } : { [part]: inner }), {});
      deepMerge(outputs, path);
    }
    const tf: Record<string, unknown> = { "//": { metadata, outputs } };
    const unsorted = new Set<object>();
    try {
      for (const e of elements) {
        const r = takeResolved(e, this);
        if ("tf" in r) mergeResolved(tf, r.tf, unsorted);
        else {
          // deepMerge of { resource: { [type]: { [name]: attrs } } }, without building that object.
          const resources = (tf.resource ??= {}) as Record<string, Record<string, unknown>>;
          const byType = (resources[r.type] ??= {});
          unsorted.add(tf).add(resources).add(byType);
          byType[r.name] = r.attrs;
        }
      }
      deepMerge(tf, self.rawOverrides);
      // Fragments are resolved already: only what the overrides put in still needs resolving.
      for (const path of leafPaths(self.rawOverrides)) resolveAt(tf, path, (v) => resolver.resolve(v), unsorted);
      tf["//"] = resolver.resolve(tf["//"]); // drops the undefined `cloud`, as cdktf's final pass does
    } finally {
      endSynthesis(this);
    }
    this.unsorted = unsorted;
    return tf;
  }
}
