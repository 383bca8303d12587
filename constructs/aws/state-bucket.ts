import { KmsAlias } from "@cdktf/provider-aws/lib/kms-alias";
import { KmsKey } from "@cdktf/provider-aws/lib/kms-key";
import type { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { S3Bucket } from "@cdktf/provider-aws/lib/s3-bucket";
import { S3BucketLifecycleConfiguration } from "@cdktf/provider-aws/lib/s3-bucket-lifecycle-configuration";
import { S3BucketPolicy } from "@cdktf/provider-aws/lib/s3-bucket-policy";
import { Construct } from "constructs";
import { baselineLifecycleRules, bucketBaseline, denyInsecureTransport } from "./bucket-baseline";
import { policyDocument } from "../../lib/aws";
import { stateful } from "../../lib/protect";

export interface StateBucketProps {
  readonly bucket: string;
  /** Provider for the bucket's region. */
  readonly provider: AwsProvider;
  /** Old state versions are kept this long (a state rolled back by hand needs one). */
  readonly noncurrentVersionDays: number;
}

/** A Terraform state bucket: private, versioned, encrypted with its own rotating KMS key, TLS
 *  only, never destroyed by Terraform. Locking is S3's own lock file (backend use_lockfile). */
export class StateBucket extends Construct {
  readonly bucket: S3Bucket;
  readonly key: KmsKey;

  constructor(scope: Construct, id: string, props: StateBucketProps) {
    super(scope, id);
    const provider = props.provider;
    this.key = stateful(
      new KmsKey(this, "key", {
        provider,
        description: `Terraform state in ${props.bucket}`,
        enableKeyRotation: true,
        deletionWindowInDays: 30,
      }),
      `${id}_key`,
      true,
    );
    new KmsAlias(this, "alias", { provider, name: `alias/${props.bucket}`, targetKeyId: this.key.keyId });
    this.bucket = stateful(
      new S3Bucket(this, "bucket", { provider, bucket: props.bucket, forceDestroy: false }),
      `${id}_bucket`,
      true,
    );
    bucketBaseline(this, this.bucket, { idPrefix: "", kmsKeyArn: this.key.arn, provider });
    const bucket = this.bucket.id;
    new S3BucketLifecycleConfiguration(this, "lifecycle", {
      provider,
      bucket,
      rule: baselineLifecycleRules(props.noncurrentVersionDays),
    });
    new S3BucketPolicy(this, "policy", {
      provider,
      bucket,
      policy: policyDocument([denyInsecureTransport(this.bucket)]),
    });
  }
}
