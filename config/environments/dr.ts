import type { AwsEnvironmentInput } from "../schema";
import { awsFoundationWaivers } from "../waivers";
import { prod } from "./prod";

// Standby of prod in a second region (RTO 1 h, RPO 15 min). Sizes mirror prod's where a
// failover needs them at once (database, lake); the cluster idles small until `failover: true`,
// which gives it prod's workloads and node groups (config/load.ts) and prod's host names
// (docs/runbooks/dr-failover.md). Node groups keep prod's names and instance types for that.
const region = "us-west-2";

export const dr: AwsEnvironmentInput = {
  ...prod,
  name: "dr",
  tier: "standby",
  standbyOf: "prod",
  failover: false,
  aws: { ...prod.aws, region },
  // dr's state lives in dr's region, so that its stacks can be initialised with prod's region down:
  // in a bucket of its own (config/load.ts: prod's bucket name with dr's region appended).
  backend: { type: "s3", keyPrefix: prod.backend.keyPrefix },
  // Standby hosts live under their own name until a failover points the main names here.
  domain: "dr.data.example.com",
  // Its own runners, in its own VPC: CI must reach dr's cluster while prod's region is down.
  ci: { ...prod.ci, runner: { kind: "codebuild", project: "odp-dr-github-runner" } },
  // prod's waivers name prod's stacks; dr has its own (a promoted dr adds some: config/load.ts).
  policy: {
    waivers: [
      ...awsFoundationWaivers("dr-foundation"),
      {
        rule: "AWS-0095",
        address: "aws_sns_topic.alarms_topic_CB6504A9",
        stack: "dr-replication",
        reason:
          "false positive: the replication-alerts topic in prod's region is encrypted with prod's alerts key, named by its alias (kms_master_key_id = alias/odp-prod-alerts), which Trivy does not count as a key; SNS-001 and CKV_AWS_26 check it",
      },
    ],
  },
  // Stateless workloads idle at minimum scale; Elasticsearch keeps prod's shape to hold its data.
  workloads: {
    ...prod.workloads,
    airbyte: { serverReplicas: 1, webappReplicas: 1, workers: { min: 1, max: 10 } },
    superset: { webReplicas: 1, workerReplicas: 1 },
    dremio: { ...prod.workloads.dremio, executors: { ...prod.workloads.dremio.executors, count: 1 } },
  },
  network: { cidr: "10.30.0.0/16", azCount: 3, natGateways: "per-az", flowLogRetentionDays: 365 },
  cluster: {
    ...prod.cluster,
    nodeGroups: {
      general: {
        instanceTypes: ["r7i.2xlarge", "r6i.2xlarge"],
        capacityType: "ON_DEMAND",
        minSize: 2,
        desiredSize: 2,
        maxSize: 10,
        diskGiB: 100,
      },
    },
  },
};
