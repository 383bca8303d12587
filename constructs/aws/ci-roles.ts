import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { IamRolePolicy } from "@cdktf/provider-aws/lib/iam-role-policy";
import { IamRolePolicyAttachment } from "@cdktf/provider-aws/lib/iam-role-policy-attachment";
import { Construct } from "constructs";
import { policyDocument, type PolicyStatement } from "../../lib/aws";

/** GitHub's OIDC issuer (token.actions.githubusercontent.com), as AWS IAM names it. */
export const githubIssuer = "token.actions.githubusercontent.com";

export interface CiRolesProps {
  readonly partition: string;
  readonly accountId: string;
  /** ARN of the account's GitHub OIDC provider. */
  readonly oidcProviderArn: string;
  /** owner/name of the repository whose workflows assume the roles. */
  readonly repository: string;
  /** The environment's name: the apply role trusts only jobs in the GitHub environment of that name. */
  readonly environment: string;
  readonly planRoleName: string;
  readonly applyRoleName: string;
  /** The environment's state: bucket ARN, key prefix and the bucket's KMS key ARN. */
  readonly state: { readonly bucketArn: string; readonly keyPrefix: string; readonly kmsKeyArn: string };
  /** Prefix of the names of IAM roles, policies and instance profiles the stacks create (`odp-<env>`). */
  readonly namePrefix: string;
}

/** Services whose resources the environment's stacks manage (the apply role may act on them). */
const managedServices = [
  "acm",
  "autoscaling",
  "cloudwatch",
  "ec2",
  "ecr",
  "eks",
  "elasticloadbalancing",
  "events",
  "kms",
  "logs",
  "rds",
  "route53",
  "s3",
  "secretsmanager",
  "sns",
  "sqs",
  "ssm",
  "sts",
  "pi",
];

/**
 * CI's two roles in an environment, assumed through GitHub's OIDC tokens: `plan` (read-only, for
 * pull requests and re-plans on main) and `apply` (only for jobs in the environment's GitHub
 * environment, which has the reviewers). Both read and lock the environment's state.
 */
export class CiRoles extends Construct {
  readonly plan: IamRole;
  readonly apply: IamRole;

  constructor(scope: Construct, id: string, props: CiRolesProps) {
    super(scope, id);
    const trust = (subjects: string[]) =>
      policyDocument([
        {
          Effect: "Allow",
          Principal: { Federated: props.oidcProviderArn },
          Action: "sts:AssumeRoleWithWebIdentity",
          Condition: {
            StringEquals: { [`${githubIssuer}:aud`]: "sts.amazonaws.com", [`${githubIssuer}:sub`]: subjects },
          },
        } as PolicyStatement,
      ]);
    const repo = `repo:${props.repository}`;
    this.plan = new IamRole(this, "plan", {
      name: props.planRoleName,
      assumeRolePolicy: trust([`${repo}:pull_request`, `${repo}:ref:refs/heads/main`]),
      maxSessionDuration: 3600,
    });
    this.apply = new IamRole(this, "apply", {
      name: props.applyRoleName,
      assumeRolePolicy: trust([`${repo}:environment:${props.environment}`]),
      maxSessionDuration: 7200,
    });

    const state = props.state;
    const stateAccess = (write: boolean): PolicyStatement[] => [
      {
        Sid: "ListState",
        Effect: "Allow",
        Action: "s3:ListBucket",
        Resource: state.bucketArn,
        Condition: { StringLike: { "s3:prefix": [`${state.keyPrefix}/*`] } },
      },
      {
        Sid: "ReadWriteState",
        Effect: "Allow",
        Action: write ? ["s3:GetObject", "s3:PutObject"] : ["s3:GetObject"],
        Resource: `${state.bucketArn}/${state.keyPrefix}/*`,
      },
      // Plans lock the state too: the S3 lock file sits beside it (<key>.tflock).
      {
        Sid: "LockState",
        Effect: "Allow",
        Action: ["s3:PutObject", "s3:DeleteObject"],
        Resource: `${state.bucketArn}/${state.keyPrefix}/*.tflock`,
      },
      { Sid: "StateKey", Effect: "Allow", Action: ["kms:Decrypt", "kms:GenerateDataKey"], Resource: state.kmsKeyArn },
    ];
    new IamRolePolicyAttachment(this, "plan-read-only", {
      role: this.plan.name,
      policyArn: `arn:${props.partition}:iam::aws:policy/ReadOnlyAccess`,
    });
    new IamRolePolicy(this, "plan-state", {
      role: this.plan.name,
      name: "state",
      policy: policyDocument([
        ...stateAccess(false),
        // ReadOnlyAccess reads every object: a plan needs the state's, never the lake's data.
        {
          Sid: "NoDataReads",
          Effect: "Deny",
          Action: ["s3:GetObject", "s3:GetObjectVersion"],
          NotResource: [`${state.bucketArn}/*`],
        },
      ]),
    });

    const iam = (kind: string) => `arn:${props.partition}:iam::${props.accountId}:${kind}/${props.namePrefix}-*`;
    new IamRolePolicy(this, "apply-policy", {
      role: this.apply.name,
      name: "apply",
      policy: policyDocument([
        ...stateAccess(true),
        { Sid: "ManagedServices", Effect: "Allow", Action: managedServices.map((svc) => `${svc}:*`), Resource: "*" },
        // IAM only on the environment's own names (and its GitHub OIDC provider, read).
        {
          Sid: "OwnIam",
          Effect: "Allow",
          Action: [
            "iam:*Role*",
            "iam:*RolePolicy*",
            "iam:*InstanceProfile*",
            "iam:PassRole",
            "iam:TagRole",
            "iam:UntagRole",
          ],
          Resource: [iam("role"), iam("instance-profile")],
        },
        {
          Sid: "OidcProviders",
          Effect: "Allow",
          Action: ["iam:*OpenIDConnectProvider*"],
          Resource: `arn:${props.partition}:iam::${props.accountId}:oidc-provider/oidc.eks.*`,
        },
        {
          Sid: "ServiceLinkedRoles",
          Effect: "Allow",
          Action: "iam:CreateServiceLinkedRole",
          Resource: `arn:${props.partition}:iam::${props.accountId}:role/aws-service-role/*`,
        },
        { Sid: "ReadIam", Effect: "Allow", Action: ["iam:Get*", "iam:List*"], Resource: "*" },
        // Its own names match the prefix: CI never changes its own roles (only the bootstrap does).
        { Sid: "NotCiRoles", Effect: "Deny", Action: "iam:*", Resource: [this.plan.arn, this.apply.arn] },
      ]),
    });
  }
}
