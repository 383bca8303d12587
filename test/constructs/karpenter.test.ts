import { describe, expect, it } from "vitest";
import { KarpenterPrerequisites, type KarpenterProps } from "../../constructs/aws/karpenter";
import { one, resourceMap, resources, synthConstruct } from "../helpers";

const base: KarpenterProps = {
  clusterName: "test-eks",
  clusterArn: "arn:aws:eks:eu-west-1:111111111111:cluster/test-eks",
  accountId: "111111111111",
  region: "eu-west-1",
  namespace: "kube-system",
  serviceAccount: "karpenter",
};
const synth = (props: Partial<KarpenterProps> = {}) =>
  synthConstruct((scope) => new KarpenterPrerequisites(scope, "karpenter", { ...base, ...props }));
const asList = (value: unknown) => ([] as string[]).concat(value as string | string[]);

describe("KarpenterPrerequisites", () => {
  const stack = synth();
  const queueKey = Object.keys(resourceMap(stack, "aws_sqs_queue"))[0]!;
  const queueArn = `\${aws_sqs_queue.${queueKey}.arn}`;
  const roles = resourceMap(stack, "aws_iam_role");
  const nodeRoleKey = Object.keys(roles).find((k) => k.startsWith("karpenter_node-role"))!;
  const nodeRoleArn = `\${aws_iam_role.${nodeRoleKey}.arn}`;
  const controllerPolicy = JSON.parse(one(stack, "aws_iam_role_policy").policy) as { Statement: Record<string, any>[] };

  it("creates an encrypted interruption queue", () => {
    const queue = one(stack, "aws_sqs_queue");
    expect(queue.name).toBe("test-eks-karpenter");
    expect(queue.sqs_managed_sse_enabled).toBe(true);
    expect(queue.message_retention_seconds).toBe(300);
  });

  it("denies non-TLS access to the queue and lets EventBridge deliver", () => {
    const policy = JSON.parse(one(stack, "aws_sqs_queue_policy").policy);
    const deny = policy.Statement.find((st: Record<string, any>) => st.Sid === "DenyHTTP");
    expect(deny).toMatchObject({ Effect: "Deny", Principal: "*", Action: "sqs:*", Resource: queueArn });
    expect(String(deny.Condition.Bool["aws:SecureTransport"])).toBe("false");
    const allow = policy.Statement.find((st: Record<string, any>) => st.Effect === "Allow");
    expect(allow.Action).toBe("sqs:SendMessage");
    expect(asList(allow.Principal.Service)).toContain("events.amazonaws.com");
    expect(allow.Resource).toBe(queueArn);
  });

  it("sends the five interruption event kinds to the queue", () => {
    const rules = resourceMap(stack, "aws_cloudwatch_event_rule");
    expect(Object.keys(rules)).toHaveLength(5);
    const detailTypes = Object.values(rules)
      .map((rule) => JSON.parse(rule.event_pattern)["detail-type"][0])
      .sort();
    expect(detailTypes).toEqual(
      [
        "AWS Health Event",
        "EC2 Spot Instance Interruption Warning",
        "EC2 Instance Rebalance Recommendation",
        "EC2 Instance State-change Notification",
        "EC2 Capacity Reservation Instance Interruption Warning",
      ].sort(),
    );
    const targets = resources(stack, "aws_cloudwatch_event_target");
    expect(targets).toHaveLength(5);
    for (const target of targets) expect(target.arn).toBe(queueArn);
    expect(new Set(targets.map((target) => target.rule))).toEqual(
      new Set(Object.keys(rules).map((k) => `\${aws_cloudwatch_event_rule.${k}.name}`)),
    );
  });

  it("registers the node role with an EC2_LINUX access entry", () => {
    const entry = one(stack, "aws_eks_access_entry");
    expect(entry.type).toBe("EC2_LINUX");
    expect(entry.principal_arn).toBe(nodeRoleArn);
    expect(entry.cluster_name).toBe("test-eks");
    expect(JSON.parse(roles[nodeRoleKey]!.assume_role_policy).Statement[0].Principal).toEqual({
      Service: "ec2.amazonaws.com",
    });
  });

  it("allows iam:PassRole on the node role only, and only to EC2", () => {
    const passing = controllerPolicy.Statement.filter((st) =>
      asList(st.Action).some((action) => action === "iam:PassRole" || action === "iam:*" || action === "*"),
    );
    expect(passing).toHaveLength(1);
    expect(passing[0]!.Effect).toBe("Allow");
    expect(passing[0]!.Resource).toBe(nodeRoleArn);
    expect(passing[0]!.Condition).toEqual({ StringEquals: { "iam:PassedToService": ["ec2.amazonaws.com"] } });
  });

  it("grants no wildcard actions and no write actions on all resources", () => {
    for (const st of controllerPolicy.Statement) {
      expect(st.Effect).toBe("Allow");
      for (const action of asList(st.Action)) expect(action).not.toMatch(/\*$/);
      if (asList(st.Resource).includes("*")) {
        for (const action of asList(st.Action)) expect(action).toMatch(/:(Describe|Get|List)/);
      }
    }
  });

  it("scopes queue and cluster permissions to their ARNs", () => {
    const queue = controllerPolicy.Statement.find((st) => st.Sid === "AllowInterruptionQueueActions")!;
    expect(queue.Resource).toBe(queueArn);
    const describe = controllerPolicy.Statement.find((st) => st.Sid === "AllowAPIServerEndpointDiscovery")!;
    expect(describe.Resource).toBe(base.clusterArn);
  });

  it("associates the controller role with the Karpenter service account", () => {
    const assoc = one(stack, "aws_eks_pod_identity_association");
    expect(assoc).toMatchObject({ cluster_name: "test-eks", namespace: "kube-system", service_account: "karpenter" });
    const controllerKey = Object.keys(roles).find((k) => k.startsWith("karpenter_controller_role"))!;
    expect(assoc.role_arn).toBe(`\${aws_iam_role.${controllerKey}.arn}`);
  });

  it("names everything after the cluster and region", () => {
    const other = synth({
      clusterName: "other",
      region: "us-east-1",
      clusterArn: "arn:aws:eks:us-east-1:111111111111:cluster/other",
    });
    expect(one(other, "aws_sqs_queue").name).toBe("other-karpenter");
    const text = one(other, "aws_iam_role_policy").policy as string;
    expect(text).toContain("arn:aws:ec2:us-east-1:");
    expect(text).not.toContain("eu-west-1");
    expect(text).not.toContain("test-eks");
  });
});
