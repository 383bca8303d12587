// `npm run user-snapshots` (part of `npm run generate`): opt-in snapshots of your own stacks. Create
// the folder `snapshots/` once to opt in; then every stack of config/environments is kept there as
// `<stack>.tf.json`, and test/user-config.test.ts fails when one differs from what synthesis gives,
// so that a change to your configuration or an upgrade of the product shows up as a reviewed diff.
// Without the folder, nothing is written or checked. `-- --check` writes nothing, exits 1 on drift.
import { existsSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { environmentInputs } from "../config";
import { runGenerated } from "./lib/generated";
import { synthesizeAllOrThrow } from "./lib/synthesized";

const root = join(__dirname, "..");
export const userSnapshotDir = "snapshots";
const usage = `usage: npm run user-snapshots [-- --check]\n  writes ${userSnapshotDir}/<stack>.tf.json for every stack of config/environments, if ${userSnapshotDir}/ exists (opt in by creating it)`;

/** The snapshot files of the given environments, by path; none unless the folder exists. */
export function userSnapshots(
  raw: Record<string, unknown> = environmentInputs,
  dir = root,
): Record<string, string> | string {
  const folder = join(dir, userSnapshotDir);
  if (!existsSync(folder)) return {};
  const files = Object.fromEntries(
    synthesizeAllOrThrow(raw).map((stack) => [
      `${userSnapshotDir}/${stack.id}.tf.json`,
      `${JSON.stringify(stack.json, null, 2)}\n`,
    ]),
  );
  const stale = readdirSync(folder).filter(
    (file) => file.endsWith(".tf.json") && !(`${userSnapshotDir}/${file}` in files),
  );
  return stale.length
    ? `${userSnapshotDir}/ has snapshots of stacks that no longer exist: ${stale.join(", ")} (delete them)`
    : files;
}

export function runUserSnapshots(args: string[], dir = root, raw: Record<string, unknown> = environmentInputs): number {
  return runGenerated({ name: "user-snapshots", usage, files: () => userSnapshots(raw, dir) }, args, dir, raw);
}

if (require.main === module) process.exit(runUserSnapshots(process.argv.slice(2)));
