import { S3Bucket } from "@cdktf/provider-aws/lib/s3-bucket";
import {
  S3BucketLifecycleConfiguration,
  type S3BucketLifecycleConfigurationRule,
} from "@cdktf/provider-aws/lib/s3-bucket-lifecycle-configuration";
import { S3BucketLoggingA } from "@cdktf/provider-aws/lib/s3-bucket-logging";
import { S3BucketObjectLockConfigurationA } from "@cdktf/provider-aws/lib/s3-bucket-object-lock-configuration";
import { S3BucketPolicy } from "@cdktf/provider-aws/lib/s3-bucket-policy";
import { Construct } from "constructs";
import { baselineLifecycleRules, bucketBaseline, denyInsecureTransport } from "./bucket-baseline";
import { elbLogPrincipal, policyDocument, type PolicyStatement } from "../../lib/aws";
import { stateful } from "../../lib/protect";

export interface LakeZoneSpec {
  /** Move current objects to Glacier Flexible Retrieval after this many days. */
  readonly glacierAfterDays?: number;
  readonly objectLock?: { readonly mode: "GOVERNANCE" | "COMPLIANCE"; readonly days: number };
}

export interface DataLakeProps {
  /** Bucket names are `<bucketPrefix>-<zone>` and `<bucketPrefix>-access-logs`. */
  readonly bucketPrefix: string;
  readonly accountId: string;
  readonly zones: Record<string, LakeZoneSpec>;
  readonly kmsKeyArn: string;
  readonly noncurrentVersionExpiryDays: number;
  readonly accessLogRetentionDays: number;
  readonly preventDestroy: boolean;
  /** Region of the buckets: chooses who delivers load balancer access logs. */
  readonly region: string;
  /** Airbyte's own bucket, `<bucketPrefix>-airbyte`: its job logs expire, nothing goes to Glacier. */
  readonly airbyte: { readonly logRetentionDays: number };
}

/** Suffix of Airbyte's bucket name (`<bucketPrefix>-airbyte`). */
export const airbyteBucketSuffix = "airbyte";
/** Where Airbyte 2 writes its job logs in its bucket (global.storage.bucket.log, under this prefix). */
export const airbyteLogPrefix = "job-logging/";

/** Suffix of the bucket for the platform's own working files (`<bucketPrefix>-platform`): Dremio's
 *  distributed storage and Elasticsearch's snapshots. Kept out of the lake's zones, whose whole
 *  contents a standby replicates: one cluster's working files must never land on another's. */
export const platformBucketSuffix = "platform";

/** Prefix of load balancer access logs in the log bucket. */
export const loadBalancerLogPrefix = "alb";

/** A private, versioned, KMS-encrypted bucket per lake zone, plus their access-log bucket. */
export class DataLake extends Construct {
  readonly buckets: Record<string, S3Bucket> = {};
  readonly logBucket: S3Bucket;
  readonly airbyteBucket: S3Bucket;
  readonly platformBucket: S3Bucket;

  constructor(scope: Construct, id: string, props: DataLakeProps) {
    super(scope, id);

    // Server access logs cannot be written with SSE-KMS: the log bucket uses SSE-S3.
    this.logBucket = this.bucket("logs", `${props.bucketPrefix}-access-logs`, props, { sse: "AES256" });
    this.policy("logs", this.logBucket, [
      {
        Sid: "S3ServerAccessLogs",
        Effect: "Allow",
        Principal: { Service: "logging.s3.amazonaws.com" },
        Action: "s3:PutObject",
        Resource: `${this.logBucket.arn}/*`,
        Condition: { StringEquals: { "aws:SourceAccount": props.accountId } },
      },
      {
        Sid: "LoadBalancerAccessLogs",
        Effect: "Allow",
        Principal: elbLogPrincipal(props.region),
        Action: "s3:PutObject",
        Resource: `${this.logBucket.arn}/${loadBalancerLogPrefix}/AWSLogs/${props.accountId}/*`,
      },
    ]);
    this.lifecycle("logs", this.logBucket, props, [
      {
        id: "expire-logs",
        status: "Enabled",
        filter: [{ prefix: "" }],
        expiration: [{ days: props.accessLogRetentionDays }],
      },
    ]);

    for (const [zone, spec] of Object.entries(props.zones)) {
      const bucket = this.bucket(zone, `${props.bucketPrefix}-${zone}`, props, {
        sse: "aws:kms",
        objectLock: spec.objectLock !== undefined,
      });
      this.policy(zone, bucket, []);
      if (spec.objectLock) {
        new S3BucketObjectLockConfigurationA(this, `${zone}-lock`, {
          bucket: bucket.id,
          rule: { defaultRetention: { mode: spec.objectLock.mode, days: spec.objectLock.days } },
        });
      }
      this.lifecycle(zone, bucket, props, [
        ...(spec.glacierAfterDays
          ? [
              {
                id: "to-glacier",
                status: "Enabled",
                filter: [{ prefix: "" }],
                transition: [{ days: spec.glacierAfterDays, storageClass: "GLACIER" }],
              },
            ]
          : []),
      ]);
      new S3BucketLoggingA(this, `${zone}-logging`, {
        bucket: bucket.id,
        targetBucket: this.logBucket.id,
        targetPrefix: `${zone}/`,
      });
      this.buckets[zone] = bucket;
    }

    // Airbyte reads its logs, state and payloads back: a Glacier transition would break it.
    this.airbyteBucket = this.bucket(airbyteBucketSuffix, `${props.bucketPrefix}-${airbyteBucketSuffix}`, props, {
      sse: "aws:kms",
    });
    this.policy(airbyteBucketSuffix, this.airbyteBucket, []);
    this.lifecycle(airbyteBucketSuffix, this.airbyteBucket, props, [
      {
        id: "expire-job-logs",
        status: "Enabled",
        filter: [{ prefix: airbyteLogPrefix }],
        expiration: [{ days: props.airbyte.logRetentionDays }],
      },
    ]);
    new S3BucketLoggingA(this, `${airbyteBucketSuffix}-logging`, {
      bucket: this.airbyteBucket.id,
      targetBucket: this.logBucket.id,
      targetPrefix: `${airbyteBucketSuffix}/`,
    });

    // Dremio and Elasticsearch read their files back at any age: no Glacier transition either.
    this.platformBucket = this.bucket(platformBucketSuffix, `${props.bucketPrefix}-${platformBucketSuffix}`, props, {
      sse: "aws:kms",
    });
    this.policy(platformBucketSuffix, this.platformBucket, []);
    this.lifecycle(platformBucketSuffix, this.platformBucket, props, []);
    new S3BucketLoggingA(this, `${platformBucketSuffix}-logging`, {
      bucket: this.platformBucket.id,
      targetBucket: this.logBucket.id,
      targetPrefix: `${platformBucketSuffix}/`,
    });
  }

  private bucket(
    name: string,
    bucketName: string,
    props: DataLakeProps,
    opts: { sse: "AES256" | "aws:kms"; objectLock?: boolean },
  ): S3Bucket {
    const bucket = stateful(
      new S3Bucket(this, name, {
        bucket: bucketName,
        forceDestroy: false,
        objectLockEnabled: opts.objectLock || undefined,
      }),
      `lake_${name}`,
      props.preventDestroy,
    );
    bucketBaseline(this, bucket, {
      idPrefix: `${name}-`,
      kmsKeyArn: opts.sse === "aws:kms" ? props.kmsKeyArn : undefined,
    });
    return bucket;
  }

  /** Every bucket refuses plain HTTP; callers add their own statements. */
  private policy(name: string, bucket: S3Bucket, extra: PolicyStatement[]): void {
    new S3BucketPolicy(this, `${name}-policy`, {
      bucket: bucket.id,
      policy: policyDocument([denyInsecureTransport(bucket), ...extra]),
    });
  }

  private lifecycle(
    name: string,
    bucket: S3Bucket,
    props: DataLakeProps,
    rules: S3BucketLifecycleConfigurationRule[],
  ): void {
    new S3BucketLifecycleConfiguration(this, `${name}-lifecycle`, {
      bucket: bucket.id,
      rule: [...baselineLifecycleRules(props.noncurrentVersionExpiryDays), ...rules],
    });
  }
}
