// S3: public access block, KMS encryption, versioning, TLS-only bucket policy, and per bucket:
// lifecycle rules, server access logging, replication (the last three look across the stack).
import { protectedTiers } from "../../config/schema";
import {
  allTiers,
  asArray,
  block,
  blocks,
  isTrue,
  parseJson,
  type PolicyContext,
  type PolicyResource,
  type PolicyRule,
} from "../rule";
import { refersTo } from "./refs";

const publicAccessFlags = [
  "block_public_acls",
  "block_public_policy",
  "ignore_public_acls",
  "restrict_public_buckets",
] as const;

/** Server access logs cannot be delivered to SSE-KMS buckets: `*-access-logs` buckets use SSE-S3. */
function isAccessLogBucket(name: unknown): boolean {
  return typeof name === "string" && name.endsWith("-access-logs");
}

/** The ways a bucket may be named in another resource: its name or its ARN in any partition. */
function bucketSpellings(bucket: PolicyResource): string[] {
  const name = bucket.attrs.bucket;
  return typeof name === "string"
    ? [name, ...["aws", "aws-us-gov", "aws-cn"].map((partition) => `arn:${partition}:s3:::${name}`)]
    : [];
}

const refersToBucket = (ctx: PolicyContext, value: unknown, bucket: PolicyResource) =>
  refersTo(ctx, value, bucket, bucketSpellings(bucket));

/** Access-log buckets: named `*-access-logs`, or the target of some bucket's logging. */
function isLogTarget(bucket: PolicyResource, ctx: PolicyContext): boolean {
  return (
    isAccessLogBucket(bucket.attrs.bucket) ||
    ctx.ofType("aws_s3_bucket_logging").some((logging) => refersToBucket(ctx, logging.attrs.target_bucket, bucket))
  );
}

const enabledRules = (rules: unknown) =>
  blocks(rules).filter((rule) => rule.status === "Enabled" || isTrue(rule.enabled));

export const s3Rules: PolicyRule[] = [
  {
    id: "S3-001",
    title: "Bucket public access fully blocked",
    message: "set block_public_acls, block_public_policy, ignore_public_acls and restrict_public_buckets to true",
    fix: { code: [] },
    errorTiers: allTiers,
    resourceTypes: ["aws_s3_bucket_public_access_block"],
    check: ({ attrs }) => {
      const off = publicAccessFlags.filter((flag) => !isTrue(attrs[flag]));
      return off.length ? `not true: ${off.join(", ")}` : undefined;
    },
  },
  {
    id: "S3-002",
    title: "Bucket encrypted with KMS",
    message: "use sse_algorithm aws:kms with a customer key (only *-access-logs buckets may use AES256)",
    fix: { code: [] },
    errorTiers: allTiers,
    resourceTypes: ["aws_s3_bucket_server_side_encryption_configuration"],
    check: ({ attrs }, ctx) => {
      const algos = blocks(attrs.rule).map(
        (rule) => block(rule.apply_server_side_encryption_by_default)?.sse_algorithm,
      );
      if (algos.length && algos.every((algorithm) => algorithm === "aws:kms" || algorithm === "aws:kms:dsse"))
        return undefined;
      const bucket = ctx.referenced(attrs.bucket)?.attrs.bucket ?? attrs.bucket;
      if (isAccessLogBucket(bucket) && algos.every((algorithm) => algorithm === "AES256")) return undefined;
      return `sse_algorithm is ${algos.join(", ") || "unset"}`;
    },
  },
  {
    id: "S3-003",
    title: "Bucket versioning enabled",
    message: "set versioning_configuration.status to Enabled",
    fix: { code: [] },
    errorTiers: protectedTiers,
    resourceTypes: ["aws_s3_bucket_versioning"],
    check: ({ attrs }) => {
      const status = block(attrs.versioning_configuration)?.status;
      return status === "Enabled" ? undefined : `status is ${status ?? "unset"}`;
    },
  },
  {
    id: "S3-004",
    title: "Bucket policy denies plain HTTP",
    message: 'add a Deny statement for all principals with Condition Bool "aws:SecureTransport": "false"',
    fix: { code: [] },
    errorTiers: allTiers,
    resourceTypes: ["aws_s3_bucket_policy"],
    check: ({ attrs }) => {
      const doc = parseJson(attrs.policy);
      if (!doc) return "policy is not literal JSON: cannot verify";
      const denies = asArray<any>(doc.Statement).some((statement) => {
        if (statement?.Effect !== "Deny") return false;
        const secureTransport = statement.Condition?.Bool?.["aws:SecureTransport"];
        return (
          secureTransport === false ||
          secureTransport === "false" ||
          (Array.isArray(secureTransport) && secureTransport.some((value) => value === false || value === "false"))
        );
      });
      return denies ? undefined : "no Deny statement on aws:SecureTransport false";
    },
  },
  {
    id: "S3-005",
    title: "Bucket lifecycle rules",
    message:
      "add an aws_s3_bucket_lifecycle_configuration for the bucket with at least one enabled rule (expire noncurrent versions, abort incomplete uploads)",
    fix: { code: [] },
    errorTiers: protectedTiers,
    resourceTypes: ["aws_s3_bucket"],
    check: (bucket, ctx) => {
      if (enabledRules(bucket.attrs.lifecycle_rule).length) return undefined;
      const configs = ctx
        .ofType("aws_s3_bucket_lifecycle_configuration")
        .filter((logging) => refersToBucket(ctx, logging.attrs.bucket, bucket));
      if (configs.length === 0) return "no aws_s3_bucket_lifecycle_configuration for this bucket in the stack";
      return configs.some((config) => enabledRules(config.attrs.rule).length)
        ? undefined
        : "its lifecycle configuration has no enabled rule";
    },
  },
  {
    id: "S3-006",
    title: "Bucket server access logging",
    message: "add an aws_s3_bucket_logging sending the bucket's access logs to the access-log bucket",
    fix: { code: [] },
    errorTiers: allTiers,
    resourceTypes: ["aws_s3_bucket"],
    check: (bucket, ctx) => {
      // A log bucket logging into itself (or another log bucket) would log its own deliveries.
      if (isLogTarget(bucket, ctx) || block(bucket.attrs.logging)?.target_bucket) return undefined;
      return ctx.ofType("aws_s3_bucket_logging").some((logging) => refersToBucket(ctx, logging.attrs.bucket, bucket))
        ? undefined
        : "no aws_s3_bucket_logging for this bucket in the stack";
    },
  },
  {
    id: "S3-007",
    title: "Lake buckets replicated",
    message:
      "make the bucket a source or a destination of an enabled aws_s3_bucket_replication_configuration (a standby's foundation replicates its source's lake into its own buckets)",
    fix: {
      config: ["standbyOf"],
      of: "a standby environment that mirrors this one",
      code: ["constructs/aws/lake-replication.ts"],
    },
    errorTiers: protectedTiers,
    resourceTypes: ["aws_s3_bucket"],
    check: (bucket, ctx) => {
      if (isLogTarget(bucket, ctx)) return undefined;
      const replicated = ctx.ofType("aws_s3_bucket_replication_configuration").some((rc) => {
        const rules = enabledRules(rc.attrs.rule);
        if (rules.length === 0) return false;
        return (
          refersToBucket(ctx, rc.attrs.bucket, bucket) ||
          rules.some((rule) => refersToBucket(ctx, block(rule.destination)?.bucket, bucket))
        );
      });
      return replicated ? undefined : "neither source nor destination of an enabled replication rule in this stack";
    },
  },
];
