import { describe, expect, it } from "vitest";
import { DataLake, type DataLakeProps } from "../../constructs/aws/data-lake";
import { resourceMap, resources, synthConstruct, type Synthesized } from "../helpers";

const base: DataLakeProps = {
  bucketPrefix: "test-lake",
  accountId: "111111111111",
  zones: {
    raw: { glacierAfterDays: 90, objectLock: { mode: "GOVERNANCE", days: 30 } },
    curated: {},
  },
  kmsKeyArn: "arn:aws:kms:eu-west-1:111111111111:key/s3",
  noncurrentVersionExpiryDays: 60,
  accessLogRetentionDays: 365,
  airbyte: { logRetentionDays: 14 },
  preventDestroy: true,
  region: "eu-west-1",
};
const synth = (props: Partial<DataLakeProps> = {}) =>
  synthConstruct((scope) => new DataLake(scope, "lake", { ...base, ...props }));
const bucketRef = (name: string, attr = "id") => `\${aws_s3_bucket.lake_${name}.${attr}}`;
/** The single resource of `type` whose `bucket` is the given lake bucket. */
const forBucket = (stack: Synthesized, type: string, name: string) => {
  const all = resources(stack, type).filter((resource) => resource.bucket === bucketRef(name));
  if (all.length !== 1) throw new Error(`expected one ${type} for ${name}, found ${all.length}`);
  return all[0]!;
};
const allBuckets = ["raw", "curated", "logs", "airbyte", "platform"];

describe("DataLake", () => {
  const stack = synth();
  const buckets = resourceMap(stack, "aws_s3_bucket");

  it("creates a bucket per zone plus the access-log bucket at pinned addresses", () => {
    expect(Object.keys(buckets).sort()).toEqual([
      "lake_airbyte",
      "lake_curated",
      "lake_logs",
      "lake_platform",
      "lake_raw",
    ]);
    expect(buckets["lake_airbyte"]!.bucket).toBe("test-lake-airbyte");
    expect(buckets["lake_platform"]!.bucket).toBe("test-lake-platform");
    expect(buckets["lake_raw"]!.bucket).toBe("test-lake-raw");
    expect(buckets["lake_curated"]!.bucket).toBe("test-lake-curated");
    expect(buckets["lake_logs"]!.bucket).toBe("test-lake-access-logs");
  });

  it("never force-destroys a bucket", () => {
    for (const bucket of Object.values(buckets)) expect(bucket.force_destroy).toBe(false);
  });

  it("blocks all public access on every bucket", () => {
    for (const name of allBuckets) {
      expect(forBucket(stack, "aws_s3_bucket_public_access_block", name)).toMatchObject({
        block_public_acls: true,
        block_public_policy: true,
        ignore_public_acls: true,
        restrict_public_buckets: true,
      });
    }
  });

  it("disables ACLs (BucketOwnerEnforced) on every bucket", () => {
    for (const name of allBuckets) {
      expect(forBucket(stack, "aws_s3_bucket_ownership_controls", name).rule).toEqual({
        object_ownership: "BucketOwnerEnforced",
      });
    }
  });

  it("encrypts zone buckets with the KMS key and a bucket key, the log bucket with SSE-S3", () => {
    for (const name of ["raw", "curated"]) {
      expect(forBucket(stack, "aws_s3_bucket_server_side_encryption_configuration", name).rule).toEqual([
        {
          apply_server_side_encryption_by_default: { sse_algorithm: "aws:kms", kms_master_key_id: base.kmsKeyArn },
          bucket_key_enabled: true,
        },
      ]);
    }
    expect(forBucket(stack, "aws_s3_bucket_server_side_encryption_configuration", "logs").rule).toEqual([
      { apply_server_side_encryption_by_default: { sse_algorithm: "AES256" } },
    ]);
  });

  it("enables versioning on every bucket", () => {
    for (const name of allBuckets) {
      expect(forBucket(stack, "aws_s3_bucket_versioning", name).versioning_configuration).toEqual({
        status: "Enabled",
      });
    }
  });

  it("denies insecure transport on every bucket and its objects", () => {
    for (const name of allBuckets) {
      const policy = JSON.parse(forBucket(stack, "aws_s3_bucket_policy", name).policy);
      const deny = policy.Statement.find((st: Record<string, any>) => st.Effect === "Deny");
      expect(deny).toMatchObject({
        Principal: "*",
        Action: "s3:*",
        Condition: { Bool: { "aws:SecureTransport": "false" } },
      });
      expect(deny.Resource).toEqual([bucketRef(name, "arn"), `${bucketRef(name, "arn")}/*`]);
    }
  });

  it("lets only S3 logging of this account and ELB log delivery write into the log bucket", () => {
    const policy = JSON.parse(forBucket(stack, "aws_s3_bucket_policy", "logs").policy);
    const allow = policy.Statement.filter((st: Record<string, any>) => st.Effect === "Allow");
    expect(allow).toHaveLength(2);
    // eu-west-1 predates August 2022: logs arrive from the regional ELB account.
    expect(allow[1]).toMatchObject({
      Sid: "LoadBalancerAccessLogs",
      Principal: { AWS: "arn:aws:iam::156460612806:root" },
      Action: "s3:PutObject",
      Resource: `${bucketRef("logs", "arn")}/alb/AWSLogs/111111111111/*`,
    });
    expect(allow[0]).toMatchObject({
      Principal: { Service: "logging.s3.amazonaws.com" },
      Action: "s3:PutObject",
      Resource: `${bucketRef("logs", "arn")}/*`,
      Condition: { StringEquals: { "aws:SourceAccount": "111111111111" } },
    });
    for (const name of ["raw", "curated"]) {
      expect(
        JSON.parse(forBucket(stack, "aws_s3_bucket_policy", name).policy).Statement.filter(
          (st: Record<string, any>) => st.Effect === "Allow",
        ),
      ).toEqual([]);
    }
  });

  it("aborts incomplete multipart uploads after 7 days and expires noncurrent versions everywhere", () => {
    for (const name of allBuckets) {
      const rules = forBucket(stack, "aws_s3_bucket_lifecycle_configuration", name).rule as Record<string, any>[];
      const abort = rules.find((rule) => rule.id === "abort-incomplete-uploads")!;
      expect(abort.status).toBe("Enabled");
      expect(abort.abort_incomplete_multipart_upload).toEqual([{ days_after_initiation: 7 }]);
      const noncurrent = rules.find((rule) => rule.id === "expire-noncurrent-versions")!;
      expect(noncurrent.status).toBe("Enabled");
      expect(noncurrent.noncurrent_version_expiration).toEqual([{ noncurrent_days: 60 }]);
    }
  });

  it("transitions to Glacier only where configured", () => {
    const rawRules = forBucket(stack, "aws_s3_bucket_lifecycle_configuration", "raw").rule as Record<string, any>[];
    expect(rawRules.find((rule) => rule.id === "to-glacier")!.transition).toEqual([
      { days: 90, storage_class: "GLACIER" },
    ]);
    for (const name of ["curated", "logs", "airbyte"]) {
      const rules = forBucket(stack, "aws_s3_bucket_lifecycle_configuration", name).rule as Record<string, any>[];
      expect(rules.some((rule) => rule.transition !== undefined)).toBe(false);
    }
  });

  it("gives Airbyte its own bucket, never in Glacier, whose job logs expire after the configured days", () => {
    const rules = forBucket(stack, "aws_s3_bucket_lifecycle_configuration", "airbyte").rule as Record<string, any>[];
    expect(rules.find((rule) => rule.id === "expire-job-logs")).toMatchObject({
      filter: [{ prefix: "job-logging/" }],
      expiration: [{ days: 14 }],
    });
    expect(
      forBucket(stack, "aws_s3_bucket_server_side_encryption_configuration", "airbyte").rule[0]
        .apply_server_side_encryption_by_default.sse_algorithm,
    ).toBe("aws:kms");
  });

  it("expires access logs after the retention", () => {
    const rules = forBucket(stack, "aws_s3_bucket_lifecycle_configuration", "logs").rule as Record<string, any>[];
    expect(rules.find((rule) => rule.id === "expire-logs")!.expiration).toEqual([{ days: 365 }]);
  });

  it("logs every zone bucket into the log bucket under the zone's prefix, but not the log bucket itself", () => {
    const logging = resources(stack, "aws_s3_bucket_logging");
    expect(logging).toHaveLength(4);
    for (const name of ["raw", "curated", "airbyte", "platform"]) {
      const bucketLogging = forBucket(stack, "aws_s3_bucket_logging", name);
      expect(bucketLogging.target_bucket).toBe(bucketRef("logs"));
      expect(bucketLogging.target_prefix).toBe(`${name}/`);
    }
  });

  it("enables object lock only where configured", () => {
    expect(buckets["lake_raw"]!.object_lock_enabled).toBe(true);
    expect(buckets["lake_curated"]!.object_lock_enabled).toBeUndefined();
    expect(buckets["lake_logs"]!.object_lock_enabled).toBeUndefined();
    const locks = resources(stack, "aws_s3_bucket_object_lock_configuration");
    expect(locks).toHaveLength(1);
    expect(locks[0]!.bucket).toBe(bucketRef("raw"));
    expect(locks[0]!.rule).toEqual({ default_retention: { mode: "GOVERNANCE", days: 30 } });
  });

  it("follows preventDestroy", () => {
    for (const bucket of Object.values(buckets)) expect(bucket.lifecycle?.prevent_destroy).toBe(true);
    for (const bucket of resources(synth({ preventDestroy: false }), "aws_s3_bucket"))
      expect(bucket.lifecycle?.prevent_destroy).toBeUndefined();
  });

  it("drops Glacier and object lock when no zone asks for them", () => {
    const plain = synth({ zones: { raw: {} } });
    expect(resources(plain, "aws_s3_bucket_object_lock_configuration")).toEqual([]);
    expect(resourceMap(plain, "aws_s3_bucket")["lake_raw"]!.object_lock_enabled).toBeUndefined();
    expect(JSON.stringify(resources(plain, "aws_s3_bucket_lifecycle_configuration"))).not.toContain("GLACIER");
  });

  it("refuses a zone named like the log bucket instead of clobbering it", () => {
    expect(() => synth({ zones: { logs: {} } })).toThrow(/logs/);
  });
});
