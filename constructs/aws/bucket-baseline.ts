// What every bucket of the platform has, whoever owns it (the lake, the state buckets): public
// access blocked, ownership enforced, default encryption, versioning, plain HTTP refused, and
// incomplete uploads and old versions expiring.
import type { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import type { S3Bucket } from "@cdktf/provider-aws/lib/s3-bucket";
import type { S3BucketLifecycleConfigurationRule } from "@cdktf/provider-aws/lib/s3-bucket-lifecycle-configuration";
import { S3BucketOwnershipControls } from "@cdktf/provider-aws/lib/s3-bucket-ownership-controls";
import { S3BucketPublicAccessBlock } from "@cdktf/provider-aws/lib/s3-bucket-public-access-block";
import { S3BucketServerSideEncryptionConfigurationA } from "@cdktf/provider-aws/lib/s3-bucket-server-side-encryption-configuration";
import { S3BucketVersioningA } from "@cdktf/provider-aws/lib/s3-bucket-versioning";
import type { Construct } from "constructs";
import type { PolicyStatement } from "../../lib/aws";

export interface BucketBaselineOptions {
  /** Construct ids are `<prefix>public-access`, `<prefix>ownership`, `<prefix>sse`, `<prefix>versioning`. */
  readonly idPrefix: string;
  /** SSE-KMS with this key, or SSE-S3 (AES256), which S3 and ALB log deliveries require. */
  readonly kmsKeyArn?: string;
  /** @default the scope's default AWS provider */
  readonly provider?: AwsProvider;
}

/** Blocks public access, enforces bucket ownership, encrypts by default and versions the bucket. */
export function bucketBaseline(
  scope: Construct,
  bucket: S3Bucket,
  options: BucketBaselineOptions,
): S3BucketVersioningA {
  const { idPrefix: prefix, provider } = options;
  new S3BucketPublicAccessBlock(scope, `${prefix}public-access`, {
    provider,
    bucket: bucket.id,
    blockPublicAcls: true,
    blockPublicPolicy: true,
    ignorePublicAcls: true,
    restrictPublicBuckets: true,
  });
  new S3BucketOwnershipControls(scope, `${prefix}ownership`, {
    provider,
    bucket: bucket.id,
    rule: { objectOwnership: "BucketOwnerEnforced" },
  });
  new S3BucketServerSideEncryptionConfigurationA(scope, `${prefix}sse`, {
    provider,
    bucket: bucket.id,
    rule: [
      options.kmsKeyArn
        ? {
            applyServerSideEncryptionByDefault: { sseAlgorithm: "aws:kms", kmsMasterKeyId: options.kmsKeyArn },
            bucketKeyEnabled: true,
          }
        : { applyServerSideEncryptionByDefault: { sseAlgorithm: "AES256" } },
    ],
  });
  return new S3BucketVersioningA(scope, `${prefix}versioning`, {
    provider,
    bucket: bucket.id,
    versioningConfiguration: { status: "Enabled" },
  });
}

/** The statement every bucket policy starts with: plain HTTP is refused. */
export function denyInsecureTransport(bucket: S3Bucket): PolicyStatement {
  return {
    Sid: "DenyInsecureTransport",
    Effect: "Deny",
    Principal: "*",
    Action: "s3:*",
    Resource: [bucket.arn, `${bucket.arn}/*`],
    Condition: { Bool: { "aws:SecureTransport": "false" } },
  };
}

/** The lifecycle rules every bucket starts with: incomplete uploads go after 7 days, old versions after `noncurrentDays`. */
export function baselineLifecycleRules(noncurrentDays: number): S3BucketLifecycleConfigurationRule[] {
  return [
    {
      id: "abort-incomplete-uploads",
      status: "Enabled",
      filter: [{ prefix: "" }],
      abortIncompleteMultipartUpload: [{ daysAfterInitiation: 7 }],
    },
    {
      id: "expire-noncurrent-versions",
      status: "Enabled",
      filter: [{ prefix: "" }],
      noncurrentVersionExpiration: [{ noncurrentDays }],
    },
  ];
}
