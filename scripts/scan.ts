// `npm run scan [-- <outdir>]`: Checkov and Trivy over every synthesized stack (run `npm run synth`
// first), with the policy waivers applied; exits 1 on any unwaived finding. Uses `checkov` and
// `trivy` from PATH (or CHECKOV and TRIVY), as users' CI installs them at the versions in
// config/engines.ts; the live tier runs the same scan with the engines it builds.
import { existsSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { environmentInputs, loadOrThrow } from "../config";
import { cli } from "./lib/cli";
import { liveScan } from "./live/scan";
import { printCheck, type Check } from "./live/report";

const args = cli(process.argv.slice(2), {
  name: "scan",
  usage:
    "usage: npm run scan [-- <outdir>]\n  Checkov and Trivy over every synthesized stack in <outdir> (default cdktf.out; run npm run synth first), policy waivers applied",
  maxPositionals: 1,
});
const outdir = resolve(args.positionals[0] ?? "cdktf.out");
if (!existsSync(join(outdir, "stacks"))) {
  console.error(`scan: no synthesized stacks in ${outdir}: run npm run synth first`);
  process.exit(1);
}
const stacks = readdirSync(join(outdir, "stacks")).sort();
const work = mkdtempSync(join(tmpdir(), "odp-scan-"));
const checks: Check[] = [];
try {
  console.log(
    liveScan(
      { checkov: process.env.CHECKOV ?? "checkov", trivy: process.env.TRIVY ?? "trivy" },
      outdir,
      stacks,
      loadOrThrow(environmentInputs),
      work,
      checks,
    ).replace(/^live: /, ""),
  );
} finally {
  rmSync(work, { recursive: true, force: true });
}
for (const check of checks.filter((candidate) => !candidate.ok)) printCheck(check);
process.exit(checks.every((check) => check.ok) ? 0 : 1);
