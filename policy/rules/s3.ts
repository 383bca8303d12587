// S3: public access block, KMS encryption, versioning, TLS-only bucket policy.
import { protectedTiers } from "../../config/schema";
import { allTiers, asArray, block, blocks, isTrue, parseJson, type PolicyRule } from "../rule";

const publicAccessFlags = ["block_public_acls", "block_public_policy", "ignore_public_acls", "restrict_public_buckets"] as const;

/** Server access logs cannot be delivered to SSE-KMS buckets: `*-access-logs` buckets use SSE-S3. */
function isAccessLogBucket(name: unknown): boolean {
  return typeof name === "string" && name.endsWith("-access-logs");
}

export const s3Rules: PolicyRule[] = [
  {
    id: "S3-001",
    title: "Bucket public access fully blocked",
    message: "set block_public_acls, block_public_policy, ignore_public_acls and restrict_public_buckets to true",
    errorTiers: allTiers,
    resourceTypes: ["aws_s3_bucket_public_access_block"],
    check: ({ attrs }) => {
      const off = publicAccessFlags.filter((f) => !isTrue(attrs[f]));
      return off.length ? `not true: ${off.join(", ")}` : undefined;
    },
  },
  {
    id: "S3-002",
    title: "Bucket encrypted with KMS",
    message: "use sse_algorithm aws:kms with a customer key (only *-access-logs buckets may use AES256)",
    errorTiers: allTiers,
    resourceTypes: ["aws_s3_bucket_server_side_encryption_configuration"],
    check: ({ attrs }, ctx) => {
      const algos = blocks(attrs.rule).map((r) => block(r.apply_server_side_encryption_by_default)?.sse_algorithm);
      if (algos.length && algos.every((a) => a === "aws:kms" || a === "aws:kms:dsse")) return undefined;
      const bucket = ctx.referenced(attrs.bucket)?.attrs.bucket ?? attrs.bucket;
      if (isAccessLogBucket(bucket) && algos.every((a) => a === "AES256")) return undefined;
      return `sse_algorithm is ${algos.join(", ") || "unset"}`;
    },
  },
  {
    id: "S3-003",
    title: "Bucket versioning enabled",
    message: "set versioning_configuration.status to Enabled",
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
    errorTiers: allTiers,
    resourceTypes: ["aws_s3_bucket_policy"],
    check: ({ attrs }) => {
      const doc = parseJson(attrs.policy);
      if (!doc) return "policy is not literal JSON: cannot verify";
      const denies = asArray<any>(doc.Statement).some((s) => {
        if (s?.Effect !== "Deny") return false;
        const v = s.Condition?.Bool?.["aws:SecureTransport"];
        return v === false || v === "false" || (Array.isArray(v) && v.some((x) => x === false || x === "false"));
      });
      return denies ? undefined : "no Deny statement on aws:SecureTransport false";
    },
  },
];
