// Every synthesis applies the policy suite: an error-level violation fails it, a configured waiver
// lets it through as information and shows in `npm run policy`, a stale waiver is called out.
import { App, type TerraformStack } from "cdktf";
import { KmsKey } from "@cdktf/provider-aws/lib/kms-key";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { loadOrThrow } from "../../config";
import { buildStacks } from "../../stacks";
import { policyOf } from "../../stacks/policy";
import { formatReport, unusedWaiverLines } from "../../scripts/policy";
import { staging } from "../fixtures/environments/staging";
import { sharedReports } from "../helpers";
import { fixtureInputs } from "../fixtures/environments";

type Waiver = { rule: string; address: string; stack?: string; reason: string };

/** Synthesizes staging as `npm run synth` does (app.synth()), with extra waivers, plus a key without
 *  rotation in staging-foundation. Staging alone: the other environments add nothing to check here. */
function synthWithBadKey(waivers: Waiver[]) {
  const outdir = mkdtempSync(join(tmpdir(), "odp-policy-"));
  const raw = { staging: { ...staging, policy: { waivers } } };
  const envs = loadOrThrow(raw);
  const app = new App({ outdir });
  buildStacks(app, envs);
  const stack = app.node.findChild("staging-foundation") as TerraformStack;
  new KmsKey(stack, "unrotated", { description: "fixture", enableKeyRotation: false, policy: "{}" });
  try {
    app.synth();
    return { ok: true as const, stack, envs };
  } catch (err) {
    return { ok: false as const, message: (err as Error).message, stack, envs };
  } finally {
    rmSync(outdir, { recursive: true, force: true });
  }
}

describe("policy at synthesis", () => {
  it("every stack carries the suite with its environment's tier", () => {
    // The run's shared synthesis: synthesizeAll takes each report from the stack's policy aspect
    // and fails on a stack without one (scripts/lib/synthesized.ts).
    const reports = sharedReports();
    expect(reports.length).toBe(12);
    for (const report of reports)
      expect(report.tier, report.stack).toBe(
        report.stack.startsWith("prod")
          ? "production"
          : report.stack.startsWith("dr")
            ? "standby"
            : report.stack.startsWith("dev")
              ? "development"
              : "staging",
      );
  });

  it("fails synthesis on an error-level violation, naming rule, resource and fix", () => {
    const result = synthWithBadKey([]);
    expect(result.ok).toBe(false);
    expect(result.ok ? "" : result.message).toMatch(
      /\[KMS-001\] aws_kms_key\.unrotated: set enable_key_rotation = true/,
    );
  });

  it("prints each violation in npm run policy's report with what to change and how to waive it", () => {
    const result = synthWithBadKey([]);
    const text = formatReport(policyOf(result.stack)!.report!);
    expect(text).toMatch(/KMS-001\s+fail\s+aws_kms_key\.unrotated/);
    // The key is declared by the stack itself: no configuration key, the stack's file.
    expect(text).toContain(
      "  error: [KMS-001] aws_kms_key.unrotated: set enable_key_rotation = true — enable_key_rotation is false. " +
        "To change: no configuration key decides it; the code in stacks/foundation-stack.ts. " +
        "Or waive it with a reason in the environment's policy.waivers (rule KMS-001, address aws_kms_key.unrotated).",
    );
  });

  it("fails synthesis of a protected tier without Multi-AZ, naming the rule, the message and database.multiAz", () => {
    // The schema refuses multiAz false for tier production before any synthesis, so the fixture
    // changes the loaded configuration: the policy is the check behind it (and the one a waiver
    // can relax). Built from the fixture environments.
    const envs = loadOrThrow(fixtureInputs).map((env) =>
      env.name === "prod" && env.platform === "aws" ? { ...env, database: { ...env.database, multiAz: false } } : env,
    );
    const outdir = mkdtempSync(join(tmpdir(), "odp-policy-multiaz-"));
    try {
      const app = new App({ outdir });
      buildStacks(app, envs);
      const stack = app.node.findChild("prod-foundation") as TerraformStack;
      expect(() => app.synth()).toThrow(
        /\[RDS-003\] aws_db_instance\.postgres: set multi_az = true — multi_az is false\. To change: database\.multiAz in the configuration of the environment\. Or waive it with a reason in the environment's policy\.waivers/,
      );
      const rds = policyOf(stack)!.report!.results.find((candidate) => candidate.rule.id === "RDS-003")!;
      expect(rds.violations).toEqual([
        expect.objectContaining({
          address: "aws_db_instance.postgres",
          level: "error",
          source: "constructs/aws/postgres.ts",
        }),
      ]);
    } finally {
      rmSync(outdir, { recursive: true, force: true });
    }
  });

  it("lets a waived violation through and shows the waiver with its reason", () => {
    const reason = "fixture key for this test; rotation is irrelevant here";
    const result = synthWithBadKey([
      { rule: "KMS-001", address: "aws_kms_key.unrotated", stack: "staging-foundation", reason },
    ]);
    expect(result.ok).toBe(true);
    const report = policyOf(result.stack)!.report!;
    const kms = report.results.find((candidate) => candidate.rule.id === "KMS-001")!;
    expect(kms.violations).toEqual([
      expect.objectContaining({ address: "aws_kms_key.unrotated", level: "waived", waiver: reason }),
    ]);
    expect(formatReport(report)).toMatch(
      new RegExp(`KMS-001\\s+waived\\s+aws_kms_key\\.unrotated\\s+aws_kms_key\\.unrotated: ${reason}`),
    );
    expect(unusedWaiverLines([report], result.envs)).toEqual([]);
  });

  it("calls out a waiver that matches nothing", () => {
    const result = synthWithBadKey([
      {
        rule: "KMS-001",
        address: "aws_kms_key.unrotated",
        stack: "staging-foundation",
        reason: "fixture key for this test",
      },
      { rule: "S3-001", address: "aws_s3_bucket.nowhere", reason: "a stale waiver left behind" },
    ]);
    expect(result.ok).toBe(true);
    expect(unusedWaiverLines([policyOf(result.stack)!.report!], result.envs)).toEqual([
      "unused waiver staging: S3-001 aws_s3_bucket.nowhere (a stale waiver left behind): it matches no violation; remove it or correct its rule, address or stack",
    ]);
  });

  it("rejects a waiver without a reason in configuration", () => {
    expect(() =>
      loadOrThrow({
        ...fixtureInputs,
        staging: { ...staging, policy: { waivers: [{ rule: "KMS-001", address: "aws_kms_key.x", reason: "" }] } },
      }),
    ).toThrow(/config error in staging: policy\.waivers\.0\.reason/);
  });
});
