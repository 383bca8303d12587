// IAM: no administrator wildcards, no role anyone can assume, no "*" resources for services that
// support resource-level permissions.
import { allTiers, asArray, parseJson, type PolicyRule } from "../rule";

const identityPolicyTypes = ["aws_iam_role_policy", "aws_iam_policy", "aws_iam_user_policy", "aws_iam_group_policy"];

const isWildcardAction = (action: unknown) => action === "*" || action === "iam:*";

/** The Allow statements of a literal policy document; undefined when it is not literal JSON. */
function allowStatements(policy: unknown): any[] | undefined {
  const doc = parseJson(policy);
  return doc ? asArray<any>(doc.Statement).filter((statement) => statement?.Effect === "Allow") : undefined;
}

/** Condition keys that pin who may assume a role shared with "*". */
const restrictingKeys = [
  "aws:principalorgid",
  "aws:principalorgpaths",
  "aws:principalaccount",
  "aws:principalarn",
  "aws:sourceaccount",
  "aws:sourcearn",
  "aws:sourceorgid",
  "aws:sourceorgpaths",
];

/** True when a condition narrows the principals: a positive operator on a restricting key with no "*" value. */
function restrictsPrincipal(condition: unknown): boolean {
  if (!condition || typeof condition !== "object") return false;
  return Object.entries(condition as Record<string, Record<string, unknown>>).some(
    ([op, keys]) =>
      !/Not|Null|IfExists/i.test(op) &&
      Object.entries(keys ?? {}).some(
        ([k, values]) =>
          restrictingKeys.includes(k.toLowerCase()) &&
          asArray(values).length > 0 &&
          !asArray(values).some((value) => value === "*"),
      ),
  );
}

function isPublicPrincipal(principal: unknown): boolean {
  if (principal === "*") return true;
  return (
    !!principal && typeof principal === "object" && asArray((principal as Record<string, unknown>).AWS).includes("*")
  );
}

/** Services with resource-level permissions for (nearly) every action. */
const scopedServices = ["s3", "kms", "secretsmanager", "sqs", "sns", "dynamodb"];

/** Their account-level actions, which only accept Resource "*". */
const accountLevelActions = new Set(
  [
    "s3:ListAllMyBuckets",
    "s3:GetAccountPublicAccessBlock",
    "s3:PutAccountPublicAccessBlock",
    "s3:ListAccessPoints",
    "s3:ListJobs",
    "s3:CreateJob",
    "s3:ListMultiRegionAccessPoints",
    "s3:ListStorageLensConfigurations",
    "s3:ListAccessPointsForObjectLambda",
    "kms:CreateKey",
    "kms:GenerateRandom",
    "kms:ListAliases",
    "kms:ListKeys",
    "kms:ListRetirableGrants",
    "kms:CreateCustomKeyStore",
    "kms:DescribeCustomKeyStores",
    "secretsmanager:GetRandomPassword",
    "secretsmanager:ListSecrets",
    "secretsmanager:BatchGetSecretValue",
    "sqs:ListQueues",
    "sns:ListTopics",
    "sns:ListSubscriptions",
    "sns:ListPlatformApplications",
    "sns:GetSMSAttributes",
    "sns:SetSMSAttributes",
    "dynamodb:ListTables",
    "dynamodb:DescribeLimits",
    "dynamodb:ListBackups",
    "dynamodb:ListStreams",
    "dynamodb:ListGlobalTables",
    "dynamodb:DescribeEndpoints",
    "dynamodb:DescribeReservedCapacity",
    "dynamodb:DescribeReservedCapacityOfferings",
    "dynamodb:ListContributorInsights",
    "dynamodb:ListExports",
    "dynamodb:ListImports",
  ].map((action) => action.toLowerCase()),
);

function isScopableAction(action: unknown): boolean {
  if (typeof action !== "string") return false;
  const [service] = action.toLowerCase().split(":");
  return scopedServices.includes(service!) && !accountLevelActions.has(action.toLowerCase());
}

export const iamRules: PolicyRule[] = [
  {
    id: "IAM-001",
    title: "No administrator wildcards",
    message: 'replace Action "*" / "iam:*" on Resource "*" with the actions and resources needed',
    fix: { code: [] },
    errorTiers: allTiers,
    resourceTypes: identityPolicyTypes,
    check: ({ attrs }) => {
      const bad = (allowStatements(attrs.policy) ?? []).filter(
        (statement) => asArray(statement.Action).some(isWildcardAction) && asArray(statement.Resource).includes("*"),
      );
      return bad.length
        ? `${bad.length} statement(s) allow ${asArray(bad[0].Action).filter(isWildcardAction).join(", ")} on *`
        : undefined;
    },
  },
  {
    id: "IAM-002",
    title: "No role anyone can assume",
    message:
      'name the principals in assume_role_policy, or restrict Principal "*" with a Condition on aws:PrincipalOrgID, aws:PrincipalAccount, aws:PrincipalArn or aws:SourceArn/SourceAccount',
    fix: { code: [] },
    errorTiers: allTiers,
    resourceTypes: ["aws_iam_role"],
    check: ({ attrs }) => {
      const bad = (allowStatements(attrs.assume_role_policy) ?? []).filter(
        (statement) => isPublicPrincipal(statement.Principal) && !restrictsPrincipal(statement.Condition),
      );
      return bad.length
        ? `${bad.length} statement(s) let any AWS principal assume the role (${JSON.stringify(bad[0].Principal)}, no restricting Condition)`
        : undefined;
    },
  },
  {
    id: "IAM-003",
    title: "Resource-scoped actions name their resources",
    message: `replace Resource "*" with the ARNs needed for ${scopedServices.map((service) => `${service}:`).join(" ")} actions (they support resource-level permissions)`,
    fix: { code: [] },
    errorTiers: allTiers,
    resourceTypes: identityPolicyTypes,
    check: ({ attrs }) => {
      const actions = (allowStatements(attrs.policy) ?? [])
        .filter((statement) => asArray(statement.Resource).includes("*"))
        .flatMap((statement) => asArray<string>(statement.Action).filter(isScopableAction));
      return actions.length ? `${[...new Set(actions)].join(", ")} allowed on Resource "*"` : undefined;
    },
  },
];
