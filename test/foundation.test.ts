import { describe, expect, it } from "vitest";
import { one, resources, synthAll, synthStack } from "./helpers";

const prod = synthStack("prod-foundation");
const dr = synthStack("dr-foundation");
const drReplication = synthStack("dr-replication");
const staging = synthStack("staging-foundation");

describe("prod-foundation", () => {
  it("has one VPC, a NAT gateway per AZ, flow logs and an S3 gateway endpoint", () => {
    expect(resources(prod, "aws_vpc")).toHaveLength(1);
    expect(resources(prod, "aws_nat_gateway").length).toBeGreaterThanOrEqual(3);
    expect(one(prod, "aws_flow_log")).toMatchObject({ traffic_type: "ALL" });
    expect(one(prod, "aws_vpc_endpoint")).toMatchObject({
      vpc_endpoint_type: "Gateway",
      service_name: "com.amazonaws.us-east-1.s3",
    });
  });

  it("has a hardened EKS cluster of a supported version", () => {
    const eks = one(prod, "aws_eks_cluster");
    expect(eks.encryption_config.resources).toEqual(["secrets"]);
    expect(eks.enabled_cluster_log_types).toHaveLength(5);
    expect(eks.vpc_config.endpoint_public_access).toBe(false);
    expect(eks.vpc_config.public_access_cidrs).toBeUndefined();
    expect(Number(String(eks.version).split(".")[1])).toBeGreaterThanOrEqual(31);
    for (const ng of resources(prod, "aws_eks_node_group"))
      expect(ng.launch_template.id).toMatch(/aws_launch_template\./);
    for (const lt of resources(prod, "aws_launch_template")) expect(lt.metadata_options.http_tokens).toBe("required");
    expect(
      resources(prod, "aws_eks_addon")
        .map((addon) => addon.addon_name)
        .sort(),
    ).toEqual(["aws-ebs-csi-driver", "coredns", "eks-pod-identity-agent", "kube-proxy", "vpc-cni"]);
  });

  it("has one protected, Multi-AZ, encrypted primary database with a managed password", () => {
    const db = one(prod, "aws_db_instance");
    expect(db).toMatchObject({
      multi_az: true,
      storage_encrypted: true,
      deletion_protection: true,
      manage_master_user_password: true,
      lifecycle: { prevent_destroy: true },
    });
    expect(db.backup_retention_period).toBeGreaterThanOrEqual(7);
    expect(db.replicate_source_db).toBeUndefined();
    expect(one(prod, "aws_db_parameter_group").parameter).toContainEqual(
      expect.objectContaining({ name: "rds.force_ssl", value: "1" }),
    );
  });

  it("has three or more lake buckets, each fully guarded", () => {
    const buckets = Object.keys(prod.resource!.aws_s3_bucket!).filter((k) => k !== "lake_logs");
    expect(buckets.length).toBeGreaterThanOrEqual(3);
    const refs = (type: string) => resources(prod, type).map((resource) => resource.bucket as string);
    for (const bucket of buckets) {
      const ref = `\${aws_s3_bucket.${bucket}.id}`;
      for (const resourceType of [
        "aws_s3_bucket_public_access_block",
        "aws_s3_bucket_server_side_encryption_configuration",
        "aws_s3_bucket_versioning",
        "aws_s3_bucket_policy",
        "aws_s3_bucket_lifecycle_configuration",
        "aws_s3_bucket_logging",
      ]) {
        expect(refs(resourceType), `${bucket} has ${resourceType}`).toContain(ref);
      }
    }
  });

  it("rotates every KMS key", () => {
    const keys = resources(prod, "aws_kms_key");
    expect(keys.length).toBe(6);
    for (const k of keys) expect(k.enable_key_rotation).toBe(true);
  });

  it("stores state encrypted in S3 with a lock file, keyed per environment and stack", () => {
    expect(prod.terraform!.backend).toEqual({
      s3: {
        bucket: "odp-terraform-state-111122223333",
        key: "odp/prod/foundation.tfstate",
        region: "us-east-1",
        encrypt: true,
        use_lockfile: true,
      },
    });
  });

  it("tags everything through provider default tags", () => {
    expect(prod.provider!.aws![0]!.default_tags).toEqual([
      {
        tags: {
          environment: "prod",
          tier: "production",
          owner: "data-platform",
          "cost-centre": "cc-4200",
          "managed-by": "cdktf",
        },
      },
    ]);
  });
});

describe("dr-foundation", () => {
  it("replicates prod's database from another region, with no provider for prod's region", () => {
    const db = one(dr, "aws_db_instance");
    expect(db.replicate_source_db).toBe("arn:aws:rds:us-east-1:111122223333:db:odp-prod");
    expect(dr.provider!.aws!.map((provider) => provider.region)).toEqual(["us-west-2"]);
  });

  it("leaves the lake's replication, with replication time control, to dr-replication", () => {
    expect(resources(dr, "aws_s3_bucket_replication_configuration")).toEqual([]);
    const configs = resources(drReplication, "aws_s3_bucket_replication_configuration");
    expect(configs.map((config) => config.bucket).sort()).toEqual(
      ["bronze", "gold", "platform", "silver"].map((zone) => `odp-111122223333-prod-${zone}`),
    );
    for (const config of configs) {
      expect(config.provider).toBe("aws.source");
      expect(config.rule[0].destination.replication_time).toEqual({ status: "Enabled", time: { minutes: 15 } });
    }
  });

  it("promotes the replica when failover is switched on", () => {
    const promoted = one(synthAll("drFailover").get("dr-foundation")!, "aws_db_instance");
    expect(promoted.replicate_source_db).toBeUndefined();
    expect(promoted).toMatchObject({
      manage_master_user_password: true,
      multi_az: true,
      lifecycle: { prevent_destroy: true },
    });
  });

  it("never makes prod depend on dr: it names dr's region only to replicate a shared secret there", () => {
    const secrets = prod.resource!.aws_secretsmanager_secret!;
    const replicated = Object.entries(secrets).filter(([, secret]) => (secret as { replica?: unknown }).replica);
    expect(replicated.map(([, secret]) => (secret as { name: string }).name)).toEqual(["odp/prod/superset-secret-key"]);
    // The replica uses the region's AWS-managed key: a dr key would make prod wait for dr-foundation.
    for (const [, secret] of replicated)
      expect((secret as { replica: unknown }).replica).toEqual([{ region: "us-west-2" }]);
    const withoutReplicas = JSON.parse(JSON.stringify(prod));
    for (const secret of Object.values(withoutReplicas.resource.aws_secretsmanager_secret))
      delete (secret as { replica?: unknown }).replica;
    expect(JSON.stringify(withoutReplicas)).not.toMatch(/odp-dr|us-west-2/);
  });
});

describe("staging-foundation", () => {
  it("is cheaper and unprotected, as configured", () => {
    expect(resources(staging, "aws_nat_gateway")).toHaveLength(1);
    const db = one(staging, "aws_db_instance");
    expect(db.multi_az).toBe(false);
    expect(db.lifecycle?.prevent_destroy).toBeUndefined();
    expect(resources(staging, "aws_s3_bucket_replication_configuration")).toHaveLength(0);
  });
});

describe("CloudWatch alarms", () => {
  const alarms = (stack: typeof prod): Record<string, Record<string, any>> =>
    Object.fromEntries(resources(stack, "aws_cloudwatch_metric_alarm").map((alarm) => [alarm.alarm_name, alarm]));

  it("watch the primary database and notify an encrypted topic", () => {
    const byName = alarms(prod);
    expect(Object.keys(byName).sort()).toEqual([
      "odp-prod-db-connections",
      "odp-prod-db-cpu",
      "odp-prod-db-free-storage",
    ]);
    expect(byName["odp-prod-db-connections"]!.threshold).toBe(180);
    expect(one(prod, "aws_sns_topic").kms_master_key_id).toBe("${aws_kms_key.kms_alerts.arn}");
  });

  it("hold the standby to the 15-minute RPO: replica lag and S3 replication latency, in the right regions", () => {
    const byName = alarms(dr);
    expect(byName["odp-dr-db-replica-lag"]).toMatchObject({ metric_name: "ReplicaLag", threshold: 900 });
    expect(Object.values(byName).filter((alarm) => alarm.metric_name === "ReplicationLatency")).toEqual([]);
    const s3 = Object.values(alarms(drReplication)).filter((alarm) => alarm.metric_name === "ReplicationLatency");
    expect(s3).toHaveLength(4);
    for (const alarm of s3) {
      expect(alarm).toMatchObject({ provider: "aws.source", threshold: 900, namespace: "AWS/S3" });
      // An alarm notifies a topic of its own region: the source region's topic, under prod's alerts key.
      expect(alarm.alarm_actions[0]).toMatch(/aws_sns_topic\.alarms_topic/);
    }
    expect(resources(drReplication, "aws_sns_topic")).toEqual([
      expect.objectContaining({ provider: "aws.source", kms_master_key_id: "alias/odp-prod-alerts" }),
    ]);
  });

  it("drop the replica-lag alarm once the standby is promoted", () => {
    expect(Object.keys(alarms(synthAll("drFailover").get("dr-foundation")!))).not.toContain("odp-dr-db-replica-lag");
  });
});

describe("external-secrets' role", () => {
  const readable = (stack: ReturnType<typeof synthStack>) => {
    const [, policy] = Object.entries(stack.resource!.aws_iam_role_policy!).find(([k]) =>
      k.startsWith("role-external-secrets_policy"),
    )! as [string, { policy: string }];
    const doc = JSON.parse(policy.policy);
    return doc.Statement.find((statement: { Sid: string }) => statement.Sid === "ReadEnvironmentSecrets").Resource;
  };

  it("reads the environment's secrets and the RDS-managed master secret (named rds!db-..., outside the prefix)", () => {
    expect(readable(prod)).toEqual([
      "arn:aws:secretsmanager:us-east-1:111122223333:secret:odp/prod/*",
      "${aws_db_instance.postgres.master_user_secret[0].secret_arn}",
    ]);
  });

  it("on a standby replica, reads its prefix and the replicas of what it shares with prod; the master secret by tag, once RDS creates it", () => {
    expect(readable(dr)).toEqual([
      "arn:aws:secretsmanager:us-west-2:111122223333:secret:odp/dr/*",
      "arn:aws:secretsmanager:us-west-2:111122223333:secret:odp/prod/superset-secret-key-??????",
    ]);
  });
});
