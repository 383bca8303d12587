// `npm run synth [-- <env>...] [--outdir <dir>]`: the stacks of every environment, or of the named
// ones and those they depend on (a standby's source), into cdktf.out, offline. Only the chosen
// environments are validated: an error in another one does not block them.
import { environmentInputs } from "../config";
import { cli } from "./lib/cli";
import { synthesize } from "./run-synth";

const args = cli(process.argv.slice(2), {
  name: "synth",
  usage: `usage: npm run synth [-- <env>...] [--outdir <dir>]
  validates and synthesizes every environment (or the named ones, with the environments they depend on)
  into cdktf.out (or <dir>), running the policy suite; a failure leaves the previous output untouched`,
  options: ["--outdir"],
  maxPositionals: Infinity,
});
const result = synthesize(environmentInputs, args.options.get("--outdir") ?? "cdktf.out", args.positionals);
for (const line of result.lines) (result.ok ? console.log : console.error)(line);
process.exit(result.ok ? 0 : 1);
