// Upstream data (chart defaults and template keys, CRDs, the Kubernetes OpenAPI) is read from one
// reference directory outside the repository, never copied in. This is the only place that names it.
import { existsSync } from "node:fs";
import { join, resolve } from "node:path";

/** The environment variable that points at the reference directory. */
export const referenceEnv = "ODP_SHARED_DIR";

/** The reference directory: $ODP_SHARED_DIR, or `../shared` next to the project's root. */
export function referenceDir(): string {
  return resolve(process.env[referenceEnv] || join(__dirname, "..", "..", "..", "shared"));
}

/** Undefined when `<reference>/<sub>` exists; otherwise one line saying what is missing and how to point at it. */
export function referenceAbsent(sub: string): string | undefined {
  const dir = join(referenceDir(), sub);
  if (existsSync(dir)) return undefined;
  return `upstream reference data not found at ${dir}: set ${referenceEnv} to the directory holding ${sub}/ (default ../shared next to the project) to run these checks`;
}

// `tsx scripts/lib/reference-dir.ts` prints the directory, for shell scripts.
if (require.main === module) console.log(referenceDir());
