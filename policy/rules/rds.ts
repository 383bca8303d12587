// RDS PostgreSQL: encryption, exposure, resilience, authentication, monitoring, TLS.
import { protectedTiers } from "../../config/schema";
import { allTiers, asArray, blocks, isFalse, isTrue, type PolicyFix, type PolicyRule } from "../rule";

const db = ["aws_db_instance"];

/** A rule over aws_db_instance that fails when `ok(attrs)` is false. */
function dbRule(
  id: string,
  title: string,
  message: string,
  fix: PolicyFix,
  errorTiers: PolicyRule["errorTiers"],
  ok: (a: Record<string, any>) => boolean,
  detail: (a: Record<string, any>) => string,
): PolicyRule {
  return {
    id,
    title,
    message,
    fix,
    errorTiers,
    resourceTypes: db,
    check: ({ attrs }) => (ok(attrs) ? undefined : detail(attrs)),
  };
}

/** Set in code by the construct that declares the instance (constructs/aws/postgres.ts). */
const inCode: PolicyFix = { code: [] };

const show = (value: unknown) => (value === undefined ? "unset" : JSON.stringify(value));

export const rdsRules: PolicyRule[] = [
  dbRule(
    "RDS-001",
    "Storage encrypted",
    "set storage_encrypted = true (with kms_key_id a customer key)",
    inCode,
    allTiers,
    (attrs) => isTrue(attrs.storage_encrypted),
    (attrs) => `storage_encrypted is ${show(attrs.storage_encrypted)}`,
  ),
  dbRule(
    "RDS-002",
    "Not publicly accessible",
    "set publicly_accessible = false",
    inCode,
    allTiers,
    (attrs) => !isTrue(attrs.publicly_accessible),
    () => "publicly_accessible is true",
  ),
  dbRule(
    "RDS-003",
    "Multi-AZ",
    "set multi_az = true",
    { config: ["database.multiAz"] },
    protectedTiers,
    (attrs) => isTrue(attrs.multi_az),
    (attrs) => `multi_az is ${show(attrs.multi_az)}`,
  ),
  dbRule(
    "RDS-004",
    "Deletion protection",
    "set deletion_protection = true",
    { config: ["protection.deletionProtection"] },
    protectedTiers,
    (attrs) => isTrue(attrs.deletion_protection),
    (attrs) => `deletion_protection is ${show(attrs.deletion_protection)}`,
  ),
  dbRule(
    "RDS-005",
    "Backups kept 7 days or more",
    "set backup_retention_period to 7 or more",
    { config: ["database.backupRetentionDays"] },
    protectedTiers,
    (attrs) => typeof attrs.backup_retention_period === "number" && attrs.backup_retention_period >= 7,
    (attrs) => `backup_retention_period is ${show(attrs.backup_retention_period)}`,
  ),
  dbRule(
    "RDS-006",
    "IAM database authentication",
    "set iam_database_authentication_enabled = true",
    inCode,
    allTiers,
    (attrs) => isTrue(attrs.iam_database_authentication_enabled),
    (attrs) => `iam_database_authentication_enabled is ${show(attrs.iam_database_authentication_enabled)}`,
  ),
  dbRule(
    "RDS-007",
    "Performance Insights encrypted",
    "set performance_insights_enabled = true and performance_insights_kms_key_id to a customer key",
    inCode,
    allTiers,
    (attrs) =>
      isTrue(attrs.performance_insights_enabled) &&
      typeof attrs.performance_insights_kms_key_id === "string" &&
      attrs.performance_insights_kms_key_id !== "",
    (attrs) =>
      isTrue(attrs.performance_insights_enabled)
        ? "performance_insights_kms_key_id is unset"
        : `performance_insights_enabled is ${show(attrs.performance_insights_enabled)}`,
  ),
  dbRule(
    "RDS-008",
    "Enhanced monitoring",
    "set monitoring_interval > 0 and monitoring_role_arn",
    { config: ["database.monitoringIntervalSeconds"] },
    allTiers,
    (attrs) => typeof attrs.monitoring_interval === "number" && attrs.monitoring_interval > 0,
    (attrs) => `monitoring_interval is ${show(attrs.monitoring_interval)}`,
  ),
  dbRule(
    "RDS-009",
    "PostgreSQL logs exported",
    'add "postgresql" to enabled_cloudwatch_logs_exports',
    inCode,
    allTiers,
    (attrs) => asArray(attrs.enabled_cloudwatch_logs_exports).includes("postgresql"),
    (attrs) => `enabled_cloudwatch_logs_exports is ${show(attrs.enabled_cloudwatch_logs_exports)}`,
  ),
  dbRule(
    "RDS-010",
    "Minor version upgrades",
    "leave auto_minor_version_upgrade at true",
    inCode,
    allTiers,
    (attrs) => !isFalse(attrs.auto_minor_version_upgrade),
    () => "auto_minor_version_upgrade is false",
  ),
  dbRule(
    "RDS-014",
    "No pinned minor with automatic minor upgrades",
    'set engine_version to the major version only (e.g. "17") while auto_minor_version_upgrade is on',
    inCode,
    allTiers,
    // After RDS upgrades the instance (17.6 -> 17.7) a pinned minor reads back as a difference, and
    // the next plan asks RDS for a downgrade, which it refuses. The provider keeps a prefix ("17").
    (attrs) =>
      attrs.engine !== "postgres" ||
      isFalse(attrs.auto_minor_version_upgrade) ||
      attrs.engine_version === undefined ||
      /^\d+$/.test(String(attrs.engine_version)),
    (attrs) =>
      `engine_version is ${show(attrs.engine_version)} with auto_minor_version_upgrade ${attrs.auto_minor_version_upgrade === undefined ? "unset (true)" : "on"}`,
  ),
  dbRule(
    "RDS-011",
    "Tags copied to snapshots",
    "set copy_tags_to_snapshot = true",
    inCode,
    allTiers,
    (attrs) => isTrue(attrs.copy_tags_to_snapshot),
    (attrs) => `copy_tags_to_snapshot is ${show(attrs.copy_tags_to_snapshot)}`,
  ),
  {
    id: "RDS-012",
    title: "TLS enforced",
    message: 'add parameter rds.force_ssl = "1" to the parameter group',
    fix: inCode,
    errorTiers: allTiers,
    resourceTypes: ["aws_db_parameter_group"],
    check: ({ attrs }) => {
      const forceSsl = blocks(attrs.parameter).find((parameter) => parameter.name === "rds.force_ssl");
      return forceSsl && String(forceSsl.value) === "1" ? undefined : `rds.force_ssl is ${show(forceSsl?.value)}`;
    },
  },
  dbRule(
    "RDS-013",
    "Master password managed by RDS",
    "set manage_master_user_password = true (RDS keeps it in Secrets Manager) instead of password",
    inCode,
    allTiers,
    // A read replica has no master password of its own until it is promoted.
    (attrs) =>
      isTrue(attrs.manage_master_user_password) ||
      (typeof attrs.replicate_source_db === "string" &&
        attrs.replicate_source_db !== "" &&
        attrs.password === undefined),
    (attrs) =>
      attrs.password !== undefined
        ? "password is set: it is stored in Terraform state"
        : `manage_master_user_password is ${show(attrs.manage_master_user_password)}`,
  ),
];
