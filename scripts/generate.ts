// `npm run generate`: regenerates everything that follows from configuration and the stacks, in
// order: the list of environment files, environment pages, failover runbooks, CI workflows, the
// address map, your opted-in snapshots (snapshots/), and the new stateful addresses of the address
// lock (added after review; it never removes one).
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { cli } from "./lib/cli";

cli(process.argv.slice(2), {
  name: "generate",
  usage:
    "usage: npm run generate\n  runs npm run environments-index, diagram, runbook, ci-workflows, address-map, user-snapshots (if snapshots/ exists) and lock-addresses -- --write, in that order",
});
const steps: [string, ...string[]][] = [
  ["scripts/environments-index.ts"],
  ["scripts/diagram.ts"],
  ["scripts/runbook.ts"],
  ["scripts/ci/workflows.ts"],
  ["scripts/address-map.ts"],
  ["scripts/user-snapshots.ts"],
  ["scripts/lock-addresses.ts", "--write"],
];
const tsx = join(__dirname, "..", "node_modules", ".bin", "tsx");
for (const [file, ...args] of steps) {
  const result = spawnSync(tsx, [join(__dirname, "..", file), ...args], { stdio: "inherit" });
  if (result.status !== 0) process.exit(result.status ?? 1);
}
