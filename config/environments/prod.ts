import type { AwsEnvironmentInput } from "../schema";
import { versions } from "../versions";
import { awsFoundationWaivers } from "../waivers";

// Live data workloads: three AZs, clustered, everything protected. Replace the account id, admin
// role name, domain and hosted zone (name and id) with your own before deploying; the state bucket,
// lake bucket names and role ARNs derive from the account id (config/load.ts).
export const prod: AwsEnvironmentInput = {
  name: "prod",
  tier: "production",
  platform: "aws",
  domain: "data.example.com",
  aws: { accountId: "123456789012", region: "us-east-1" },
  // State in odp-terraform-state-<account> (config/load.ts derives the name from aws.accountId).
  // The region is stated: staging and prod share the bucket, and a bucket lives in one region.
  backend: { type: "s3", keyPrefix: "odp", region: "us-east-1" },
  tags: { owner: "data-platform", costCentre: "cc-4200" },
  protection: { deletionProtection: true, preventDestroy: true },
  network: { cidr: "10.20.0.0/16", azCount: 3, natGateways: "per-az", flowLogRetentionDays: 365 },
  cluster: {
    version: "1.35",
    // A role of this environment's account (aws.accountId), by name; a full ARN works too.
    adminRoleArn: "platform-admin",
    publicAccessCidrs: [],
    logRetentionDays: 365,
    nodeGroups: {
      general: {
        instanceTypes: ["r7i.2xlarge", "r6i.2xlarge"],
        capacityType: "ON_DEMAND",
        minSize: 3,
        desiredSize: 5,
        maxSize: 10,
        diskGiB: 100,
      },
    },
  },
  database: {
    engineVersion: versions.postgres.engineVersion,
    instanceClass: "db.r6g.xlarge",
    allocatedStorageGiB: 100,
    maxAllocatedStorageGiB: 1000,
    multiAz: true,
    backupRetentionDays: 30,
    backupWindow: "03:00-04:00",
    maintenanceWindow: "sun:04:00-sun:05:00",
    performanceInsightsRetentionDays: 7,
    monitoringIntervalSeconds: 60,
    // db.r6g.xlarge has 32 GiB: a quarter for shared buffers, three quarters as OS cache.
    tuning: {
      sharedBuffersMiB: 8192,
      effectiveCacheSizeMiB: 24576,
      workMemMiB: 64,
      maintenanceWorkMemMiB: 1024,
      maxConnections: 200,
    },
  },
  // CI plans and applies from inside the VPC: the EKS endpoint is private (docs/ci.md).
  ci: { repository: "my-org/open-data-platform", runner: { kind: "codebuild", project: "odp-prod-github-runner" } },
  // The zone's id spares a failover of dr (which shares it) any Route 53 control-plane call.
  dns: { zone: "example.com", zoneId: "Z0123456789EXAMPLE0DR" },
  workloads: {
    airbyte: { serverReplicas: 2, webappReplicas: 2, workers: { min: 2, max: 10 } },
    superset: { webReplicas: 2, workerReplicas: 2 },
    // The seeds' sizes: a 16 GiB coordinator heap; 3 executors (up to 6) of 16-32 GiB and 4-8 CPUs.
    dremio: {
      coordinator: { cpu: 4, memoryGiB: 32, heapGiB: 16, storageGiB: 100 },
      executors: {
        count: 3,
        maxCount: 6,
        requests: { cpu: 4, memoryGiB: 32 },
        limits: { cpu: 8, memoryGiB: 32 },
        heapMinGiB: 8,
        heapMaxGiB: 16,
        storageGiB: 100,
      },
      zookeeper: { replicas: 3, storageGiB: 10 },
    },
    observability: {
      prometheus: { replicas: 2, retentionDays: 15, storageGiB: 100 },
      alertmanagerReplicas: 3,
      logRetentionDays: 30,
    },
    dbt: {
      schedule: "0 2 * * *",
      image: "registry.example.com/analytics/dbt-project:1.0.0",
      target: "prod",
      threads: 8,
    },
    elasticsearch: {
      nodeSets: {
        masters: { count: 3, roles: ["master"], storageGiB: 20, memoryGiB: 4 },
        data: { count: 3, roles: ["data", "ingest"], storageGiB: 500, memoryGiB: 16 },
      },
    },
  },
  lake: {
    noncurrentVersionExpiryDays: 90,
    accessLogRetentionDays: 365,
    zones: { bronze: { glacierAfterDays: 90 }, silver: {}, gold: { objectLock: { mode: "GOVERNANCE", days: 30 } } },
  },
  policy: {
    waivers: [...awsFoundationWaivers("prod-foundation")],
  },
};
