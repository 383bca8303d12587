// The AWS Load Balancer Controller's permissions: the API calls the controller makes (the action
// names and conditions are upstream's facts, v3.5.0), written here with statement ids; where upstream
// names an ARN pattern it is scoped to the environment's partition, region and account, so the policy
// also holds outside the `aws` partition.
import type { PolicyStatement } from "../../../lib/aws";

export interface ArnScope {
  readonly partition: string;
  readonly region: string;
  readonly accountId: string;
}

/** The tag the controller puts on everything it creates; writes are allowed only where it is. */
const clusterTag = "elbv2.k8s.aws/cluster";
const taggedResource = { Null: { [`aws:ResourceTag/${clusterTag}`]: "false" } };
const taggedRequest = { Null: { [`aws:RequestTag/${clusterTag}`]: "false" } };
// Tag changes on an existing resource of the controller, never adding or removing the cluster tag.
const retagOwned = { Null: { [`aws:RequestTag/${clusterTag}`]: "true", [`aws:ResourceTag/${clusterTag}`]: "false" } };

const reads = {
  ec2: [
    "DescribeAccountAttributes",
    "DescribeAddresses",
    "DescribeAvailabilityZones",
    "DescribeInternetGateways",
    "DescribeVpcs",
    "DescribeVpcPeeringConnections",
    "DescribeSubnets",
    "DescribeSecurityGroups",
    "DescribeInstances",
    "DescribeNetworkInterfaces",
    "DescribeTags",
    "GetCoipPoolUsage",
    "DescribeCoipPools",
    "GetSecurityGroupsForVpc",
    "DescribeIpamPools",
    "DescribeRouteTables",
  ],
  elasticloadbalancing: [
    "DescribeLoadBalancers",
    "DescribeLoadBalancerAttributes",
    "DescribeListeners",
    "DescribeListenerCertificates",
    "DescribeSSLPolicies",
    "DescribeRules",
    "DescribeTargetGroups",
    "DescribeTargetGroupAttributes",
    "DescribeTargetHealth",
    "DescribeTags",
    "DescribeTrustStores",
    "DescribeListenerAttributes",
    "DescribeCapacityReservation",
  ],
};

/** Certificates, WAF and Shield: what an Ingress's annotations may attach to its load balancer. */
const attachments = [
  "cognito-idp:DescribeUserPoolClient",
  "acm:ListCertificates",
  "acm:DescribeCertificate",
  "iam:ListServerCertificates",
  "iam:GetServerCertificate",
  "waf-regional:GetWebACL",
  "waf-regional:GetWebACLForResource",
  "waf-regional:AssociateWebACL",
  "waf-regional:DisassociateWebACL",
  "wafv2:GetWebACL",
  "wafv2:GetWebACLForResource",
  "wafv2:AssociateWebACL",
  "wafv2:DisassociateWebACL",
  "shield:GetSubscriptionState",
  "shield:DescribeProtection",
  "shield:CreateProtection",
  "shield:DeleteProtection",
];

const prefixed = (service: string, actions: readonly string[]) => actions.map((action) => `${service}:${action}`);

export function loadBalancerControllerStatements({ partition, region, accountId }: ArnScope): PolicyStatement[] {
  const ec2 = `arn:${partition}:ec2:${region}:${accountId}`;
  const elb = `arn:${partition}:elasticloadbalancing:${region}:${accountId}`;
  const securityGroups = `${ec2}:security-group/*`;
  const balancers = [`${elb}:targetgroup/*/*`, `${elb}:loadbalancer/net/*/*`, `${elb}:loadbalancer/app/*/*`];
  const listeners = ["listener", "listener-rule"].flatMap((kind) => [
    `${elb}:${kind}/net/*/*/*`,
    `${elb}:${kind}/app/*/*/*`,
  ]);
  return [
    {
      Sid: "ElbServiceLinkedRole",
      Effect: "Allow",
      Action: "iam:CreateServiceLinkedRole",
      Resource: "*",
      Condition: { StringEquals: { "iam:AWSServiceName": "elasticloadbalancing.amazonaws.com" } },
    },
    {
      Sid: "Describe",
      Effect: "Allow",
      Action: [...prefixed("ec2", reads.ec2), ...prefixed("elasticloadbalancing", reads.elasticloadbalancing)],
      Resource: "*",
    },
    { Sid: "IngressAttachments", Effect: "Allow", Action: attachments, Resource: "*" },
    // Rules on the node security groups that the controller opens to its load balancers.
    {
      Sid: "NodeSecurityGroupRules",
      Effect: "Allow",
      Action: ["ec2:AuthorizeSecurityGroupIngress", "ec2:RevokeSecurityGroupIngress"],
      Resource: "*",
    },
    { Sid: "CreateSecurityGroup", Effect: "Allow", Action: "ec2:CreateSecurityGroup", Resource: "*" },
    {
      Sid: "TagNewSecurityGroup",
      Effect: "Allow",
      Action: "ec2:CreateTags",
      Resource: securityGroups,
      Condition: { StringEquals: { "ec2:CreateAction": "CreateSecurityGroup" }, ...taggedRequest },
    },
    {
      Sid: "RetagOwnSecurityGroups",
      Effect: "Allow",
      Action: ["ec2:CreateTags", "ec2:DeleteTags"],
      Resource: securityGroups,
      Condition: retagOwned,
    },
    {
      Sid: "ManageOwnSecurityGroups",
      Effect: "Allow",
      Action: ["ec2:AuthorizeSecurityGroupIngress", "ec2:RevokeSecurityGroupIngress", "ec2:DeleteSecurityGroup"],
      Resource: "*",
      Condition: taggedResource,
    },
    {
      Sid: "CreateTaggedBalancers",
      Effect: "Allow",
      Action: ["elasticloadbalancing:CreateLoadBalancer", "elasticloadbalancing:CreateTargetGroup"],
      Resource: "*",
      Condition: taggedRequest,
    },
    {
      Sid: "ManageListeners",
      Effect: "Allow",
      Action: prefixed("elasticloadbalancing", ["CreateListener", "DeleteListener", "CreateRule", "DeleteRule"]),
      Resource: "*",
    },
    {
      Sid: "RetagOwnBalancers",
      Effect: "Allow",
      Action: ["elasticloadbalancing:AddTags", "elasticloadbalancing:RemoveTags"],
      Resource: balancers,
      Condition: retagOwned,
    },
    {
      Sid: "TagListeners",
      Effect: "Allow",
      Action: ["elasticloadbalancing:AddTags", "elasticloadbalancing:RemoveTags"],
      Resource: listeners,
    },
    {
      Sid: "ManageOwnBalancers",
      Effect: "Allow",
      Action: prefixed("elasticloadbalancing", [
        "ModifyLoadBalancerAttributes",
        "SetIpAddressType",
        "SetSecurityGroups",
        "SetSubnets",
        "DeleteLoadBalancer",
        "ModifyTargetGroup",
        "ModifyTargetGroupAttributes",
        "DeleteTargetGroup",
        "ModifyListenerAttributes",
        "ModifyCapacityReservation",
        "ModifyIpPools",
      ]),
      Resource: "*",
      Condition: taggedResource,
    },
    {
      Sid: "TagNewBalancers",
      Effect: "Allow",
      Action: "elasticloadbalancing:AddTags",
      Resource: balancers,
      Condition: {
        StringEquals: { "elasticloadbalancing:CreateAction": ["CreateTargetGroup", "CreateLoadBalancer"] },
        ...taggedRequest,
      },
    },
    {
      Sid: "RegisterTargets",
      Effect: "Allow",
      Action: ["elasticloadbalancing:RegisterTargets", "elasticloadbalancing:DeregisterTargets"],
      Resource: `${elb}:targetgroup/*/*`,
    },
    {
      Sid: "ConfigureListeners",
      Effect: "Allow",
      Action: prefixed("elasticloadbalancing", [
        "SetWebAcl",
        "ModifyListener",
        "AddListenerCertificates",
        "RemoveListenerCertificates",
        "ModifyRule",
        "SetRulePriorities",
      ]),
      Resource: "*",
    },
  ];
}
