import { describe, expect, it } from "vitest";
import { KmsKeys, keyPurposes, type KmsKeysProps } from "../../constructs/aws/kms-keys";
import { resourceMap, resources, synthConstruct } from "../helpers";

const base: KmsKeysProps = { prefix: "test", accountId: "111111111111", region: "eu-west-1", preventDestroy: true };
const synth = (props: Partial<KmsKeysProps> = {}) =>
  synthConstruct((scope) => new KmsKeys(scope, "keys", { ...base, ...props }));
const policyOf = (key: Record<string, any>) => JSON.parse(key.policy as string) as { Statement: Record<string, any>[] };

describe("KmsKeys", () => {
  const stack = synth();
  const keys = resourceMap(stack, "aws_kms_key");

  it("creates one key per purpose at pinned addresses kms_<purpose>", () => {
    expect(Object.keys(keys).sort()).toEqual(keyPurposes.map((purpose) => `kms_${purpose}`).sort());
  });

  it("enables yearly rotation and the default 30-day deletion window on every key", () => {
    for (const key of Object.values(keys)) {
      expect(key.enable_key_rotation).toBe(true);
      expect(key.rotation_period_in_days).toBe(365);
      expect(key.deletion_window_in_days).toBe(30);
    }
  });

  it("gives every key an explicit policy whose first statement is the account root", () => {
    for (const key of Object.values(keys)) {
      expect(typeof key.policy).toBe("string");
      const policy = policyOf(key);
      expect(policy.Statement[0]).toEqual({
        Sid: "AccountAdministersKey",
        Effect: "Allow",
        Principal: { AWS: "arn:aws:iam::111111111111:root" },
        Action: "kms:*",
        Resource: "*",
      });
    }
  });

  it("lets CloudWatch Logs of this region use the logs key only for this account's log groups", () => {
    const statements = policyOf(keys["kms_logs"]!).Statement;
    const logs = statements.find((st) => st.Sid === "CloudWatchLogsUse");
    expect(logs).toBeDefined();
    expect(logs!.Effect).toBe("Allow");
    expect(logs!.Principal).toEqual({ Service: "logs.eu-west-1.amazonaws.com" });
    expect(logs!.Action).toEqual(expect.arrayContaining(["kms:Encrypt*", "kms:Decrypt*", "kms:GenerateDataKey*"]));
    expect(logs!.Condition).toEqual({
      ArnLike: { "kms:EncryptionContext:aws:logs:arn": "arn:aws:logs:eu-west-1:111111111111:*" },
    });
  });

  it("lets CloudWatch alarms use only the alert topic's key, from this account", () => {
    const st = policyOf(keys["kms_alerts"]!).Statement.find(
      (statement: any) => statement.Sid === "CloudWatchAlarmsPublish",
    );
    expect(st).toMatchObject({
      Principal: { Service: "cloudwatch.amazonaws.com" },
      Condition: { StringEquals: { "aws:SourceAccount": "111111111111" } },
    });
  });

  it("grants no service principal on the other keys", () => {
    for (const purpose of keyPurposes.filter((candidate) => candidate !== "logs" && candidate !== "alerts")) {
      const statements = policyOf(keys[`kms_${purpose}`]!).Statement;
      expect(statements).toHaveLength(1);
      expect(JSON.stringify(statements)).not.toContain("Service");
    }
  });

  it("names an alias alias/<prefix>-<purpose> per key, targeting that key", () => {
    const aliases = resources(stack, "aws_kms_alias");
    expect(aliases.map((alias) => alias.name).sort()).toEqual(
      keyPurposes.map((purpose) => `alias/test-${purpose}`).sort(),
    );
    for (const purpose of keyPurposes) {
      const alias = aliases.find((candidate) => candidate.name === `alias/test-${purpose}`)!;
      expect(alias.target_key_id).toBe(`\${aws_kms_key.kms_${purpose}.key_id}`);
    }
  });

  it("sets prevent_destroy when preventDestroy is true", () => {
    for (const key of Object.values(keys)) expect(key.lifecycle?.prevent_destroy).toBe(true);
  });

  it("omits prevent_destroy when preventDestroy is false", () => {
    for (const key of resources(synth({ preventDestroy: false }), "aws_kms_key")) {
      expect(key.lifecycle?.prevent_destroy).toBeUndefined();
    }
  });

  it("creates only the requested purposes and honours the deletion window", () => {
    const only = synth({ purposes: ["s3"], deletionWindowDays: 7 });
    const k = resourceMap(only, "aws_kms_key");
    expect(Object.keys(k)).toEqual(["kms_s3"]);
    expect(k["kms_s3"]!.deletion_window_in_days).toBe(7);
    expect(resources(only, "aws_kms_alias")).toHaveLength(1);
  });

  it("uses the GovCloud partition in the root ARN for us-gov regions", () => {
    const gov = resourceMap(synth({ region: "us-gov-west-1", purposes: ["logs"] }), "aws_kms_key")["kms_logs"]!;
    const st = policyOf(gov).Statement;
    expect(st[0]!.Principal).toEqual({ AWS: "arn:aws-us-gov:iam::111111111111:root" });
    expect(st[1]!.Condition.ArnLike["kms:EncryptionContext:aws:logs:arn"]).toBe(
      "arn:aws-us-gov:logs:us-gov-west-1:111111111111:*",
    );
  });
});
