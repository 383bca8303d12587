import type { AwsEnvironmentInput } from "../schema";
import { prod } from "./prod";

// Standby of prod in a second region (RTO 1 h, RPO 15 min). Sizes mirror prod's where a
// failover needs them at once (database, lake); the cluster idles small until `failover: true`.
export const dr: AwsEnvironmentInput = {
  ...prod,
  name: "dr",
  tier: "standby",
  standbyOf: "prod",
  failover: false,
  aws: { ...prod.aws, region: "us-west-2" },
  backend: { ...prod.backend },
  network: { cidr: "10.30.0.0/16", azCount: 3, natGateways: "per-az", flowLogRetentionDays: 365 },
  cluster: {
    ...prod.cluster,
    nodeGroups: {
      general: { instanceTypes: ["m7i.2xlarge", "m6i.2xlarge"], capacityType: "ON_DEMAND", minSize: 2, desiredSize: 2, maxSize: 10, diskGiB: 100 },
    },
  },
};
