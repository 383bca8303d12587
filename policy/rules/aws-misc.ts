// KMS, VPC, IAM and Secrets Manager.
import { allTiers, asArray, isTrue, parseJson, type PolicyRule } from "../rule";

const isWildcardAction = (a: unknown) => a === "*" || a === "iam:*";

export const awsMiscRules: PolicyRule[] = [
  {
    id: "KMS-001",
    title: "Key rotation",
    message: "set enable_key_rotation = true",
    errorTiers: allTiers,
    resourceTypes: ["aws_kms_key"],
    check: ({ attrs }) => (isTrue(attrs.enable_key_rotation) ? undefined : `enable_key_rotation is ${JSON.stringify(attrs.enable_key_rotation) ?? "unset"}`),
  },
  {
    id: "KMS-002",
    title: "Explicit key policy",
    message: "set policy to an explicit key policy (not the account-wide default)",
    errorTiers: allTiers,
    resourceTypes: ["aws_kms_key"],
    check: ({ attrs }) => (typeof attrs.policy === "string" && attrs.policy.trim() !== "" ? undefined : "policy is unset"),
  },
  {
    id: "VPC-001",
    title: "Default security group closed",
    message: "declare aws_default_security_group with ingress = [] and egress = []",
    errorTiers: allTiers,
    resourceTypes: ["aws_default_security_group"],
    check: ({ attrs }) => {
      const n = asArray(attrs.ingress).length + asArray(attrs.egress).length;
      if (attrs.ingress === undefined || attrs.egress === undefined) return "ingress or egress unset: existing rules are kept";
      return n ? `${n} rule(s) present` : undefined;
    },
  },
  {
    id: "VPC-002",
    title: "No public IPs in private subnets",
    message: "set map_public_ip_on_launch = false on private and database subnets",
    errorTiers: allTiers,
    resourceTypes: ["aws_subnet"],
    check: ({ address, attrs }) => {
      const name = `${address} ${String(attrs.tags?.Name ?? "")}`;
      if (!/private|database/i.test(name)) return undefined;
      return isTrue(attrs.map_public_ip_on_launch) ? "map_public_ip_on_launch is true" : undefined;
    },
  },
  {
    id: "IAM-001",
    title: "No administrator wildcards",
    message: 'replace Action "*" / "iam:*" on Resource "*" with the actions and resources needed',
    errorTiers: allTiers,
    resourceTypes: ["aws_iam_role_policy", "aws_iam_policy"],
    check: ({ attrs }) => {
      const doc = parseJson(attrs.policy);
      if (!doc) return undefined;
      const bad = asArray<any>(doc.Statement).filter(
        (s) => s?.Effect === "Allow" && asArray(s.Action).some(isWildcardAction) && asArray(s.Resource).includes("*"),
      );
      return bad.length ? `${bad.length} statement(s) allow ${asArray(bad[0].Action).filter(isWildcardAction).join(", ")} on *` : undefined;
    },
  },
  {
    id: "SM-001",
    title: "Secrets encrypted with a customer key",
    message: "set kms_key_id to a customer-managed KMS key",
    errorTiers: allTiers,
    resourceTypes: ["aws_secretsmanager_secret"],
    check: ({ attrs }) => (typeof attrs.kms_key_id === "string" && attrs.kms_key_id !== "" ? undefined : "kms_key_id is unset (aws/secretsmanager key)"),
  },
];
