// How the policy suite's waivers apply to Checkov and Trivy findings. Each own rule lists the
// scanner checks that flag the same concern, so one waiver (rule, address, reason) silences that
// concern in the policy suite and in both scanners. A scanner check that no own rule covers is
// waived by its own id.
//
// A scanner reports a concern at the resource it checks, which may not be the one the own rule
// checks (CKV_AWS_145 reports the bucket, S3-002 its encryption configuration): a waiver meant for
// the scanners names the address the scanners report.
import type { Waiver } from "./rule";

/**
 * Own rule id -> the Checkov and Trivy check ids it covers: only checks of the same concern (a
 * stricter check of another concern, such as CKV_AWS_338's one-year log retention against CW-002's
 * "retention set", is not listed; it is waived by its own id). Trivy ids are written as Trivy
 * 0.74 reports them (`AWS-0089`; its alias `AVD-AWS-0089` matches too). Trivy checks it marks
 * deprecated, which it no longer runs, are left out.
 */
export const scannerCoverage: Readonly<Record<string, readonly string[]>> = {
  // S3
  "S3-001": [
    "CKV_AWS_53",
    "CKV_AWS_54",
    "CKV_AWS_55",
    "CKV_AWS_56",
    "CKV2_AWS_6",
    "AWS-0086",
    "AWS-0087",
    "AWS-0091",
    "AWS-0093",
    "AWS-0094",
  ],
  "S3-002": ["CKV_AWS_19", "CKV_AWS_145", "AWS-0132"],
  "S3-003": ["CKV_AWS_21", "AWS-0090"],
  "S3-005": ["CKV2_AWS_61"],
  "S3-006": ["CKV_AWS_18", "AWS-0089"],
  "S3-007": ["CKV_AWS_144"],
  // RDS
  "RDS-001": ["CKV_AWS_16", "AWS-0080"],
  "RDS-002": ["CKV_AWS_17", "AWS-0180"],
  "RDS-003": ["CKV_AWS_157"],
  "RDS-004": ["CKV_AWS_293", "AWS-0177"],
  "RDS-005": ["CKV_AWS_133", "AWS-0077"],
  "RDS-006": ["CKV_AWS_161", "AWS-0176"],
  "RDS-007": ["CKV_AWS_353", "CKV_AWS_354", "AWS-0133", "AWS-0078"],
  "RDS-008": ["CKV_AWS_118"],
  "RDS-009": ["CKV_AWS_129"],
  "RDS-010": ["CKV_AWS_226"],
  "RDS-011": ["CKV2_AWS_60"],
  "RDS-012": ["CKV2_AWS_69"],
  // EKS and its nodes' launch templates
  "EKS-001": ["CKV_AWS_58", "AWS-0039"],
  "EKS-002": ["CKV_AWS_37", "AWS-0038"],
  "EKS-003": ["CKV_AWS_38", "CKV_AWS_39", "AWS-0040", "AWS-0041"],
  "EKS-004": ["CKV_AWS_79", "AWS-0130"],
  "EKS-005": ["CKV_AWS_341"],
  "EKS-007": ["CKV_AWS_339"],
  // KMS, VPC, Secrets Manager, CloudWatch Logs, SNS, SQS
  "KMS-001": ["CKV_AWS_7", "AWS-0065"],
  "KMS-002": ["CKV2_AWS_64"],
  "VPC-001": ["CKV2_AWS_12", "AWS-0173"],
  "VPC-002": ["CKV_AWS_130", "AWS-0164"],
  "VPC-003": ["CKV2_AWS_11", "AWS-0178"],
  "SM-001": ["CKV_AWS_149", "AWS-0098"],
  "CW-001": ["CKV_AWS_158", "AWS-0017"],
  "CW-002": ["CKV_AWS_66"],
  "SNS-001": ["CKV_AWS_26", "AWS-0095", "AWS-0136"],
  "SQS-001": ["CKV_AWS_27", "AWS-0096"],
  // IAM
  "IAM-001": ["CKV_AWS_62", "CKV_AWS_63", "CKV2_AWS_40"],
  "IAM-002": ["CKV_AWS_60"],
  "IAM-003": ["CKV_AWS_355"],
  // Security groups
  "SG-001": ["CKV_AWS_23", "AWS-0099", "AWS-0124"],
  "SG-002": ["CKV_AWS_24", "CKV_AWS_25", "CKV_AWS_277", "AWS-0107"],
  // Load balancers
  "LB-001": ["CKV_AWS_2", "CKV2_AWS_20", "AWS-0054"],
  "LB-002": ["CKV_AWS_103", "AWS-0047"],
  "LB-003": ["CKV_AWS_131", "AWS-0052"],
  "LB-004": ["CKV_AWS_150"],
  "LB-005": ["CKV_AWS_91"],
};

/**
 * Scanner check ids: Checkov's CKV_AWS_144 or CKV2_AWS_62; Trivy's AWS-0089 (as Trivy 0.74 reports
 * them) or AVD-AWS-0089 (their alias). Own rule ids (S3-007) have three digits, Trivy's four.
 */
export const scannerIdPattern = /^(CKV2?_[A-Z0-9]+_\d+|(AVD-)?[A-Z0-9]+-\d{4})$/;

/** A waiver's rule names a scanner check, or an own rule that covers scanner checks: the scanners may use it. */
export function servesScanners(rule: string): boolean {
  return scannerIdPattern.test(rule) || (scannerCoverage[rule]?.length ?? 0) > 0;
}

export interface ScopedWaiver extends Waiver {
  /** `<env>-<layer>`; absent: every stack of the environment. */
  stack?: string | undefined;
}

/** Trivy reports `AWS-0089`; its alias `AVD-AWS-0089` names the same check. */
const canonicalId = (id: string) => id.replace(/^AVD-/, "");

/**
 * Whether a waiver's address is the resource a scanner reported. Checkov's terraform_json runner
 * names the findings of its Python checks `resource.<logical id>` (the block's kind, not the
 * resource type: CKV_AWS_157 on aws_db_instance.postgres is `resource.postgres`); its graph checks
 * and Trivy report `<type>.<logical id>`.
 */
function sameResource(waived: string, reported: string): boolean {
  if (waived === reported) return true;
  return (
    reported.startsWith("resource.") && waived.slice(waived.indexOf(".") + 1) === reported.slice("resource.".length)
  );
}

/** Whether a waiver's rule is the scanner check, or an own rule that covers it. */
function coversCheck(rule: string, checkId: string): boolean {
  const id = canonicalId(checkId);
  return (
    canonicalId(rule) === id || (scannerCoverage[rule] ?? []).some((scannerRule) => canonicalId(scannerRule) === id)
  );
}

/** The waiver that silences a scanner finding, if any. */
export function scannerWaiver(
  checkId: string,
  address: string,
  stack: string,
  waivers: readonly ScopedWaiver[],
): ScopedWaiver | undefined {
  return waivers.find(
    (waiver) =>
      (waiver.stack === undefined || waiver.stack === stack) &&
      sameResource(waiver.address, address) &&
      coversCheck(waiver.rule, checkId),
  );
}
