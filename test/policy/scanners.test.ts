// One waiver mechanism for the policy suite and the scanners (policy/scanners.ts): a waiver naming
// an own rule silences the Checkov and Trivy checks it covers, one naming a scanner check that
// check only, each at its address and stack; the configuration accepts both kinds of id.
import { describe, expect, it } from "vitest";
import { loadEnvironments } from "../../config";
import { staging } from "../fixtures/environments/staging";
import { allRules, unusedWaivers, type StackReport } from "../../policy";
import {
  scannerCoverage,
  scannerIdPattern,
  scannerWaiver,
  servesScanners,
  type ScopedWaiver,
} from "../../policy/scanners";
import { fixtureInputs } from "../fixtures/environments";

const stack = "staging-foundation";
const reason = "accepted for this test";

describe("scanner waivers", () => {
  const coverage = Object.entries(scannerCoverage);
  const allScannerIds = [...new Set(coverage.flatMap(([, ids]) => ids))];

  it("a waiver naming an own rule silences each scanner check mapped to it, and no other", () => {
    expect(coverage.length).toBeGreaterThan(0);
    for (const [rule, ids] of coverage) {
      const waiver: ScopedWaiver = { rule, address: "aws_s3_bucket.lake_bronze", stack, reason };
      for (const id of ids)
        expect(scannerWaiver(id, "aws_s3_bucket.lake_bronze", stack, [waiver]), `${rule} ${id}`).toBe(waiver);
      for (const id of allScannerIds.filter((scannerId) => !ids.includes(scannerId)))
        expect(scannerWaiver(id, "aws_s3_bucket.lake_bronze", stack, [waiver]), `${rule} ${id}`).toBeUndefined();
    }
    const s3 = { rule: "S3-007", address: "aws_s3_bucket.lake_bronze", stack: "prod-foundation", reason };
    expect(scannerWaiver("CKV_AWS_144", "aws_s3_bucket.lake_bronze", "prod-foundation", [s3])).toBe(s3);
    expect(scannerWaiver("CKV_AWS_145", "aws_s3_bucket.lake_bronze", "prod-foundation", [s3])).toBeUndefined();
  });

  it("a waiver naming a scanner check silences only that check, at that address, in that stack", () => {
    const waiver: ScopedWaiver = { rule: "CKV2_AWS_62", address: "aws_s3_bucket.lake_logs", stack, reason };
    expect(scannerWaiver("CKV2_AWS_62", "aws_s3_bucket.lake_logs", stack, [waiver])).toBe(waiver);
    expect(scannerWaiver("CKV_AWS_144", "aws_s3_bucket.lake_logs", stack, [waiver])).toBeUndefined();
    expect(scannerWaiver("CKV2_AWS_62", "aws_s3_bucket.lake_gold", stack, [waiver])).toBeUndefined();
    expect(scannerWaiver("CKV2_AWS_62", "aws_s3_bucket.lake_logs", "prod-foundation", [waiver])).toBeUndefined();
    // Without a stack: every stack of the environment.
    const anywhere: ScopedWaiver = { rule: "CKV2_AWS_62", address: "aws_s3_bucket.lake_logs", reason };
    expect(scannerWaiver("CKV2_AWS_62", "aws_s3_bucket.lake_logs", "prod-foundation", [anywhere])).toBe(anywhere);
    // A scanner id covered by an own rule may still be waived by itself.
    const own: ScopedWaiver = { rule: "CKV_AWS_157", address: "aws_db_instance.postgres", stack, reason };
    expect(scannerWaiver("CKV_AWS_157", "aws_db_instance.postgres", stack, [own])).toBe(own);
    expect(scannerWaiver("CKV_AWS_293", "aws_db_instance.postgres", stack, [own])).toBeUndefined();
  });

  it("matches Checkov's `resource.<name>` addresses and Trivy's AVD- aliases", () => {
    // Checkov's terraform_json runner reports its Python checks as resource.<logical id>.
    const rds: ScopedWaiver = { rule: "RDS-003", address: "aws_db_instance.postgres", stack, reason };
    expect(scannerWaiver("CKV_AWS_157", "resource.postgres", stack, [rds])).toBe(rds);
    expect(scannerWaiver("CKV_AWS_157", "resource.postgres_replica", stack, [rds])).toBeUndefined();
    expect(scannerWaiver("CKV_AWS_157", "aws_db_instance.other", stack, [rds])).toBeUndefined();
    const logs: ScopedWaiver = { rule: "CKV_AWS_338", address: "aws_cloudwatch_log_group.log_vpc_flow", stack, reason };
    expect(scannerWaiver("CKV_AWS_338", "resource.log_vpc_flow", stack, [logs])).toBe(logs);
    // Trivy: AWS-0177 as Trivy 0.74 reports it, AVD-AWS-0177 as its alias; either spelling on either side.
    const del: ScopedWaiver = { rule: "RDS-004", address: "aws_db_instance.postgres", stack, reason };
    expect(scannerWaiver("AWS-0177", "aws_db_instance.postgres", stack, [del])).toBe(del);
    expect(scannerWaiver("AVD-AWS-0177", "aws_db_instance.postgres", stack, [del])).toBe(del);
    const alias: ScopedWaiver = { rule: "AVD-AWS-0089", address: "aws_s3_bucket.lake_logs", stack, reason };
    expect(scannerWaiver("AWS-0089", "aws_s3_bucket.lake_logs", stack, [alias])).toBe(alias);
    expect(scannerWaiver("AWS-0090", "aws_s3_bucket.lake_logs", stack, [alias])).toBeUndefined();
  });

  it("maps only existing own rules, and only to well-formed scanner ids", () => {
    const ruleIds = new Set(allRules.map((rule) => rule.id));
    expect(Object.keys(scannerCoverage).filter((id) => !ruleIds.has(id))).toEqual([]);
    expect(allScannerIds.filter((id) => !scannerIdPattern.test(id))).toEqual([]);
    // Own rule ids and scanner ids cannot be mistaken for each other.
    expect([...ruleIds].filter((id) => scannerIdPattern.test(id))).toEqual([]);
    for (const [rule, ids] of coverage) expect(new Set(ids).size, rule).toBe(ids.length);
  });

  it("the configuration rejects a malformed rule id and accepts own, Checkov and Trivy ids", () => {
    const load = (rule: string) =>
      loadEnvironments({
        ...fixtureInputs,
        staging: { ...staging, policy: { waivers: [{ rule, address: "aws_s3_bucket.lake_logs", reason }] } },
      });
    for (const rule of ["S3-007", "CKV_AWS_144", "CKV2_AWS_62", "CKV_K8S_21", "AWS-0089", "AVD-AWS-0089", "KSV-0014"])
      expect(load(rule).ok, rule).toBe(true);
    for (const rule of [
      "s3-007",
      "S3-7",
      "CKV_AWS_",
      "CKV3_AWS_1",
      "ckv_aws_144",
      "AVD-AWS-89",
      "AWS0089",
      "S3-007 ",
      "",
    ]) {
      const result = load(rule);
      expect(result.ok, rule).toBe(false);
      expect(result.ok ? [] : result.errors, rule).toEqual([
        expect.stringMatching(
          /^config error in staging: policy\.waivers\.0\.rule must be a policy rule id such as S3-006, or a Checkov or Trivy check id/,
        ),
      ]);
    }
  });

  it("leaves waivers the scanners may use to the scan, unless their resource is not in the stack", () => {
    const report = (waivers: StackReport["waivers"]): StackReport => ({
      stack,
      tier: "staging",
      results: allRules.map((rule) => ({ rule, checked: 1, violations: [] })),
      waivers,
      addresses: new Set(["aws_s3_bucket.lake_logs", "aws_eks_cluster.eks"]),
    });
    const scannerId = { rule: "CKV2_AWS_62", address: "aws_s3_bucket.lake_logs", reason };
    const covering = { rule: "S3-002", address: "aws_s3_bucket.lake_logs", reason };
    const stale = { rule: "CKV2_AWS_62", address: "aws_s3_bucket.gone", reason };
    const staleOwn = { rule: "S3-007", address: "aws_s3_bucket.gone", reason };
    const ownOnly = { rule: "EKS-008", address: "aws_eks_cluster.eks", reason };
    expect(servesScanners(scannerId.rule) && servesScanners(covering.rule) && !servesScanners(ownOnly.rule)).toBe(true);
    expect(unusedWaivers(report([scannerId, covering, stale, staleOwn, ownOnly]))).toEqual([stale, staleOwn, ownOnly]);
  });
});
