import { DataAwsKmsAlias } from "@cdktf/provider-aws/lib/data-aws-kms-alias";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { TerraformStack } from "cdktf";
import type { Construct } from "constructs";
import { lakeZones, type AwsEnvironment } from "../config/schema";
import { ReplicationAlarms } from "../constructs/aws/alarms";
import { platformBucketSuffix } from "../constructs/aws/data-lake";
import { LakeReplication, type ReplicatedBucket } from "../constructs/aws/lake-replication";
import { partitionOf } from "../lib/aws";
import { configureBackend, defaultTags } from "./backend";
import { names, snapshotBasePath } from "./naming";

/**
 * `<standby>-replication`: what a standby writes in its source's region, and nothing else — the
 * replication rules on the source's buckets, their IAM role and their alarms. It is a stack of its
 * own so that a failover, which applies only the standby's foundation, addons and apps, needs no
 * API of the source's region (docs/runbooks/). A promoted standby declares nothing here: applying
 * this stack once the source's region is back deletes the rules, which fences the promoted lake.
 */
export class ReplicationStack extends TerraformStack {
  constructor(scope: Construct, id: string, env: AwsEnvironment, source: AwsEnvironment) {
    super(scope, id);
    configureBackend(this, env, "replication");
    const region = env.aws.region;
    const partition = partitionOf(region);
    const naming = names(env);
    const sourceNaming = names(source);
    new AwsProvider(this, "aws", {
      region,
      allowedAccountIds: [env.aws.accountId],
      defaultTags: [{ tags: defaultTags(env) }],
    });
    const sourceProvider = new AwsProvider(this, "aws-source", {
      alias: "source",
      region: source.aws.region,
      allowedAccountIds: [source.aws.accountId],
      defaultTags: [{ tags: defaultTags(env) }],
    });
    if (env.failover) return;

    const bucketArn = (name: string) => `arn:${partition}:s3:::${name}`;
    const own = naming.lakeBucketPrefix(env.lake.bucketPrefix);
    const theirs = sourceNaming.lakeBucketPrefix(source.lake.bucketPrefix);
    // The lake's zones whole; of the platform bucket only the source's snapshot repository, never
    // its Dremio files: this cluster writes its own beside them (stacks/naming.ts).
    const buckets: Record<string, ReplicatedBucket> = {
      ...Object.fromEntries(
        lakeZones.map((zone) => [
          zone,
          {
            sourceName: sourceNaming.lakeBucket(source.lake.bucketPrefix, zone),
            destinationArn: bucketArn(naming.lakeBucket(env.lake.bucketPrefix, zone)),
          },
        ]),
      ),
      snapshots: {
        sourceName: `${theirs}-${platformBucketSuffix}`,
        destinationArn: bucketArn(`${own}-${platformBucketSuffix}`),
        prefix: `${snapshotBasePath(source)}/`,
      },
    };
    const sourceKey = new DataAwsKmsAlias(this, "source-s3-key", {
      provider: sourceProvider,
      name: sourceNaming.keyAlias("s3"),
    });
    const ownKey = new DataAwsKmsAlias(this, "s3-key", { name: naming.keyAlias("s3") });
    new LakeReplication(this, "replication", {
      roleName: `${naming.base}-lake-replication`,
      sourceProvider,
      sourceRegion: source.aws.region,
      sourceKmsKeyArn: sourceKey.targetKeyArn,
      destinationKmsKeyArn: ownKey.targetKeyArn,
      buckets,
    });
    // S3 replication metrics live in the source's region, and an alarm notifies a topic of its own region.
    new ReplicationAlarms(this, "alarms", {
      name: naming.base,
      provider: sourceProvider,
      topicKmsKeyAlias: sourceNaming.keyAlias("alerts"),
      rpoSeconds: 900,
      buckets: Object.entries(buckets).map(([key, bucket]) => ({
        sourceBucket: bucket.sourceName,
        destinationBucket: bucket.destinationArn.split(":::")[1]!,
        ruleId: `${key}-to-standby`,
      })),
    });
  }
}
