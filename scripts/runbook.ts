// `npm run runbook`: writes each standby's failover runbook (docs/runbooks/<standby>-failover.md)
// from configuration. `npm run runbook -- --check` writes nothing and exits 1 if a committed
// runbook differs from what the configuration gives.
import { join } from "node:path";
import type { AwsEnvironment } from "../config";
import { failoverRunbooks } from "./lib/failover-runbook";
import { runGenerated } from "./lib/generated";

const usage =
  "usage: npm run runbook [-- --check]\n  writes docs/runbooks/<standby>-failover.md for every standby in config/environments;\n  --check writes nothing and exits 1 on drift";

export function runRunbook(args: string[], root = join(__dirname, "..")): number {
  return runGenerated(
    {
      name: "runbook",
      usage,
      files: (envs) =>
        Object.fromEntries(
          failoverRunbooks(envs.filter((env): env is AwsEnvironment => env.platform === "aws")).map((runbook) => [
            runbook.path,
            runbook.markdown,
          ]),
        ),
    },
    args,
    root,
  );
}

if (require.main === module) process.exit(runRunbook(process.argv.slice(2)));
