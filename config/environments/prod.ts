import type { AwsEnvironmentInput } from "../schema";
import { versions } from "../versions";

// Live data workloads: three AZs, clustered, everything protected. Replace the account id,
// admin role, state bucket and domain with your own before deploying.
export const prod: AwsEnvironmentInput = {
  name: "prod",
  tier: "production",
  platform: "aws",
  domain: "data.example.com",
  aws: { accountId: "123456789012", region: "us-east-1" },
  backend: { type: "s3", bucket: "odp-terraform-state-123456789012", keyPrefix: "odp", region: "us-east-1" },
  tags: { owner: "data-platform", costCentre: "cc-4200" },
  protection: { deletionProtection: true, preventDestroy: true },
  network: { cidr: "10.20.0.0/16", azCount: 3, natGateways: "per-az", flowLogRetentionDays: 365 },
  cluster: {
    version: "1.35",
    adminRoleArn: "arn:aws:iam::123456789012:role/platform-admin",
    publicAccessCidrs: [],
    logRetentionDays: 365,
    nodeGroups: {
      general: { instanceTypes: ["m7i.2xlarge", "m6i.2xlarge"], capacityType: "ON_DEMAND", minSize: 3, desiredSize: 5, maxSize: 10, diskGiB: 100 },
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
    tuning: { sharedBuffersMiB: 8192, effectiveCacheSizeMiB: 24576, workMemMiB: 64, maintenanceWorkMemMiB: 1024, maxConnections: 200 },
  },
  dns: { zone: "example.com" },
  workloads: {
    airbyte: { serverReplicas: 2, webappReplicas: 2, workers: { min: 2, max: 10 } },
    superset: { webReplicas: 2, workerReplicas: 2 },
    elasticsearch: {
      nodeSets: {
        masters: { count: 3, roles: ["master"], storageGiB: 20, memoryGiB: 4 },
        data: { count: 3, roles: ["data", "ingest"], storageGiB: 500, memoryGiB: 16 },
      },
    },
  },
  lake: {
    bucketPrefix: "odp-123456789012",
    noncurrentVersionExpiryDays: 90,
    accessLogRetentionDays: 365,
    zones: { bronze: { glacierAfterDays: 90 }, silver: {}, gold: { objectLock: { mode: "GOVERNANCE", days: 30 } } },
  },
};
