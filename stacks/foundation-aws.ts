// The Foundation contract as the AWS foundation stack provides it: names from configuration,
// values from data sources looked up by those names (never tokens passed between stacks).
import { airbyteBucketSuffix, platformBucketSuffix } from "../constructs/aws/data-lake";
import { statelessNodes } from "../constructs/k8s/platform/karpenter-node-pools";
import { DataAwsAcmCertificate } from "@cdktf/provider-aws/lib/data-aws-acm-certificate";
import { DataAwsDbInstance } from "@cdktf/provider-aws/lib/data-aws-db-instance";
import type { Construct } from "constructs";
import { lakeZones, type AwsEnvironment } from "../config/schema";
import { appDatabases, generatedSecrets, sharedWithStandby, type Foundation } from "../constructs/platform/contract";
import { podIdentityAgent } from "../constructs/k8s/workloads/dremio-config";
import { partitionOf } from "../lib/aws";
import { subnetLayout } from "../lib/subnet-layout";
import { names, snapshotBasePath } from "./naming";
import { podIdentityNamespaces } from "./service-accounts";

export function awsFoundation(scope: Construct, env: AwsEnvironment): Foundation {
  const naming = names(env);
  const region = env.aws.region;
  const layout = subnetLayout(env.network.cidr, env.network.azCount);
  const db = new DataAwsDbInstance(scope, "postgres", { dbInstanceIdentifier: naming.database });
  // A standby's database is a read-only replica until failover: nothing may create roles in it.
  const writable = env.standbyOf === undefined || env.failover;
  const masterSecret = writable ? db.masterUserSecret.get(0).secretArn : undefined;
  const cert = new DataAwsAcmCertificate(scope, "certificate", {
    domain: env.domain,
    statuses: ["ISSUED"],
    mostRecent: true,
  });
  // Built from its name, not looked up: IAM's control plane (us-east-1) must not be needed to plan
  // this environment's Kubernetes stacks, a standby's included while that region is down.
  const snapshotRoleArn = `arn:${partitionOf(region)}:iam::${env.aws.accountId}:role/${naming.base}-es-snapshots`;
  const bucket = (zone: (typeof lakeZones)[number]) => naming.lakeBucket(env.lake.bucketPrefix, zone);
  return {
    cluster: { kind: "eks", clusterName: naming.cluster, region },
    domain: env.domain,
    postgres: {
      host: db.address,
      primaryHost: db.address,
      port: 5432,
      admin: masterSecret
        ? {
            username: { key: masterSecret, property: "username" },
            password: { key: masterSecret, property: "password" },
          }
        : undefined,
      appSecretKeys: Object.fromEntries(
        appDatabases.map((app) => [app, `${naming.secretPrefix}/postgres-${app}`]),
      ) as Foundation["postgres"]["appSecretKeys"],
      network: { kind: "cidrs", cidrs: layout.database, ports: [5432] },
    },
    objectStore: {
      endpoint: `https://s3.${region}.amazonaws.com`,
      region,
      buckets: Object.fromEntries(
        lakeZones.map((zone) => [zone, bucket(zone)]),
      ) as Foundation["objectStore"]["buckets"],
      airbyteBucket: `${naming.lakeBucketPrefix(env.lake.bucketPrefix)}-${airbyteBucketSuffix}`,
      platformBucket: `${naming.lakeBucketPrefix(env.lake.bucketPrefix)}-${platformBucketSuffix}`,
      pathStyle: false,
      access: { kind: "serviceAccountRole" },
      network: { kind: "cidrs", cidrs: ["0.0.0.0/0"], ports: [443] },
    },
    secretStore: { kind: "aws-secrets-manager", region },
    // A standby reads the secrets it shares with its source from their replicas in its region.
    secretKeys: Object.fromEntries(
      generatedSecrets.map((secret) => [
        secret,
        env.standbyOf && sharedWithStandby.includes(secret)
          ? `${names({ name: env.standbyOf }).secretPrefix}/${secret}`
          : `${naming.secretPrefix}/${secret}`,
      ]),
    ) as Foundation["secretKeys"],
    tls: {
      kind: "alb",
      certificateArn: cert.arn,
      accessLogBucket: `${naming.lakeBucketPrefix(env.lake.bucketPrefix)}-access-logs`,
      deletionProtection: env.protection.deletionProtection,
    },
    // The shared ALB sits in the public subnets and sends traffic straight to pod IPs.
    ingressSource: { kind: "cidrs", cidrs: layout.public, ports: [] },
    // EKS control-plane ENIs live in the VPC: API calls and webhook calls cross it.
    apiServer: { kind: "cidrs", cidrs: [env.network.cidr], ports: [443] },
    // The EKS Pod Identity agent, for every namespace with an associated service account. The VPC
    // and EKS cluster are IPv4-only (no IPv6 CIDR, ip_family ipv4): the agent's IPv6 address
    // fd00:ec2::23 is never used, so only its IPv4 one is allowed.
    podCredentials: {
      agent: { kind: "cidrs", cidrs: [`${podIdentityAgent.ip}/32`], ports: [podIdentityAgent.port] },
      namespaces: podIdentityNamespaces,
    },
    storage: {
      provisioner: "ebs.csi.aws.com",
      fastParameters: { type: "gp3", iops: "3000", throughput: "125", encrypted: "true" },
      standardParameters: { type: "gp3", encrypted: "true" },
      defaultClass: "platform",
    },
    snapshots: {
      bucket: `${naming.lakeBucketPrefix(env.lake.bucketPrefix)}-${platformBucketSuffix}`,
      basePath: snapshotBasePath(env),
      roleArn: snapshotRoleArn,
      region,
      // A standby's source replicates its snapshots here: restorable after a failover, never written.
      ...(env.standbyOf
        ? { readOnly: { [`${env.standbyOf}-snapshots`]: snapshotBasePath({ name: env.standbyOf }) } }
        : {}),
    },
    zoneSpread: env.network.azCount > 1,
    interruptible: statelessNodes,
    protect: env.isProtected,
  };
}
