import { TerraformElement, TerraformOutput, TerraformStack } from "cdktf";
import { deepMerge } from "cdktf/lib/util";
import type { Construct, IConstruct } from "constructs";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import type { ISynthesisSession } from "cdktf";
import { sortedJson } from "../lib/sorted-json";
import { takeTerraform } from "../lib/element-terraform";
import { resolveFast } from "../lib/fast-resolve";

/** The Terraform elements of a stack, in construct order, without descending into nested stacks. */
function elementsOf(node: IConstruct, into: TerraformElement[] = []): TerraformElement[] {
  if (TerraformElement.isTerraformElement(node)) into.push(node);
  for (const child of node.node.children) if (!TerraformStack.isStack(child)) elementsOf(child, into);
  return into;
}

/**
 * deepMerge for a freshly resolved fragment: the same result, but a subtree the target does not
 * have yet is taken as it is instead of copied (resolveFast returns new objects, and nothing else
 * holds them). Copying every manifest and values text once more was a tenth of writing a stack.
 */
function mergeResolved(target: Record<string, any>, source: Record<string, any>): void {
  for (const key of Object.keys(source)) {
    const v = source[key];
    const t = target[key];
    if (v !== null && typeof v === "object" && !Array.isArray(v)) {
      if (t !== null && typeof t === "object" && !Array.isArray(t)) mergeResolved(t, v);
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

function resolveAt(tree: Record<string, any>, path: string[], resolve: (v: unknown) => unknown): void {
  const parent = path.slice(0, -1).reduce<Record<string, any> | undefined>((node, k) => (node && typeof node === "object" ? node[k] : undefined), tree);
  const key = path[path.length - 1]!;
  if (!parent || typeof parent !== "object" || !(key in parent)) return;
  const value = resolve(parent[key]);
  if (value === undefined) delete parent[key];
  else parent[key] = value;
}

/**
 * Base of every stack. Two passes of cdktf's synthesis are replaced, for speed only:
 * - prepareStack() resolves every element once more before synthesis, only to discover tokens that
 *   cross stacks (and add remote-state plumbing for them). This program never passes tokens
 *   between stacks — contracts travel as names from configuration and data sources
 *   (test/stack-references.test.ts proves every reference stays inside its stack) — so that pass
 *   is skipped: it was about a third of synthesis time.
 * - toTerraform() is cdktf's own, step for step, but resolves through lib/fast-resolve.ts, which
 *   walks plain data itself (test/fast-resolve.test.ts: identical output on every stack).
 * - the stack's JSON file is written with lib/sorted-json.ts instead of cdktf's stable stringifier
 *   (same data, keys sorted; test/fast-resolve.test.ts reads it back).
 */
export abstract class PlatformStack extends TerraformStack {
  /** While cdktf's synthesizer runs: toTerraform() keeps its result here for sortedJson to write. */
  private deferred?: { tf?: unknown };

  constructor(scope: Construct, id: string) {
    super(scope, id);
    const cdktf = this.synthesizer;
    // cdktf's synthesizer runs aspects, validations and annotations, then writes the JSON with a
    // slow stable stringifier: let it do all but the last, and write the same data with sortedJson.
    this.synthesizer = {
      synthesize: (session: ISynthesisSession) => {
        this.deferred = {};
        try {
          cdktf.synthesize(session);
        } finally {
          const { tf } = this.deferred;
          this.deferred = undefined;
          if (tf !== undefined) writeFileSync(join(session.outdir, session.manifest.forStack(this).synthesizedStackPath), sortedJson(tf));
        }
      },
    };
  }

  override prepareStack(): void {
    this.ensureBackendExists();
  }

  override toTerraform(): any {
    if (this.deferred) {
      // Inside synthesize(): hand cdktf a stub to write; the real document is written above.
      this.deferred.tf = this.toTerraformNow();
      return {};
    }
    return this.toTerraformNow();
  }

  private toTerraformNow(): any {
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
    for (const e of elements) deepMerge(metadata, resolveFast(this, e.toMetadata()));
    const outputs: Record<string, unknown> = {};
    for (const item of elements) {
      if (!TerraformOutput.isTerraformOutput(item)) continue;
      const path = item.node.path.split("/").reduceRight<Record<string, unknown>>((inner, part) => (Object.keys(inner).length === 0 ? { [part]: item.friendlyUniqueId } : { [part]: inner }), {});
      deepMerge(outputs, path);
    }
    const tf: Record<string, unknown> = { "//": { metadata, outputs } };
    const strings = new Map<string, unknown>();
    for (const e of elements) mergeResolved(tf, resolveFast(this, takeTerraform(e), strings));
    deepMerge(tf, self.rawOverrides);
    // Fragments are resolved already: only what the overrides put in still needs resolving.
    for (const path of leafPaths(self.rawOverrides)) resolveAt(tf, path, (v) => resolveFast(this, v));
    tf["//"] = resolveFast(this, tf["//"]); // drops the undefined `cloud`, as cdktf's final pass does
    return tf;
  }
}
