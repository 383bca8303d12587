// KMS, VPC, Secrets Manager, CloudWatch Logs, SNS and SQS (IAM rules are in iam.ts).
import { allTiers, asArray, isTrue, type PolicyRule } from "../rule";
import { refersTo } from "./refs";

const hasKey = (value: unknown) => typeof value === "string" && value !== "";

export const awsMiscRules: PolicyRule[] = [
  {
    id: "KMS-001",
    title: "Key rotation",
    message: "set enable_key_rotation = true",
    fix: { code: [] },
    errorTiers: allTiers,
    resourceTypes: ["aws_kms_key"],
    check: ({ attrs }) =>
      isTrue(attrs.enable_key_rotation)
        ? undefined
        : `enable_key_rotation is ${JSON.stringify(attrs.enable_key_rotation) ?? "unset"}`,
  },
  {
    id: "KMS-002",
    title: "Explicit key policy",
    message: "set policy to an explicit key policy (not the account-wide default)",
    fix: { code: [] },
    errorTiers: allTiers,
    resourceTypes: ["aws_kms_key"],
    check: ({ attrs }) =>
      typeof attrs.policy === "string" && attrs.policy.trim() !== "" ? undefined : "policy is unset",
  },
  {
    id: "VPC-001",
    title: "Default security group closed",
    message: "declare aws_default_security_group with ingress = [] and egress = []",
    fix: { code: [] },
    errorTiers: allTiers,
    resourceTypes: ["aws_default_security_group"],
    check: ({ attrs }) => {
      const ruleCount = asArray(attrs.ingress).length + asArray(attrs.egress).length;
      if (attrs.ingress === undefined || attrs.egress === undefined)
        return "ingress or egress unset: existing rules are kept";
      return ruleCount ? `${ruleCount} rule(s) present` : undefined;
    },
  },
  {
    id: "VPC-002",
    title: "No public IPs in private subnets",
    message: "set map_public_ip_on_launch = false on private and database subnets",
    fix: { code: [] },
    errorTiers: allTiers,
    resourceTypes: ["aws_subnet"],
    check: ({ address, attrs }) => {
      const name = `${address} ${String(attrs.tags?.Name ?? "")}`;
      if (!/private|database/i.test(name)) return undefined;
      return isTrue(attrs.map_public_ip_on_launch) ? "map_public_ip_on_launch is true" : undefined;
    },
  },
  {
    id: "SM-001",
    title: "Secrets encrypted with a customer key",
    message: "set kms_key_id to a customer-managed KMS key",
    fix: { code: [] },
    errorTiers: allTiers,
    resourceTypes: ["aws_secretsmanager_secret"],
    check: ({ attrs }) =>
      typeof attrs.kms_key_id === "string" && attrs.kms_key_id !== ""
        ? undefined
        : "kms_key_id is unset (aws/secretsmanager key)",
  },
  {
    id: "VPC-003",
    title: "VPC flow logs",
    message: "add an aws_flow_log with vpc_id referencing the VPC (traffic_type ALL)",
    fix: { code: [] },
    errorTiers: allTiers,
    resourceTypes: ["aws_vpc"],
    check: (vpc, ctx) =>
      ctx.ofType("aws_flow_log").some((flowLog) => refersTo(ctx, flowLog.attrs.vpc_id, vpc))
        ? undefined
        : "no aws_flow_log for this VPC in the stack",
  },
  {
    id: "CW-001",
    title: "Log groups encrypted with a customer key",
    message: "set kms_key_id to a customer-managed KMS key",
    fix: { code: [] },
    errorTiers: allTiers,
    resourceTypes: ["aws_cloudwatch_log_group"],
    check: ({ attrs }) => (hasKey(attrs.kms_key_id) ? undefined : "kms_key_id is unset"),
  },
  {
    id: "CW-002",
    title: "Log retention set",
    message: "set retention_in_days (logs otherwise never expire)",
    fix: { config: ["cluster.logRetentionDays", "network.flowLogRetentionDays"], code: [] },
    errorTiers: allTiers,
    resourceTypes: ["aws_cloudwatch_log_group"],
    check: ({ attrs }) =>
      typeof attrs.retention_in_days === "number" && attrs.retention_in_days > 0
        ? undefined
        : `retention_in_days is ${attrs.retention_in_days ?? "unset"}`,
  },
  {
    id: "SNS-001",
    title: "Topics encrypted",
    message: "set kms_master_key_id to a customer-managed KMS key",
    fix: { code: [] },
    errorTiers: allTiers,
    resourceTypes: ["aws_sns_topic"],
    check: ({ attrs }) => (hasKey(attrs.kms_master_key_id) ? undefined : "kms_master_key_id is unset"),
  },
  {
    id: "SQS-001",
    title: "Queues encrypted",
    message:
      "set kms_master_key_id, or sqs_managed_sse_enabled = true (say so explicitly rather than rely on the account default)",
    fix: { code: [] },
    errorTiers: allTiers,
    resourceTypes: ["aws_sqs_queue"],
    check: ({ attrs }) =>
      hasKey(attrs.kms_master_key_id) || isTrue(attrs.sqs_managed_sse_enabled)
        ? undefined
        : `sqs_managed_sse_enabled is ${attrs.sqs_managed_sse_enabled ?? "unset"} and kms_master_key_id is unset`,
  },
];
