import { KmsAlias } from "@cdktf/provider-aws/lib/kms-alias";
import { KmsKey } from "@cdktf/provider-aws/lib/kms-key";
import { Construct } from "constructs";
import { partitionOf, policyDocument, type PolicyStatement } from "../../lib/aws";
import { stateful } from "../../lib/protect";

export const keyPurposes = ["eks", "rds", "s3", "logs", "secrets", "alerts"] as const;
export type KeyPurpose = (typeof keyPurposes)[number];

export interface KmsKeysProps {
  /** Prefix of aliases and descriptions, e.g. the environment's name. */
  readonly prefix: string;
  readonly accountId: string;
  readonly region: string;
  /** Purposes that get a key each. @default every purpose in `keyPurposes` */
  readonly purposes?: readonly KeyPurpose[];
  /** Days a scheduled deletion waits (7-30). @default 30 */
  readonly deletionWindowDays?: number;
  readonly preventDestroy: boolean;
}

/** One customer-managed key per purpose, rotating yearly, with an explicit key policy. */
export class KmsKeys extends Construct {
  readonly keys: Record<KeyPurpose, KmsKey>;

  constructor(scope: Construct, id: string, props: KmsKeysProps) {
    super(scope, id);
    const partition = partitionOf(props.region);
    const root = `arn:${partition}:iam::${props.accountId}:root`;
    const keys: Partial<Record<KeyPurpose, KmsKey>> = {};
    for (const purpose of props.purposes ?? keyPurposes) {
      const statements: PolicyStatement[] = [
        // Key administration and use stay with IAM policies of this account.
        { Sid: "AccountAdministersKey", Effect: "Allow", Principal: { AWS: root }, Action: "kms:*", Resource: "*" },
      ];
      if (purpose === "logs") {
        // CloudWatch Logs encrypts with the key directly, scoped to this account's log groups.
        statements.push({
          Sid: "CloudWatchLogsUse",
          Effect: "Allow",
          Principal: { Service: `logs.${props.region}.amazonaws.com` },
          Action: ["kms:Encrypt*", "kms:Decrypt*", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:Describe*"],
          Resource: "*",
          Condition: {
            ArnLike: {
              "kms:EncryptionContext:aws:logs:arn": `arn:${partition}:logs:${props.region}:${props.accountId}:*`,
            },
          },
        });
      }
      if (purpose === "alerts") {
        // CloudWatch alarms publish to the encrypted alert topic with this key.
        statements.push({
          Sid: "CloudWatchAlarmsPublish",
          Effect: "Allow",
          Principal: { Service: "cloudwatch.amazonaws.com" },
          Action: ["kms:Decrypt", "kms:GenerateDataKey*"],
          Resource: "*",
          Condition: { StringEquals: { "aws:SourceAccount": props.accountId } },
        });
      }
      const key = new KmsKey(this, purpose, {
        description: `${props.prefix} ${purpose} encryption`,
        enableKeyRotation: true,
        rotationPeriodInDays: 365,
        deletionWindowInDays: props.deletionWindowDays ?? 30,
        policy: policyDocument(statements),
      });
      stateful(key, `kms_${purpose}`, props.preventDestroy);
      new KmsAlias(this, `${purpose}-alias`, { name: `alias/${props.prefix}-${purpose}`, targetKeyId: key.keyId });
      keys[purpose] = key;
    }
    this.keys = keys as Record<KeyPurpose, KmsKey>;
  }
}
