import { describe, expect, it } from "vitest";
import {
  Postgres,
  PostgresReplica,
  engineVersionFor,
  postgresLogExports,
  type PostgresProps,
  type PostgresReplicaProps,
} from "../../constructs/aws/postgres";
import { one, resourceMap, resources, synthConstruct, type Synthesized } from "../helpers";

const common = {
  identifier: "test-pg",
  region: "eu-west-1",
  engineVersion: "17.4",
  family: "postgres17",
  instanceClass: "db.r7g.large",
  vpcId: "vpc-123",
  subnetIds: ["subnet-a", "subnet-b"],
  clientSecurityGroupIds: ["sg-cluster", "sg-nodes"],
  kmsKeyArn: "arn:aws:kms:eu-west-1:111111111111:key/rds",
  logsKmsKeyArn: "arn:aws:kms:eu-west-1:111111111111:key/logs",
  logRetentionDays: 30,
  multiAz: true,
  backupRetentionDays: 14,
  backupWindow: "02:00-03:00",
  maintenanceWindow: "sun:04:00-sun:05:00",
  performanceInsightsRetentionDays: 7,
  monitoringIntervalSeconds: 30,
  tuning: {
    sharedBuffersMiB: 2048,
    effectiveCacheSizeMiB: 6144,
    workMemMiB: 32,
    maintenanceWorkMemMiB: 512,
    maxConnections: 300,
  },
  deletionProtection: true,
  preventDestroy: true,
  secretsKmsKeyArn: "arn:aws:kms:eu-west-1:111111111111:key/secrets",
};
const primaryProps: PostgresProps = { ...common, allocatedStorageGiB: 100, maxAllocatedStorageGiB: 500 };
const replicaProps: PostgresReplicaProps = {
  ...common,
  sourceArn: "arn:aws:rds:eu-central-1:111111111111:db:source-pg",
  promote: false,
};

const primary = (props: Partial<PostgresProps> = {}) =>
  synthConstruct((scope) => new Postgres(scope, "pg", { ...primaryProps, ...props }));
const replica = (props: Partial<PostgresReplicaProps> = {}) =>
  synthConstruct((scope) => new PostgresReplica(scope, "pg", { ...replicaProps, ...props }));
const paramsOf = (stack: Synthesized) =>
  Object.fromEntries(
    (one(stack, "aws_db_parameter_group").parameter as Record<string, any>[]).map((param) => [
      param.name,
      { value: param.value, apply: param.apply_method },
    ]),
  );

describe("Postgres", () => {
  const stack = primary();
  const db = resourceMap(stack, "aws_db_instance")["postgres"]!;

  it("pins the instance at address postgres", () => {
    expect(Object.keys(resourceMap(stack, "aws_db_instance"))).toEqual(["postgres"]);
  });

  it("forces TLS and converts the tuning to RDS units", () => {
    const params = paramsOf(stack);
    expect(params["rds.force_ssl"]!.value).toBe("1");
    expect(params["shared_buffers"]).toEqual({ value: String(2048 * 128), apply: "pending-reboot" });
    expect(params["effective_cache_size"]!.value).toBe(String(6144 * 128));
    expect(params["work_mem"]!.value).toBe(String(32 * 1024));
    expect(params["maintenance_work_mem"]!.value).toBe(String(512 * 1024));
    expect(params["max_connections"]).toEqual({ value: "300", apply: "pending-reboot" });
    const group = one(stack, "aws_db_parameter_group");
    expect(group.family).toBe("postgres17");
    expect(group.lifecycle.create_before_destroy).toBe(true);
    expect(db.parameter_group_name).toMatch(/^\$\{aws_db_parameter_group\..*\.name\}$/);
  });

  it("encrypts storage with the key and stays private", () => {
    expect(db.storage_encrypted).toBe(true);
    expect(db.kms_key_id).toBe(common.kmsKeyArn);
    expect(db.publicly_accessible).toBe(false);
    expect(db.engine).toBe("postgres");
  });

  it("gives RDS the major version only, as automatic minor upgrades require", () => {
    // A pinned 17.4 reads back as 17.5 once RDS upgrades the instance: the next plan would ask for
    // a downgrade. The provider keeps a configured prefix of the running version instead.
    expect(db.auto_minor_version_upgrade).toBe(true);
    expect(db.engine_version).toBe("17");
    expect(one(primary({ engineVersion: "16.9" }), "aws_db_instance").engine_version).toBe("16");
  });

  it("lets RDS manage the master password in Secrets Manager with the secrets key", () => {
    expect(db.manage_master_user_password).toBe(true);
    expect(db.master_user_secret_kms_key_id).toBe(common.secretsKmsKeyArn);
    expect(db.password).toBeUndefined();
    expect(db.username).toBe("platform_admin");
    expect(resourceMap(primary({ masterUsername: "root_user" }), "aws_db_instance")["postgres"]!.username).toBe(
      "root_user",
    );
  });

  it("sets availability, backups, windows and the final snapshot", () => {
    expect(db.multi_az).toBe(true);
    expect(db.backup_retention_period).toBe(14);
    expect(db.backup_window).toBe("02:00-03:00");
    expect(db.maintenance_window).toBe("sun:04:00-sun:05:00");
    expect(db.skip_final_snapshot).toBe(false);
    expect(db.final_snapshot_identifier).toBe("test-pg-final");
    expect(db.copy_tags_to_snapshot).toBe(true);
    expect(db.allocated_storage).toBe(100);
    expect(db.max_allocated_storage).toBe(500);
  });

  it("enables performance insights with KMS, enhanced monitoring, log exports and IAM auth", () => {
    expect(db.performance_insights_enabled).toBe(true);
    expect(db.performance_insights_kms_key_id).toBe(common.kmsKeyArn);
    expect(db.performance_insights_retention_period).toBe(7);
    expect(db.monitoring_interval).toBe(30);
    const roleKey = Object.keys(resourceMap(stack, "aws_iam_role"))[0]!;
    expect(db.monitoring_role_arn).toBe(`\${aws_iam_role.${roleKey}.arn}`);
    const role = one(stack, "aws_iam_role");
    expect(JSON.parse(role.assume_role_policy).Statement[0].Principal).toEqual({
      Service: "monitoring.rds.amazonaws.com",
    });
    expect(one(stack, "aws_iam_role_policy_attachment").policy_arn).toBe(
      "arn:aws:iam::aws:policy/service-role/AmazonRDSEnhancedMonitoringRole",
    );
    expect(db.enabled_cloudwatch_logs_exports).toEqual(postgresLogExports);
    expect(db.iam_database_authentication_enabled).toBe(true);
  });

  it("owns the exported log groups, encrypted with a retention, before the instance", () => {
    const groups = resourceMap(stack, "aws_cloudwatch_log_group");
    for (const type of postgresLogExports) {
      const logGroup = groups[`log_rds_${type}`]!;
      expect(logGroup.name).toBe(`/aws/rds/instance/test-pg/${type}`);
      expect(logGroup.kms_key_id).toBe(common.logsKmsKeyArn);
      expect(logGroup.retention_in_days).toBe(30);
      expect(db.depends_on).toContain(`aws_cloudwatch_log_group.log_rds_${type}`);
    }
  });

  it("allows 5432 only from the given security groups", () => {
    const rules = resources(stack, "aws_vpc_security_group_ingress_rule");
    expect(rules).toHaveLength(2);
    expect(rules.map((rule) => rule.referenced_security_group_id).sort()).toEqual(["sg-cluster", "sg-nodes"]);
    for (const rule of rules) {
      expect(rule).toMatchObject({ ip_protocol: "tcp", from_port: 5432, to_port: 5432 });
      expect(rule.cidr_ipv4).toBeUndefined();
      expect(rule.cidr_ipv6).toBeUndefined();
    }
    const sg = one(stack, "aws_security_group");
    expect(sg.ingress).toBeUndefined();
    expect(sg.vpc_id).toBe("vpc-123");
    const sgKey = Object.keys(resourceMap(stack, "aws_security_group"))[0]!;
    expect(db.vpc_security_group_ids).toEqual([`\${aws_security_group.${sgKey}.id}`]);
    expect(resources(stack, "aws_vpc_security_group_egress_rule")).toEqual([]);
  });

  it("places the instance in a subnet group of the given subnets", () => {
    expect(one(stack, "aws_db_subnet_group").subnet_ids).toEqual(["subnet-a", "subnet-b"]);
  });

  it("follows deletionProtection, preventDestroy and multiAz", () => {
    expect(db.deletion_protection).toBe(true);
    expect(db.lifecycle?.prevent_destroy).toBe(true);
    const off = primary({ deletionProtection: false, preventDestroy: false, multiAz: false });
    const instance = resourceMap(off, "aws_db_instance")["postgres"]!;
    expect(instance.deletion_protection).toBe(false);
    expect(instance.lifecycle?.prevent_destroy).toBeUndefined();
    expect(instance.multi_az).toBe(false);
    expect(
      resourceMap(off, "aws_cloudwatch_log_group")["log_rds_postgresql"]!.lifecycle?.prevent_destroy,
    ).toBeUndefined();
  });
});

describe("PostgresReplica", () => {
  const stack = replica();
  const db = resourceMap(stack, "aws_db_instance")["postgres_replica"]!;

  it("replicates the source by ARN at the pinned address postgres_replica", () => {
    expect(Object.keys(resourceMap(stack, "aws_db_instance"))).toEqual(["postgres_replica"]);
    expect(db.replicate_source_db).toBe(replicaProps.sourceArn);
  });

  it("autoscales its storage while replicating: the source's autoscaling does not grow a replica", () => {
    expect(
      resourceMap(replica({ maxAllocatedStorageGiB: 800 }), "aws_db_instance")["postgres_replica"]!
        .max_allocated_storage,
    ).toBe(800);
  });

  it("carries no credentials while replicating", () => {
    expect(db.username).toBeUndefined();
    expect(db.password).toBeUndefined();
    expect(db.manage_master_user_password).toBeUndefined();
    expect(db.master_user_secret_kms_key_id).toBeUndefined();
  });

  it("keeps the security settings of the primary", () => {
    expect(db).toMatchObject({
      storage_encrypted: true,
      kms_key_id: common.kmsKeyArn,
      publicly_accessible: false,
      iam_database_authentication_enabled: true,
      performance_insights_kms_key_id: common.kmsKeyArn,
      skip_final_snapshot: false,
      deletion_protection: true,
    });
    expect(paramsOf(stack)["rds.force_ssl"]!.value).toBe("1");
    expect(db.lifecycle.prevent_destroy).toBe(true);
    expect(db.lifecycle.ignore_changes).toEqual(["engine_version"]);
  });

  it("gives RDS the major version only, replicating or promoted", () => {
    expect(db.auto_minor_version_upgrade).toBe(true);
    expect(db.engine_version).toBe("17");
    expect(resourceMap(replica({ promote: true }), "aws_db_instance")["postgres_replica"]!.engine_version).toBe("17");
  });

  it("drops replicate_source_db and lets RDS manage the password once promoted", () => {
    const promoted = resourceMap(replica({ promote: true }), "aws_db_instance")["postgres_replica"]!;
    expect(promoted.replicate_source_db).toBeUndefined();
    expect(promoted.manage_master_user_password).toBe(true);
    expect(promoted.master_user_secret_kms_key_id).toBe(common.secretsKmsKeyArn);
    expect(promoted.storage_encrypted).toBe(true);
  });
});

describe("engineVersionFor", () => {
  it("keeps the major with automatic minor upgrades and the exact version without", () => {
    expect(engineVersionFor("17.6")).toBe("17");
    expect(engineVersionFor("17")).toBe("17");
    expect(engineVersionFor("17.6", false)).toBe("17.6");
    expect(() => engineVersionFor("latest")).toThrow(/not a PostgreSQL version/);
  });
});
