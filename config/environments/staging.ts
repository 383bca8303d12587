import type { AwsEnvironmentInput } from "../schema";
import { versions } from "../versions";
import { awsFoundationWaivers } from "../waivers";

// Pre-production checks on AWS: multi-node and multi-AZ, smaller and cheaper than prod.
export const staging: AwsEnvironmentInput = {
  name: "staging",
  tier: "staging",
  platform: "aws",
  domain: "staging.data.example.com",
  aws: { accountId: "123456789012", region: "us-east-1" },
  // State in odp-terraform-state-<account> (config/load.ts derives the name from aws.accountId).
  // The region is stated: staging and prod share the bucket, and a bucket lives in one region.
  backend: { type: "s3", keyPrefix: "odp", region: "us-east-1" },
  tags: { owner: "data-platform", costCentre: "cc-4200" },
  protection: { deletionProtection: false, preventDestroy: false },
  network: { cidr: "10.10.0.0/16", azCount: 2, natGateways: "single", flowLogRetentionDays: 30 },
  cluster: {
    version: "1.35",
    // A role of this environment's account (aws.accountId), by name; a full ARN works too.
    adminRoleArn: "platform-admin",
    publicAccessCidrs: [],
    logRetentionDays: 30,
    nodeGroups: {
      general: {
        instanceTypes: ["r7i.xlarge", "r6i.xlarge"],
        capacityType: "ON_DEMAND",
        minSize: 2,
        desiredSize: 3,
        maxSize: 6,
        diskGiB: 80,
      },
    },
  },
  database: {
    engineVersion: versions.postgres.engineVersion,
    instanceClass: "db.r6g.large",
    allocatedStorageGiB: 50,
    maxAllocatedStorageGiB: 200,
    multiAz: false,
    backupRetentionDays: 7,
    backupWindow: "03:00-04:00",
    maintenanceWindow: "sun:04:00-sun:05:00",
    performanceInsightsRetentionDays: 7,
    monitoringIntervalSeconds: 60,
    tuning: {
      sharedBuffersMiB: 4096,
      effectiveCacheSizeMiB: 12288,
      workMemMiB: 32,
      maintenanceWorkMemMiB: 512,
      maxConnections: 200,
    },
  },
  // CI plans and applies from inside the VPC: the EKS endpoint is private (docs/ci.md).
  ci: {
    repository: "my-org/open-data-platform",
    runner: { kind: "self-hosted", labels: ["self-hosted", "linux", "odp-staging"] },
  },
  dns: { zone: "example.com" },
  workloads: {
    airbyte: { serverReplicas: 1, webappReplicas: 1, workers: { min: 2, max: 6 } },
    superset: { webReplicas: 1, workerReplicas: 1 },
    dremio: {
      coordinator: { cpu: 2, memoryGiB: 16, heapGiB: 8, storageGiB: 50 },
      executors: {
        count: 2,
        maxCount: 3,
        requests: { cpu: 2, memoryGiB: 16 },
        limits: { cpu: 4, memoryGiB: 16 },
        heapMinGiB: 4,
        heapMaxGiB: 4,
        storageGiB: 50,
      },
      zookeeper: { replicas: 3, storageGiB: 5 },
    },
    observability: {
      prometheus: { replicas: 1, retentionDays: 7, storageGiB: 50 },
      alertmanagerReplicas: 1,
      logRetentionDays: 14,
    },
    dbt: {
      schedule: "0 3 * * *",
      image: "registry.example.com/analytics/dbt-project:1.0.0",
      target: "staging",
      threads: 4,
    },
    elasticsearch: {
      nodeSets: { default: { count: 3, roles: ["master", "data", "ingest"], storageGiB: 100, memoryGiB: 4 } },
    },
  },
  lake: {
    noncurrentVersionExpiryDays: 30,
    accessLogRetentionDays: 90,
    zones: { bronze: { glacierAfterDays: 90 }, silver: {}, gold: {} },
  },
  policy: {
    waivers: [
      ...awsFoundationWaivers("staging-foundation"),
      // What staging deliberately runs smaller than prod (warnings in this tier, accepted here).
      ...(["bronze", "silver", "gold", "platform"] as const).map((zone) => ({
        rule: "S3-007",
        address: `aws_s3_bucket.lake_${zone}`,
        stack: "staging-foundation",
        reason:
          "staging's lake holds pre-production copies that ingestion rebuilds; no standby replicates staging (dr is prod's standby)",
      })),
      {
        rule: "RDS-003",
        address: "aws_db_instance.postgres",
        stack: "staging-foundation",
        reason:
          "staging runs a single-AZ database (database.multiAz false), a deliberate saving for pre-production; an AZ outage only pauses the checks run there",
      },
      {
        rule: "RDS-004",
        address: "aws_db_instance.postgres",
        stack: "staging-foundation",
        reason:
          "staging is torn down and rebuilt (protection.deletionProtection false); the final snapshot still guards against a mistaken destroy",
      },
      // Staging keeps logs 30 days (cluster.logRetentionDays, network.flowLogRetentionDays): they
      // serve pre-production debugging, not audit, which prod's 365 days cover.
      ...["log_eks_cluster", "log_rds_postgresql", "log_rds_upgrade", "log_vpc_flow"].map((name) => ({
        rule: "CKV_AWS_338",
        address: `aws_cloudwatch_log_group.${name}`,
        stack: "staging-foundation",
        reason:
          "pre-production logs are kept 30 days for debugging; audit retention of a year applies to prod and dr, which keep 365 days",
      })),
    ],
  },
};
