import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { describe, expect, it } from "vitest";
import { LakeReplication } from "../../constructs/aws/lake-replication";
import { one, resources, synthConstruct } from "../helpers";

const sourceKey = "arn:aws:kms:eu-central-1:111111111111:key/source";
const destKey = "arn:aws:kms:eu-west-1:111111111111:key/dest";
const synth = (zones: string[] = ["raw", "curated"], prefixes: Record<string, string> = {}) =>
  synthConstruct((scope) => {
    const source = new AwsProvider(scope, "source", { region: "eu-central-1", alias: "source" });
    const buckets = Object.fromEntries(
      zones.map((zone) => [
        zone,
        { sourceName: `prod-${zone}`, destinationArn: `arn:aws:s3:::dr-${zone}`, prefix: prefixes[zone] },
      ]),
    );
    new LakeReplication(scope, "replication", {
      roleName: "test-replication",
      sourceProvider: source,
      sourceRegion: "eu-central-1",
      sourceKmsKeyArn: sourceKey,
      destinationKmsKeyArn: destKey,
      buckets,
    });
  });

describe("LakeReplication", () => {
  const stack = synth();
  const configs = resources(stack, "aws_s3_bucket_replication_configuration");
  const policy = JSON.parse(one(stack, "aws_iam_role_policy").policy) as { Statement: Record<string, any>[] };
  const statement = (sid: string) => policy.Statement.find((st) => st.Sid === sid)!;

  it("creates one replication configuration per bucket on the source provider", () => {
    expect(configs).toHaveLength(2);
    expect(configs.map((config) => config.bucket).sort()).toEqual(["prod-curated", "prod-raw"]);
    for (const config of configs) expect(config.provider).toBe("aws.source");
  });

  it("replicates a bucket whole, or only under its prefix, and may read and write no more than that", () => {
    for (const config of configs) expect(config.rule[0].filter).toEqual({ prefix: "" });
    const scoped = synth(["raw", "files"], { files: "snapshots/prod/" });
    const byBucket = Object.fromEntries(
      resources(scoped, "aws_s3_bucket_replication_configuration").map((config) => [
        config.bucket,
        config.rule[0].filter.prefix,
      ]),
    );
    expect(byBucket).toEqual({ "prod-raw": "", "prod-files": "snapshots/prod/" });
    const st = (JSON.parse(one(scoped, "aws_iam_role_policy").policy) as { Statement: Record<string, any>[] })
      .Statement;
    expect(st.find((stmt) => stmt.Sid === "ReadSourceVersions")!.Resource).toEqual([
      "arn:aws:s3:::prod-raw/*",
      "arn:aws:s3:::prod-files/snapshots/prod/*",
    ]);
    expect(st.find((stmt) => stmt.Sid === "WriteReplicas")!.Resource).toEqual([
      "arn:aws:s3:::dr-raw/*",
      "arn:aws:s3:::dr-files/snapshots/prod/*",
    ]);
  });

  it("replicates with RTC (15 minutes) and metrics, delete markers and the replica KMS key", () => {
    for (const config of configs) {
      expect(config.rule).toHaveLength(1);
      const rule = config.rule[0];
      expect(rule.status).toBe("Enabled");
      expect(rule.delete_marker_replication).toEqual({ status: "Enabled" });
      expect(rule.source_selection_criteria).toEqual({ sse_kms_encrypted_objects: { status: "Enabled" } });
      expect(rule.destination.bucket).toBe(`arn:aws:s3:::${(config.bucket as string).replace("prod-", "dr-")}`);
      expect(rule.destination.replication_time).toEqual({ status: "Enabled", time: { minutes: 15 } });
      expect(rule.destination.metrics).toEqual({ status: "Enabled", event_threshold: { minutes: 15 } });
      expect(rule.destination.encryption_configuration).toEqual({ replica_kms_key_id: destKey });
      expect(config.role).toMatch(/^\$\{aws_iam_role\.replication_role_[0-9A-F]+\.arn\}$/);
    }
  });

  it("is assumed by S3 only", () => {
    expect(JSON.parse(one(stack, "aws_iam_role").assume_role_policy).Statement[0].Principal).toEqual({
      Service: "s3.amazonaws.com",
    });
  });

  it("scopes every S3 action of the role to the replicated buckets", () => {
    const sources = ["arn:aws:s3:::prod-raw", "arn:aws:s3:::prod-curated"];
    const dests = ["arn:aws:s3:::dr-raw", "arn:aws:s3:::dr-curated"];
    const s3Statements = policy.Statement.filter((st) =>
      ([] as string[]).concat(st.Action).some((action) => action.startsWith("s3:")),
    );
    expect(s3Statements.length).toBeGreaterThan(0);
    for (const st of s3Statements) {
      const res = ([] as string[]).concat(st.Resource);
      expect(res).not.toContain("*");
      for (const arn of res)
        expect([
          ...sources,
          ...sources.map((bucket) => `${bucket}/*`),
          ...dests.map((bucket) => `${bucket}/*`),
        ]).toContain(arn);
    }
    expect(new Set(statement("ReadSourceConfig").Resource)).toEqual(new Set(sources));
    expect(new Set(statement("ReadSourceVersions").Resource)).toEqual(new Set(sources.map((bucket) => `${bucket}/*`)));
    expect(new Set(statement("WriteReplicas").Resource)).toEqual(new Set(dests.map((bucket) => `${bucket}/*`)));
  });

  it("decrypts the source key only via S3 of the source region and encrypts with the replica key only", () => {
    const decrypt = statement("DecryptSource");
    expect(decrypt.Action).toBe("kms:Decrypt");
    expect(decrypt.Resource).toBe(sourceKey);
    expect(decrypt.Condition).toEqual({ StringEquals: { "kms:ViaService": "s3.eu-central-1.amazonaws.com" } });
    const encrypt = statement("EncryptReplicas");
    expect(encrypt.Resource).toBe(destKey);
    expect(JSON.stringify(encrypt.Action)).not.toContain("Decrypt");
    for (const st of policy.Statement) expect(st.Resource).not.toBe("*");
  });

  it("narrows the policy and the configurations when fewer buckets are replicated", () => {
    const single = synth(["raw"]);
    expect(resources(single, "aws_s3_bucket_replication_configuration")).toHaveLength(1);
    const text = one(single, "aws_iam_role_policy").policy as string;
    expect(text).toContain("prod-raw");
    expect(text).not.toContain("prod-curated");
  });

  it("names source buckets in the source region's partition", () => {
    const gov = synthConstruct((scope) => {
      const source = new AwsProvider(scope, "source", { region: "us-gov-west-1", alias: "source" });
      new LakeReplication(scope, "replication", {
        roleName: "gov-replication",
        sourceProvider: source,
        sourceRegion: "us-gov-west-1",
        sourceKmsKeyArn: sourceKey,
        destinationKmsKeyArn: destKey,
        buckets: { raw: { sourceName: "prod-raw", destinationArn: "arn:aws-us-gov:s3:::dr-raw" } },
      });
    });
    expect(one(gov, "aws_iam_role_policy").policy).toContain("arn:aws-us-gov:s3:::prod-raw");
    expect(one(gov, "aws_iam_role_policy").policy).not.toContain("arn:aws:s3:::prod-raw");
  });
});
