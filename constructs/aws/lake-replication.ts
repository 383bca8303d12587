import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { IamRolePolicy } from "@cdktf/provider-aws/lib/iam-role-policy";
import type { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { S3BucketReplicationConfigurationA } from "@cdktf/provider-aws/lib/s3-bucket-replication-configuration";
import { Construct } from "constructs";
import { partitionOf, policyDocument, serviceTrust } from "../../lib/aws";

export interface ReplicatedBucket {
  /** Name of the source bucket (in the source region). */
  readonly sourceName: string;
  /** ARN of the replica bucket. */
  readonly destinationArn: string;
  /** Replicate only keys under this prefix (S3 filters include; they cannot exclude).
   *  @default "" (the whole bucket) */
  readonly prefix?: string;
}

export interface LakeReplicationProps {
  readonly roleName: string;
  /** Provider for the source buckets' region. */
  readonly sourceProvider: AwsProvider;
  readonly sourceRegion: string;
  readonly sourceKmsKeyArn: string;
  readonly destinationKmsKeyArn: string;
  readonly buckets: Record<string, ReplicatedBucket>;
  /** Replication Time Control threshold: 15 minutes is the only value S3 offers. @default 15 */
  readonly rtcMinutes?: 15;
}

/** Cross-region replication of source buckets into replica buckets, with Replication Time
 *  Control (99.99% of objects within 15 minutes) and its metrics, by a least-privilege role. */
export class LakeReplication extends Construct {
  readonly role: IamRole;

  constructor(scope: Construct, id: string, props: LakeReplicationProps) {
    super(scope, id);
    const minutes = props.rtcMinutes ?? 15;
    const entries = Object.entries(props.buckets);
    const sourceArns = entries.map(([, bucket]) => `arn:${partitionOf(props.sourceRegion)}:s3:::${bucket.sourceName}`);
    const destArns = entries.map(([, bucket]) => bucket.destinationArn);

    this.role = new IamRole(this, "role", { name: props.roleName, assumeRolePolicy: serviceTrust("s3.amazonaws.com") });
    new IamRolePolicy(this, "policy", {
      role: this.role.id,
      policy: policyDocument([
        {
          Sid: "ReadSourceConfig",
          Effect: "Allow",
          Action: ["s3:GetReplicationConfiguration", "s3:ListBucket"],
          Resource: sourceArns,
        },
        {
          Sid: "ReadSourceVersions",
          Effect: "Allow",
          Action: [
            "s3:GetObjectVersionForReplication",
            "s3:GetObjectVersionAcl",
            "s3:GetObjectVersionTagging",
            "s3:GetObjectRetention",
            "s3:GetObjectLegalHold",
          ],
          Resource: entries.map(([, bucket], i) => `${sourceArns[i]}/${bucket.prefix ?? ""}*`),
        },
        {
          Sid: "WriteReplicas",
          Effect: "Allow",
          Action: [
            "s3:ReplicateObject",
            "s3:ReplicateDelete",
            "s3:ReplicateTags",
            "s3:ObjectOwnerOverrideToBucketOwner",
          ],
          Resource: entries.map(([, bucket], i) => `${destArns[i]}/${bucket.prefix ?? ""}*`),
        },
        {
          Sid: "DecryptSource",
          Effect: "Allow",
          Action: "kms:Decrypt",
          Resource: props.sourceKmsKeyArn,
          Condition: { StringEquals: { "kms:ViaService": `s3.${props.sourceRegion}.amazonaws.com` } },
        },
        {
          Sid: "EncryptReplicas",
          Effect: "Allow",
          Action: ["kms:Encrypt", "kms:GenerateDataKey"],
          Resource: props.destinationKmsKeyArn,
        },
      ]),
    });

    for (const [zone, bucket] of entries) {
      new S3BucketReplicationConfigurationA(this, zone, {
        provider: props.sourceProvider,
        bucket: bucket.sourceName,
        role: this.role.arn,
        rule: [
          {
            id: `${zone}-to-standby`,
            status: "Enabled",
            priority: 1,
            filter: { prefix: bucket.prefix ?? "" },
            deleteMarkerReplication: { status: "Enabled" },
            sourceSelectionCriteria: { sseKmsEncryptedObjects: { status: "Enabled" } },
            destination: {
              bucket: bucket.destinationArn,
              storageClass: "STANDARD",
              encryptionConfiguration: { replicaKmsKeyId: props.destinationKmsKeyArn },
              replicationTime: { status: "Enabled", time: { minutes } },
              metrics: { status: "Enabled", eventThreshold: { minutes } },
            },
          },
        ],
      });
    }
  }
}
