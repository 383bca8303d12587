// `npm run runbook`: writes each standby's failover runbook (docs/runbooks/<standby>-failover.md)
// from configuration. `npm run runbook -- --check` writes nothing and exits 1 if a committed
// runbook differs from what the configuration gives.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { environmentInputs, loadEnvironments, type AwsEnvironment } from "../config";
import { parseCli } from "./lib/cli";
import { failoverRunbooks } from "./lib/failover-runbook";

const usage = "usage: npm run runbook [-- --check]\n  writes docs/runbooks/<standby>-failover.md for every standby in config/environments;\n  --check writes nothing and exits 1 on drift";

export function runRunbook(args: string[], root = join(__dirname, "..")): number {
  const parsed = parseCli(args, { name: "runbook", usage, flags: ["--check"] });
  if ("exit" in parsed) {
    (parsed.exit === 0 ? console.log : console.error)(parsed.out);
    return parsed.exit;
  }
  const loaded = loadEnvironments(environmentInputs);
  if (!loaded.ok) {
    for (const e of loaded.errors) console.error(e);
    return 1;
  }
  const aws = loaded.environments.filter((e): e is AwsEnvironment => e.platform === "aws");
  let drift = 0;
  for (const r of failoverRunbooks(aws)) {
    const file = join(root, r.path);
    const current = existsSync(file) ? readFileSync(file, "utf8") : undefined;
    if (current === r.markdown) continue;
    if (parsed.flags.has("--check")) {
      console.error(`${r.path} is not what the configuration gives: run npm run runbook`);
      drift++;
      continue;
    }
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, r.markdown);
    console.log(`wrote ${r.path}`);
  }
  return drift ? 1 : 0;
}

if (require.main === module) process.exit(runRunbook(process.argv.slice(2)));
