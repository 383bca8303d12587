// Where the project declares a construct: the exported classes of constructs/ and stacks/ by name,
// read from the sources once per process. docs/address-map.md (scripts/address-map.ts) and policy
// violations (policy/fix.ts) name the file of the construct that declares a resource with it.
import { readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import type { IConstruct } from "constructs";

const root = join(__dirname, "..");
let cache: ReadonlyMap<string, string> | undefined;

/** Exported classes of the project's constructs and stacks, by name: the file (relative to the
 *  project root) that defines each. */
export function classFiles(): ReadonlyMap<string, string> {
  if (cache) return cache;
  const out = new Map<string, string>();
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const entryPath = join(dir, entry.name);
      if (entry.isDirectory()) walk(entryPath);
      else if (entry.name.endsWith(".ts"))
        for (const match of readFileSync(entryPath, "utf8").matchAll(/^export (?:abstract )?class (\w+)/gm))
          out.set(match[1]!, relative(root, entryPath));
    }
  };
  for (const folder of ["constructs", "stacks"]) walk(join(root, folder));
  return (cache = out);
}

/** The file of the innermost project construct (or stack) around a node, the node itself excluded
 *  (a resource's class is the provider's); undefined outside the project's constructs. */
export function declaringFile(node: IConstruct): string | undefined {
  const files = classFiles();
  const scopes = node.node.scopes;
  for (let i = scopes.length - 2; i >= 0; i--) {
    const file = files.get(scopes[i]!.constructor.name);
    if (file) return file;
  }
  return undefined;
}
