import { CloudwatchLogGroup } from "@cdktf/provider-aws/lib/cloudwatch-log-group";
import { DbInstance, type DbInstanceConfig } from "@cdktf/provider-aws/lib/db-instance";
import { DbParameterGroup } from "@cdktf/provider-aws/lib/db-parameter-group";
import { DbSubnetGroup } from "@cdktf/provider-aws/lib/db-subnet-group";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { IamRolePolicyAttachment } from "@cdktf/provider-aws/lib/iam-role-policy-attachment";
import { SecurityGroup } from "@cdktf/provider-aws/lib/security-group";
import { VpcSecurityGroupIngressRule } from "@cdktf/provider-aws/lib/vpc-security-group-ingress-rule";
import { Construct } from "constructs";
import { partitionOf, serviceTrust } from "../../lib/aws";
import { stateful } from "../../lib/protect";

export interface PostgresTuning {
  readonly sharedBuffersMiB: number;
  readonly effectiveCacheSizeMiB: number;
  readonly workMemMiB: number;
  readonly maintenanceWorkMemMiB: number;
  readonly maxConnections: number;
}

interface PostgresBaseProps {
  /** DB instance identifier; also the prefix of its subnet group, parameter group and logs. */
  readonly identifier: string;
  readonly region: string;
  /** The PostgreSQL version the platform is tested against (config: a minor such as 17.6). The
   *  instance is given only its major (see engineVersionFor): RDS applies minor upgrades itself. */
  readonly engineVersion: string;
  /** Parameter group family, e.g. postgres17. */
  readonly family: string;
  readonly instanceClass: string;
  readonly vpcId: string;
  readonly subnetIds: string[];
  /** Security groups allowed to reach 5432 (the EKS cluster's). */
  readonly clientSecurityGroupIds: string[];
  readonly kmsKeyArn: string;
  readonly logsKmsKeyArn: string;
  readonly logRetentionDays: number;
  readonly multiAz: boolean;
  readonly backupRetentionDays: number;
  readonly backupWindow: string;
  readonly maintenanceWindow: string;
  readonly performanceInsightsRetentionDays: number;
  readonly monitoringIntervalSeconds: number;
  readonly tuning: PostgresTuning;
  readonly deletionProtection: boolean;
  readonly preventDestroy: boolean;
}

export interface PostgresProps extends PostgresBaseProps {
  readonly allocatedStorageGiB: number;
  readonly maxAllocatedStorageGiB: number;
  /** KMS key for the RDS-managed master password in Secrets Manager. */
  readonly secretsKmsKeyArn: string;
  /** Master user name; RDS manages its password in Secrets Manager. @default platform_admin */
  readonly masterUsername?: string;
}

export interface PostgresReplicaProps extends PostgresBaseProps {
  /** ARN of the source instance; a cross-region replica needs the ARN, not the identifier. */
  readonly sourceArn: string;
  /** Promote to a standalone primary (failover): drops replicate_source_db. Only attributes that
   *  RDS modifies in place change with it, so the instance keeps its address and data. */
  readonly promote: boolean;
  /** Storage autoscaling ceiling once promoted (absent: none; a replica's storage follows its source).
   *  @default none: no storage autoscaling */
  readonly maxAllocatedStorageGiB?: number;
  /** KMS key for the master password RDS manages once the replica is promoted. */
  readonly secretsKmsKeyArn: string;
}

export const postgresLogExports = ["postgresql", "upgrade"];

/** RDS applies minor engine upgrades in the maintenance window, on the primary and the replica. */
export const autoMinorVersionUpgrade = true;

/**
 * The `engine_version` to write for a PostgreSQL version such as 17.6. With automatic minor
 * upgrades the AWS provider documents a prefix of the version ("17"): it then keeps the configured
 * prefix while the instance runs 17.7 (the running version is `engine_version_actual`). A pinned
 * minor would read back as 17.7 after RDS upgrades the instance, and the next plan would ask RDS
 * for a downgrade to 17.6, which it refuses. Without automatic upgrades the version stays exact.
 */
export function engineVersionFor(version: string, autoMinor: boolean = autoMinorVersionUpgrade): string {
  if (!autoMinor) return version;
  const major = /^(\d+)(\.\d+)*$/.exec(version)?.[1];
  if (major === undefined) throw new Error(`not a PostgreSQL version: ${JSON.stringify(version)}`);
  return major;
}

/** Subnet group, security group, parameter group, monitoring role and log groups of an instance. */
class PostgresBase extends Construct {
  readonly securityGroup: SecurityGroup;
  protected readonly common: Omit<DbInstanceConfig, "instanceClass">;

  constructor(scope: Construct, id: string, props: PostgresBaseProps) {
    super(scope, id);
    const subnets = new DbSubnetGroup(this, "subnets", { name: props.identifier, subnetIds: props.subnetIds });
    this.securityGroup = new SecurityGroup(this, "sg", {
      name: `${props.identifier}-postgres`,
      description: "PostgreSQL: 5432 from the EKS cluster only",
      vpcId: props.vpcId,
    });
    props.clientSecurityGroupIds.forEach((sg, i) => {
      new VpcSecurityGroupIngressRule(this, `from-cluster-${i}`, {
        securityGroupId: this.securityGroup.id,
        description: "PostgreSQL from EKS",
        ipProtocol: "tcp",
        fromPort: 5432,
        toPort: 5432,
        referencedSecurityGroupId: sg,
      });
    });

    const tuning = props.tuning;
    const params = new DbParameterGroup(this, "params", {
      namePrefix: `${props.identifier}-`,
      family: props.family,
      description: `${props.identifier} PostgreSQL settings`,
      parameter: [
        { name: "rds.force_ssl", value: "1", applyMethod: "immediate" },
        // Units as RDS takes them: 8 KiB pages for buffers and cache, KiB for memory.
        { name: "shared_buffers", value: String(tuning.sharedBuffersMiB * 128), applyMethod: "pending-reboot" },
        { name: "max_connections", value: String(tuning.maxConnections), applyMethod: "pending-reboot" },
        { name: "effective_cache_size", value: String(tuning.effectiveCacheSizeMiB * 128), applyMethod: "immediate" },
        { name: "work_mem", value: String(tuning.workMemMiB * 1024), applyMethod: "immediate" },
        { name: "maintenance_work_mem", value: String(tuning.maintenanceWorkMemMiB * 1024), applyMethod: "immediate" },
        { name: "log_min_duration_statement", value: "1000", applyMethod: "immediate" },
        { name: "log_connections", value: "1", applyMethod: "immediate" },
      ],
    });
    params.addOverride("lifecycle.create_before_destroy", true);

    const monitoring = new IamRole(this, "monitoring-role", {
      name: `${props.identifier}-rds-monitoring`,
      assumeRolePolicy: serviceTrust("monitoring.rds.amazonaws.com"),
    });
    new IamRolePolicyAttachment(this, "monitoring-policy", {
      role: monitoring.name,
      policyArn: `arn:${partitionOf(props.region)}:iam::aws:policy/service-role/AmazonRDSEnhancedMonitoringRole`,
    });
    // RDS would create these unencrypted and kept forever; own them with a key and a retention.
    const logGroups = postgresLogExports.map((type) =>
      stateful(
        new CloudwatchLogGroup(this, `log-${type}`, {
          name: `/aws/rds/instance/${props.identifier}/${type}`,
          retentionInDays: props.logRetentionDays,
          kmsKeyId: props.logsKmsKeyArn,
        }),
        `log_rds_${type}`,
        props.preventDestroy,
      ),
    );

    this.common = {
      identifier: props.identifier,
      engine: "postgres",
      engineVersion: engineVersionFor(props.engineVersion),
      dbSubnetGroupName: subnets.name,
      vpcSecurityGroupIds: [this.securityGroup.id],
      parameterGroupName: params.name,
      publiclyAccessible: false,
      storageType: "gp3",
      storageEncrypted: true,
      kmsKeyId: props.kmsKeyArn,
      multiAz: props.multiAz,
      backupRetentionPeriod: props.backupRetentionDays,
      backupWindow: props.backupWindow,
      maintenanceWindow: props.maintenanceWindow,
      copyTagsToSnapshot: true,
      deletionProtection: props.deletionProtection,
      skipFinalSnapshot: false,
      finalSnapshotIdentifier: `${props.identifier}-final`,
      performanceInsightsEnabled: true,
      performanceInsightsKmsKeyId: props.kmsKeyArn,
      performanceInsightsRetentionPeriod: props.performanceInsightsRetentionDays,
      monitoringInterval: props.monitoringIntervalSeconds,
      monitoringRoleArn: monitoring.arn,
      enabledCloudwatchLogsExports: postgresLogExports,
      iamDatabaseAuthenticationEnabled: true,
      autoMinorVersionUpgrade,
      caCertIdentifier: "rds-ca-rsa2048-g1",
      dependsOn: logGroups,
    };
  }
}

/** RDS for PostgreSQL primary: encrypted, private, TLS-only, with its master password kept by
 *  RDS in Secrets Manager (never in Terraform state). */
export class Postgres extends PostgresBase {
  readonly instance: DbInstance;

  constructor(scope: Construct, id: string, props: PostgresProps) {
    super(scope, id, props);
    this.instance = stateful(
      new DbInstance(this, "db", {
        ...this.common,
        instanceClass: props.instanceClass,
        allocatedStorage: props.allocatedStorageGiB,
        maxAllocatedStorage: props.maxAllocatedStorageGiB,
        username: props.masterUsername ?? "platform_admin",
        manageMasterUserPassword: true,
        masterUserSecretKmsKeyId: props.secretsKmsKeyArn,
      }),
      "postgres",
      props.preventDestroy,
    );
  }
}

/** A cross-region read replica of another environment's primary, promotable by configuration. */
export class PostgresReplica extends PostgresBase {
  readonly instance: DbInstance;

  constructor(scope: Construct, id: string, props: PostgresReplicaProps) {
    super(scope, id, props);
    this.instance = stateful(
      new DbInstance(this, "db", {
        ...this.common,
        instanceClass: props.instanceClass,
        // Engine version and credentials follow the source while replicating.
        replicateSourceDb: props.promote ? undefined : props.sourceArn,
        // Storage autoscales on its own, replica or not: the source's autoscaling does not grow its
        // replicas, and a full replica stops replicating (the RPO with it).
        maxAllocatedStorage: props.maxAllocatedStorageGiB,
        // Once promoted, RDS takes over the master password into this region's Secrets Manager.
        // Nothing that forces a new instance (an empty database) may differ between the two:
        // identifier, engine, kms_key_id, storage_encrypted, and username, which stays unset (the source's).
        ...(props.promote ? { manageMasterUserPassword: true, masterUserSecretKmsKeyId: props.secretsKmsKeyArn } : {}),
      }),
      "postgres_replica",
      props.preventDestroy,
    );
    // The replica's engine version follows its source's upgrades (its engine_version is the major,
    // as the primary's); a promotion must not also upgrade the engine, so it stays ignored after one.
    this.instance.addOverride("lifecycle.ignore_changes", ["engine_version"]);
  }
}
