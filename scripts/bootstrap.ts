// `npm run bootstrap -- [--account <id>] [--apply]`: what an empty AWS account needs before the
// first plan of its environments (stacks/bootstrap-stack.ts), one stack per account, synthesized
// into bootstrap.out/ and planned with Terraform; `--apply` applies it (Terraform asks to confirm).
// Run it with an administrator's credentials for the account; its state stays local, in
// terraform-state/ (keep it: it holds the state bucket's own record).
import { spawnSync } from "node:child_process";
import { rmSync } from "node:fs";
import { join, resolve } from "node:path";
import { App } from "cdktf";
import { environmentInputs, loadEnvironments, type AwsEnvironment } from "../config";
import { buildBootstrap } from "../stacks/bootstrap-stack";
import { parseCli } from "./lib/cli";

const usage = `usage: npm run bootstrap -- [--account <account id>] [--apply] [--outdir <dir>]
  synthesizes one bootstrap stack per AWS account of config/environments (or only --account) into
  bootstrap.out/, then terraform init and plan each; --apply applies them (Terraform asks first).
  Creates: each environment's state bucket, the account's GitHub OIDC provider, CI's plan and apply
  roles per environment, and the hosted zones with dns.create.`;

export interface BootstrapArgs {
  readonly account?: string;
  readonly apply: boolean;
  readonly outdir: string;
}

/** Parses the arguments; a string is the error to print with the usage. */
export function parseArgs(args: string[]): BootstrapArgs | "help" | string {
  const cli = parseCli(args, { name: "bootstrap", usage, flags: ["--apply"], options: ["--account", "--outdir"] });
  if ("exit" in cli) return cli.exit === 0 ? "help" : cli.out.split("\n")[0]!.replace(/^bootstrap: /, "");
  const account = cli.options.get("--account");
  if (account !== undefined && !/^\d{12}$/.test(account))
    return `--account must be a 12-digit AWS account id (got ${account})`;
  return { account, apply: cli.flags.has("--apply"), outdir: cli.options.get("--outdir") ?? "bootstrap.out" };
}

/** Synthesizes the bootstrap stacks; returns their ids, or the configuration's errors. */
export function synthBootstrap(
  raw: Record<string, unknown>,
  outdir: string,
  account?: string,
): { ok: true; stacks: string[] } | { ok: false; errors: string[] } {
  const loaded = loadEnvironments(raw);
  if (!loaded.ok) return { ok: false, errors: loaded.errors };
  const aws = loaded.environments.filter((env): env is AwsEnvironment => env.platform === "aws");
  if (account !== undefined && !aws.some((env) => env.aws.accountId === account))
    return { ok: false, errors: [`no AWS environment in account ${account}`] };
  rmSync(outdir, { recursive: true, force: true });
  const app = new App({ outdir });
  const stacks = buildBootstrap(app, aws, account).map((stack) => stack.node.id);
  app.synth();
  return { ok: true, stacks };
}

function main(args: string[]): number {
  const parsed = parseArgs(args);
  if (parsed === "help") {
    console.log(usage);
    return 0;
  }
  if (typeof parsed === "string") {
    console.error(`bootstrap: ${parsed}\n${usage}`);
    return 2;
  }
  const outdir = resolve(parsed.outdir);
  const result = synthBootstrap(environmentInputs, outdir, parsed.account);
  if (!result.ok) {
    for (const error of result.errors) console.error(error);
    return 1;
  }
  for (const id of result.stacks) {
    const dir = join(outdir, "stacks", id);
    console.log(`== ${id} (${dir})`);
    for (const step of [["init", "-input=false"], parsed.apply ? ["apply"] : ["plan", "-input=false"]]) {
      const terraformRun = spawnSync("terraform", [`-chdir=${dir}`, ...step], { stdio: "inherit" });
      if (terraformRun.error) {
        console.error(`terraform: ${terraformRun.error.message} (install Terraform, then run npm run bootstrap again)`);
        return 1;
      }
      if (terraformRun.status !== 0) return terraformRun.status ?? 1;
    }
  }
  if (!parsed.apply) console.log("planned only: run npm run bootstrap -- --apply to create it");
  return 0;
}

if (require.main === module) process.exit(main(process.argv.slice(2)));
