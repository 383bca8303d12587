// The live tier's scan phase: Checkov and Trivy over every synthesized stack. A finding counts
// unless the environment's policy waivers silence it (policy/scanners.ts); each stack must have
// none left. Prints the counts per stack.
import { spawnSync } from "node:child_process";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { EnvironmentConfig } from "../../config/schema";
import { scannerWaiver } from "../../policy/scanners";
import { environmentOfStack } from "../../stacks/naming";
import type { Check } from "./report";
import { loopbackOnly } from "./terraform";

export interface Finding {
  scanner: "checkov" | "trivy";
  stack: string;
  id: string;
  address: string;
  title: string;
}

/**
 * The copy of a stack the scanners read. Checkov 3.3's terraform_json parser fails on any
 * non-object value in the `terraform` block (here `required_version`) and then reports nothing at
 * all, so that one key is left out of the copy.
 */
function scanCopy(synthDir: string, stack: string, scanDir: string): void {
  const json = JSON.parse(readFileSync(join(synthDir, "stacks", stack, "cdk.tf.json"), "utf8")) as {
    terraform?: Record<string, unknown>;
  };
  if (json.terraform) delete json.terraform.required_version;
  mkdirSync(join(scanDir, stack), { recursive: true });
  writeFileSync(join(scanDir, stack, "cdk.tf.json"), JSON.stringify(json, null, 2));
}

function runJson(cmd: string, args: string[], what: string): any {
  const result = spawnSync(cmd, args, {
    encoding: "utf8",
    maxBuffer: 256 * 1024 * 1024,
    env: { ...process.env, ...loopbackOnly },
  });
  if (result.error || !result.stdout.trim())
    throw new Error(`${what} produced no report (exit ${result.status}): ${result.stderr.slice(-800)}`);
  return JSON.parse(result.stdout);
}

export function checkovFindings(checkov: string, scanDir: string): Finding[] {
  const out = runJson(
    checkov,
    ["-d", scanDir, "--framework", "terraform_json", "--skip-download", "-o", "json", "--quiet", "--compact"],
    "checkov",
  );
  const reports = (Array.isArray(out) ? out : [out]) as {
    summary: { parsing_errors: number };
    results: { failed_checks: any[]; parsing_errors?: string[] };
  }[];
  const broken = reports.filter((report) => report.summary.parsing_errors > 0);
  if (broken.length)
    throw new Error(
      `checkov could not parse: ${broken.flatMap((report) => report.results.parsing_errors ?? []).join(", ")}`,
    );
  return reports.flatMap((report) =>
    report.results.failed_checks.map((failed) => ({
      scanner: "checkov" as const,
      stack: String(failed.file_path).split("/").filter(Boolean)[0]!,
      id: failed.check_id,
      address: failed.resource,
      title: failed.check_name,
    })),
  );
}

export function trivyFindings(trivy: string, scanDir: string, cacheDir: string): Finding[] {
  const out = runJson(
    trivy,
    ["config", "--skip-check-update", "--quiet", "--cache-dir", cacheDir, "-f", "json", scanDir],
    "trivy",
  );
  return ((out.Results ?? []) as any[]).flatMap((result) =>
    ((result.Misconfigurations ?? []) as any[])
      .filter((misconfiguration) => misconfiguration.Status === "FAIL")
      .map((misconfiguration) => ({
        scanner: "trivy" as const,
        stack: String(result.Target).split("/").filter(Boolean)[0]!,
        id: misconfiguration.AVDID ?? misconfiguration.ID,
        address: misconfiguration.CauseMetadata?.Resource ?? "",
        title: misconfiguration.Title,
      })),
  );
}

/** The scanner binaries: the engines' builds in the live tier, the ones on PATH in users' CI. */
export interface Scanners {
  checkov: string;
  trivy: string;
}

export function liveScan(
  paths: Scanners,
  synthDir: string,
  stacks: string[],
  envs: readonly EnvironmentConfig[],
  workdir: string,
  checks: Check[],
): string {
  const start = Date.now();
  const scanDir = join(workdir, "scan");
  for (const stack of stacks) scanCopy(synthDir, stack, scanDir);
  const findings = [
    ...checkovFindings(paths.checkov, scanDir),
    ...trivyFindings(paths.trivy, scanDir, join(workdir, "trivy-cache")),
  ];
  let total = 0;
  let unwaived = 0;
  for (const stack of stacks) {
    const env = envs.find((candidate) => candidate.name === environmentOfStack(stack));
    const waivers = env?.policy.waivers ?? [];
    const mine = findings.filter((finding) => finding.stack === stack);
    const open = mine.filter((finding) => !scannerWaiver(finding.id, finding.address, stack, waivers));
    const count = (scanner: Finding["scanner"]) =>
      `${scanner} ${mine.filter((finding) => finding.scanner === scanner).length} (${open.filter((finding) => finding.scanner === scanner).length} unwaived)`;
    console.log(`scan ${stack}: ${count("checkov")}, ${count("trivy")}`);
    total += mine.length;
    unwaived += open.length;
    checks.push({
      name: `scan: ${stack} has no unwaived Checkov or Trivy finding`,
      ok: open.length === 0,
      detail:
        open.map((finding) => `${finding.scanner} ${finding.id} ${finding.address}: ${finding.title}`).join("\n") ||
        undefined,
    });
  }
  return `live: scanned ${stacks.length} stacks in ${((Date.now() - start) / 1000).toFixed(0)} s: ${total} findings, ${unwaived} unwaived`;
}
