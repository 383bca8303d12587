import { CloudwatchEventRule } from "@cdktf/provider-aws/lib/cloudwatch-event-rule";
import { CloudwatchEventTarget } from "@cdktf/provider-aws/lib/cloudwatch-event-target";
import { EksAccessEntry } from "@cdktf/provider-aws/lib/eks-access-entry";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { IamRolePolicyAttachment } from "@cdktf/provider-aws/lib/iam-role-policy-attachment";
import { SqsQueue } from "@cdktf/provider-aws/lib/sqs-queue";
import { SqsQueuePolicy } from "@cdktf/provider-aws/lib/sqs-queue-policy";
import type { ITerraformDependable } from "cdktf";
import { Construct } from "constructs";
import { partitionOf, policyDocument, serviceTrust, type PolicyStatement } from "../../lib/aws";
import { PodIdentityRole } from "./pod-identity-role";

export interface KarpenterProps {
  readonly clusterName: string;
  readonly clusterArn: string;
  readonly accountId: string;
  readonly region: string;
  readonly namespace: string;
  readonly serviceAccount: string;
  /** What the access entry and pod identity association wait for: the EKS cluster when the same
   *  stack creates it (`clusterName` is a literal, which orders nothing). @default none */
  readonly dependsOn?: ITerraformDependable[];
}

const interruptionEvents: Record<string, { source: string; detailType: string }> = {
  "scheduled-change": { source: "aws.health", detailType: "AWS Health Event" },
  "spot-interruption": { source: "aws.ec2", detailType: "EC2 Spot Instance Interruption Warning" },
  rebalance: { source: "aws.ec2", detailType: "EC2 Instance Rebalance Recommendation" },
  "state-change": { source: "aws.ec2", detailType: "EC2 Instance State-change Notification" },
  "capacity-reservation": { source: "aws.ec2", detailType: "EC2 Capacity Reservation Instance Interruption Warning" },
};

/** What Karpenter needs from AWS: its controller role (the upstream v1 policies, merged), the
 *  node role with an access entry, and the interruption queue fed by EventBridge. */
export class KarpenterPrerequisites extends Construct {
  readonly nodeRole: IamRole;
  readonly queue: SqsQueue;

  constructor(scope: Construct, id: string, props: KarpenterProps) {
    super(scope, id);
    const partition = partitionOf(props.region);
    const { clusterName, region, accountId } = props;
    const managed = (name: string) => `arn:${partition}:iam::aws:policy/${name}`;

    this.nodeRole = new IamRole(this, "node-role", {
      name: `${clusterName}-karpenter-node`,
      assumeRolePolicy: serviceTrust("ec2.amazonaws.com"),
    });
    [
      "AmazonEKSWorkerNodePolicy",
      "AmazonEKS_CNI_Policy",
      "AmazonEC2ContainerRegistryPullOnly",
      "AmazonSSMManagedInstanceCore",
    ].forEach(
      (name) =>
        new IamRolePolicyAttachment(this, `node-${name}`, { role: this.nodeRole.name, policyArn: managed(name) }),
    );
    new EksAccessEntry(this, "node-access", {
      clusterName,
      principalArn: this.nodeRole.arn,
      type: "EC2_LINUX",
      dependsOn: props.dependsOn,
    });

    this.queue = new SqsQueue(this, "interruptions", {
      name: `${clusterName}-karpenter`,
      messageRetentionSeconds: 300,
      sqsManagedSseEnabled: true,
    });
    new SqsQueuePolicy(this, "interruptions-policy", {
      queueUrl: this.queue.url,
      policy: policyDocument([
        {
          Sid: "EventBridgeDelivers",
          Effect: "Allow",
          Principal: { Service: ["events.amazonaws.com", "sqs.amazonaws.com"] },
          Action: "sqs:SendMessage",
          Resource: this.queue.arn,
        },
        {
          Sid: "DenyHTTP",
          Effect: "Deny",
          Principal: "*",
          Action: "sqs:*",
          Resource: this.queue.arn,
          Condition: { Bool: { "aws:SecureTransport": false } },
        },
      ]),
    });
    for (const [name, event] of Object.entries(interruptionEvents)) {
      const rule = new CloudwatchEventRule(this, `rule-${name}`, {
        name: `${clusterName}-karpenter-${name}`,
        eventPattern: JSON.stringify({ source: [event.source], "detail-type": [event.detailType] }),
      });
      new CloudwatchEventTarget(this, `target-${name}`, {
        rule: rule.name,
        targetId: "KarpenterInterruptionQueueTarget",
        arn: this.queue.arn,
      });
    }

    const owned = {
      [`aws:RequestTag/kubernetes.io/cluster/${clusterName}`]: "owned",
      "aws:RequestTag/eks:eks-cluster-name": clusterName,
    };
    const ec2 = (kinds: string[], account = "*") =>
      kinds.map((k) => `arn:${partition}:ec2:${region}:${account}:${k}/*`);
    const launchTargets = ec2([
      "fleet",
      "instance",
      "volume",
      "network-interface",
      "launch-template",
      "spot-instances-request",
    ]);
    const profile = `arn:${partition}:iam::${accountId}:instance-profile/*`;
    const statements: PolicyStatement[] = [
      {
        Sid: "AllowScopedEC2InstanceAccessActions",
        Effect: "Allow",
        Action: ["ec2:RunInstances", "ec2:CreateFleet"],
        Resource: [
          `arn:${partition}:ec2:${region}::image/*`,
          `arn:${partition}:ec2:${region}::snapshot/*`,
          ...ec2(["security-group", "subnet", "capacity-reservation", "placement-group"]),
        ],
      },
      {
        Sid: "AllowScopedEC2LaunchTemplateAccessActions",
        Effect: "Allow",
        Action: ["ec2:RunInstances", "ec2:CreateFleet"],
        Resource: ec2(["launch-template"]),
        Condition: {
          StringEquals: { [`aws:ResourceTag/kubernetes.io/cluster/${clusterName}`]: "owned" },
          StringLike: { "aws:ResourceTag/karpenter.sh/nodepool": "*" },
        },
      },
      {
        Sid: "AllowScopedEC2InstanceActionsWithTags",
        Effect: "Allow",
        Action: ["ec2:RunInstances", "ec2:CreateFleet", "ec2:CreateLaunchTemplate"],
        Resource: launchTargets,
        Condition: { StringEquals: owned, StringLike: { "aws:RequestTag/karpenter.sh/nodepool": "*" } },
      },
      {
        Sid: "AllowScopedResourceCreationTagging",
        Effect: "Allow",
        Action: "ec2:CreateTags",
        Resource: launchTargets,
        Condition: {
          StringEquals: { ...owned, "ec2:CreateAction": ["RunInstances", "CreateFleet", "CreateLaunchTemplate"] },
          StringLike: { "aws:RequestTag/karpenter.sh/nodepool": "*" },
        },
      },
      {
        Sid: "AllowScopedResourceTagging",
        Effect: "Allow",
        Action: "ec2:CreateTags",
        Resource: ec2(["instance"]),
        Condition: {
          StringEquals: { [`aws:ResourceTag/kubernetes.io/cluster/${clusterName}`]: "owned" },
          StringLike: { "aws:ResourceTag/karpenter.sh/nodepool": "*" },
          StringEqualsIfExists: { "aws:RequestTag/eks:eks-cluster-name": clusterName },
          "ForAllValues:StringEquals": { "aws:TagKeys": ["eks:eks-cluster-name", "karpenter.sh/nodeclaim", "Name"] },
        },
      },
      {
        Sid: "AllowScopedDeletion",
        Effect: "Allow",
        Action: ["ec2:TerminateInstances", "ec2:DeleteLaunchTemplate"],
        Resource: ec2(["instance", "launch-template"]),
        Condition: {
          StringEquals: { [`aws:ResourceTag/kubernetes.io/cluster/${clusterName}`]: "owned" },
          StringLike: { "aws:ResourceTag/karpenter.sh/nodepool": "*" },
        },
      },
      {
        Sid: "AllowPassingInstanceRole",
        Effect: "Allow",
        Action: "iam:PassRole",
        Resource: this.nodeRole.arn,
        Condition: { StringEquals: { "iam:PassedToService": ["ec2.amazonaws.com"] } },
      },
      {
        Sid: "AllowScopedInstanceProfileCreationActions",
        Effect: "Allow",
        Action: "iam:CreateInstanceProfile",
        Resource: profile,
        Condition: {
          StringEquals: { ...owned, "aws:RequestTag/topology.kubernetes.io/region": region },
          StringLike: { "aws:RequestTag/karpenter.k8s.aws/ec2nodeclass": "*" },
        },
      },
      {
        Sid: "AllowScopedInstanceProfileTagActions",
        Effect: "Allow",
        Action: "iam:TagInstanceProfile",
        Resource: profile,
        Condition: {
          StringEquals: {
            [`aws:ResourceTag/kubernetes.io/cluster/${clusterName}`]: "owned",
            "aws:ResourceTag/topology.kubernetes.io/region": region,
            ...owned,
            "aws:RequestTag/topology.kubernetes.io/region": region,
          },
          StringLike: {
            "aws:ResourceTag/karpenter.k8s.aws/ec2nodeclass": "*",
            "aws:RequestTag/karpenter.k8s.aws/ec2nodeclass": "*",
          },
        },
      },
      {
        Sid: "AllowScopedInstanceProfileActions",
        Effect: "Allow",
        Action: ["iam:AddRoleToInstanceProfile", "iam:RemoveRoleFromInstanceProfile", "iam:DeleteInstanceProfile"],
        Resource: profile,
        Condition: {
          StringEquals: {
            [`aws:ResourceTag/kubernetes.io/cluster/${clusterName}`]: "owned",
            "aws:ResourceTag/topology.kubernetes.io/region": region,
          },
          StringLike: { "aws:ResourceTag/karpenter.k8s.aws/ec2nodeclass": "*" },
        },
      },
      {
        Sid: "AllowAPIServerEndpointDiscovery",
        Effect: "Allow",
        Action: "eks:DescribeCluster",
        Resource: props.clusterArn,
      },
      {
        Sid: "AllowInterruptionQueueActions",
        Effect: "Allow",
        Action: ["sqs:DeleteMessage", "sqs:GetQueueUrl", "sqs:ReceiveMessage"],
        Resource: this.queue.arn,
      },
      {
        Sid: "AllowRegionalReadActions",
        Effect: "Allow",
        Action: [
          "ec2:DescribeCapacityReservations",
          "ec2:DescribeImages",
          "ec2:DescribeInstances",
          "ec2:DescribeInstanceStatus",
          "ec2:DescribeInstanceTypeOfferings",
          "ec2:DescribeInstanceTypes",
          "ec2:DescribeLaunchTemplates",
          "ec2:DescribePlacementGroups",
          "ec2:DescribeSecurityGroups",
          "ec2:DescribeSpotPriceHistory",
          "ec2:DescribeSubnets",
        ],
        Resource: "*",
        Condition: { StringEquals: { "aws:RequestedRegion": region } },
      },
      {
        Sid: "AllowSSMReadActions",
        Effect: "Allow",
        Action: "ssm:GetParameter",
        Resource: `arn:${partition}:ssm:${region}::parameter/aws/service/*`,
      },
      { Sid: "AllowPricingReadActions", Effect: "Allow", Action: "pricing:GetProducts", Resource: "*" },
      {
        Sid: "AllowUnscopedInstanceProfileListAction",
        Effect: "Allow",
        Action: "iam:ListInstanceProfiles",
        Resource: "*",
      },
      { Sid: "AllowInstanceProfileReadActions", Effect: "Allow", Action: "iam:GetInstanceProfile", Resource: profile },
    ];
    new PodIdentityRole(this, "controller", {
      clusterName,
      roleName: `${clusterName}-karpenter`,
      namespace: props.namespace,
      serviceAccount: props.serviceAccount,
      statements,
      dependsOn: props.dependsOn,
    });
  }
}
