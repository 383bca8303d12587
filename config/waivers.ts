// Findings every AWS foundation (`<env>-foundation` of staging, prod, dr) accepts by design, as
// policy waivers (policy/scanners.ts: a waiver naming an own rule also silences the Checkov and
// Trivy checks of the same concern; one naming a scanner check silences that check only). An
// environment file adds them to its own; each names its exact resource.
import { lakeZones, type WaiverConfig } from "./schema";

/** The generated application secrets of constructs/aws/app-secrets.ts (`secret_app_<name>`). */
const appSecrets = [
  "postgres_airbyte",
  "postgres_temporal",
  "postgres_superset",
  "superset_secret_key",
  "superset_admin",
  "superset_valkey",
  "airbyte_admin",
  "dremio_admin",
  "dremio_dbt",
  "dremio_superset",
  "grafana_admin",
  "logging_elasticsearch",
];

/**
 * Trivy reads no nested block of a resource in Terraform's JSON syntax: without the provider's
 * schema JSON cannot tell a block from an argument, so Trivy 0.74 sees none (aquasecurity/trivy
 * #5080, #5907) and reports settings the stack does make. Each is waived by Trivy's own id, so that
 * the own rule and Checkov, which read the block, still check it.
 */
function trivyJsonBlindSpot(
  check: string,
  address: string,
  stack: string,
  setting: string,
  checkedBy: string,
): WaiverConfig {
  return {
    rule: check,
    address,
    stack,
    reason: `false positive: the stack sets ${setting}, in a nested block Trivy cannot read in .tf.json (aquasecurity/trivy#5907); ${checkedBy} check it`,
  };
}

/** The waivers of an AWS environment's foundation stack, named `stack`. */
export function awsFoundationWaivers(stack: string): WaiverConfig[] {
  return [
    ...appSecrets.map((name) => ({
      rule: "CKV2_AWS_57",
      address: `aws_secretsmanager_secret.secret_app_${name}`,
      stack,
      reason:
        "generated at apply time through a write-only argument (never in state) and consumed by Kubernetes workloads; no rotation Lambda: rotated by the runbook (bump secret_string_wo_version, README 'Secrets'). The database master password is RDS-managed and rotates itself",
    })),
    ...lakeZones.map((zone) => ({
      rule: "CKV2_AWS_62",
      address: `aws_s3_bucket.lake_${zone}`,
      stack,
      reason:
        "nothing consumes object events: ingestion (Airbyte) and transformation (dbt on Dremio) run on their own schedules and list the lake themselves; an aws_s3_bucket_notification would own the bucket's whole notification set for no reader",
    })),
    {
      rule: "CKV2_AWS_62",
      address: "aws_s3_bucket.lake_logs",
      stack,
      reason:
        "access-log bucket: its objects are S3 and ALB log deliveries, kept for a fixed period; no process reacts to them",
    },
    {
      rule: "S3-002",
      address: "aws_s3_bucket.lake_logs",
      stack,
      reason:
        "S3 server access logs and ALB access logs can only be delivered to a bucket with SSE-S3 (AES256), not SSE-KMS; S3-002 allows it for *-access-logs buckets",
    },
    {
      rule: "S3-007",
      address: "aws_s3_bucket.lake_logs",
      stack,
      reason:
        "access logs describe the region they were written in and expire after lake.accessLogRetentionDays; S3-007 exempts log buckets from replication",
    },
    {
      rule: "S3-007",
      address: "aws_s3_bucket.lake_airbyte",
      stack,
      reason:
        "Airbyte's own working files (job logs, workload payloads), not lake data: connections, sync state and job history live in the database, which the standby replicates; a promoted standby's Airbyte writes its own bucket",
    },
    {
      rule: "CKV2_AWS_62",
      address: "aws_s3_bucket.lake_airbyte",
      stack,
      reason: "Airbyte reads its own files back by key; no process reacts to object events in this bucket",
    },
    {
      rule: "CKV2_AWS_62",
      address: "aws_s3_bucket.lake_platform",
      stack,
      reason:
        "Dremio's distributed storage and Elasticsearch's snapshot repository: each reads its own files back by key; no process reacts to object events in this bucket",
    },
    {
      rule: "CKV2_AWS_71",
      address: "aws_acm_certificate.certificate_cert_F91133EC",
      stack,
      reason:
        "one certificate on the shared ALB serves every platform host directly under the environment's own domain (one label deep, in a zone the platform owns), so routes are added without reissuing it; ACM keeps the private key",
    },
    // Trivy's blind spot in JSON (see trivyJsonBlindSpot).
    trivyJsonBlindSpot(
      "AWS-0039",
      "aws_eks_cluster.eks",
      stack,
      "encryption_config { resources = [secrets], provider.key_arn = the eks KMS key }",
      "EKS-001 and CKV_AWS_58",
    ),
    trivyJsonBlindSpot(
      "AWS-0040",
      "aws_eks_cluster.eks",
      stack,
      "vpc_config.endpoint_public_access = false",
      "EKS-003 and CKV_AWS_38/CKV_AWS_39",
    ),
    trivyJsonBlindSpot(
      "AWS-0130",
      "aws_launch_template.eks_general-lt_5DE63B1D",
      stack,
      'metadata_options.http_tokens = "required"',
      "EKS-004 and CKV_AWS_79",
    ),
    ...Object.entries({
      bronze: "0ED7E13F",
      silver: "77E73C2D",
      gold: "25A03CA4",
      logs: "D9895B14",
      airbyte: "D6D469B1",
      platform: "D9A6B3E6",
    }).map(([zone, hash]) =>
      trivyJsonBlindSpot(
        "AWS-0090",
        `aws_s3_bucket_versioning.lake_${zone}-versioning_${hash}`,
        stack,
        'versioning_configuration.status = "Enabled"',
        "S3-003 and CKV_AWS_21",
      ),
    ),
    ...Object.entries({
      bronze: "F8EE3300",
      silver: "D96B30FF",
      gold: "50FA3B4E",
      airbyte: "DE7726D3",
      platform: "4D5E4ECC",
    }).map(([zone, hash]) =>
      trivyJsonBlindSpot(
        "AWS-0132",
        `aws_s3_bucket_server_side_encryption_configuration.lake_${zone}-sse_${hash}`,
        stack,
        'rule.apply_server_side_encryption_by_default { sse_algorithm = "aws:kms", kms_master_key_id = the s3 KMS key }',
        "S3-002 and CKV_AWS_145",
      ),
    ),
  ];
}
