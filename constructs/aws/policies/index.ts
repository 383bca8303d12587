// IAM permissions of the platform's workloads, each scoped to what the workload does.
import type { PolicyStatement } from "../../../lib/aws";

/** Read and write objects in the given lake buckets (optionally under one prefix only), through
 *  their KMS key. `name` keeps statement ids unique when a policy holds several such grants. */
export function lakeReadWrite(
  bucketArns: string[],
  kmsKeyArn: string,
  prefix?: string,
  name = "Lake",
): PolicyStatement[] {
  return objectAccess(
    bucketArns,
    kmsKeyArn,
    prefix,
    name,
    ["s3:GetObject", "s3:PutObject", "s3:DeleteObject", "s3:AbortMultipartUpload", "s3:ListMultipartUploadParts"],
    ["kms:Decrypt", "kms:GenerateDataKey"],
  );
}

/** Read objects under one prefix of the given buckets (another cluster's replicated files). */
export function objectsRead(bucketArns: string[], kmsKeyArn: string, prefix: string, name: string): PolicyStatement[] {
  return objectAccess(bucketArns, kmsKeyArn, prefix, name, ["s3:GetObject"], ["kms:Decrypt"]);
}

function objectAccess(
  bucketArns: string[],
  kmsKeyArn: string,
  prefix: string | undefined,
  name: string,
  objectActions: string[],
  keyActions: string[],
): PolicyStatement[] {
  const write = objectActions.includes("s3:PutObject");
  return [
    {
      Sid: `List${name}`,
      Effect: "Allow",
      Action: "s3:ListBucket",
      Resource: bucketArns,
      ...(prefix ? { Condition: { StringLike: { "s3:prefix": [prefix, `${prefix}/*`] } } } : {}),
    },
    {
      Sid: `Locate${name}`,
      Effect: "Allow",
      Action: ["s3:GetBucketLocation", ...(write ? ["s3:ListBucketMultipartUploads", "s3:ListBucketVersions"] : [])],
      Resource: bucketArns,
    },
    {
      Sid: `${write ? "ReadWrite" : "Read"}${name}Objects`,
      Effect: "Allow",
      Action: objectActions,
      Resource: bucketArns.map((arn) => (prefix ? `${arn}/${prefix}/*` : `${arn}/*`)),
    },
    { Sid: `Use${name}Key`, Effect: "Allow", Action: keyActions, Resource: kmsKeyArn },
  ];
}

/** Read the secrets under one name prefix (external-secrets' ClusterSecretStore). */
export function secretsRead(
  secretArnPrefix: string,
  kmsKeyArn: string,
  ...moreSecretArns: (string | undefined)[]
): PolicyStatement[] {
  const more = moreSecretArns.filter((arn): arn is string => arn !== undefined);
  return [
    {
      Sid: "ReadEnvironmentSecrets",
      Effect: "Allow",
      Action: ["secretsmanager:GetSecretValue", "secretsmanager:DescribeSecret", "secretsmanager:ListSecretVersionIds"],
      Resource: more.length ? [`${secretArnPrefix}*`, ...more] : `${secretArnPrefix}*`,
    },
    { Sid: "DecryptEnvironmentSecrets", Effect: "Allow", Action: "kms:Decrypt", Resource: kmsKeyArn },
  ];
}

/** Read the master secret RDS creates when it promotes the replica `dbInstanceArn`: its name
 *  (rds!db-<uuid>) is unknown before, so it is matched by the tag RDS puts on it. Granted while
 *  the replica is still one, so that a failover changes no IAM (whose control plane is us-east-1). */
export function promotedMasterSecretRead(
  region: string,
  accountId: string,
  partition: string,
  dbInstanceArn: string,
): PolicyStatement {
  return {
    Sid: "ReadPromotedMasterSecret",
    Effect: "Allow",
    Action: ["secretsmanager:GetSecretValue", "secretsmanager:DescribeSecret"],
    Resource: `arn:${partition}:secretsmanager:${region}:${accountId}:secret:rds!db-*`,
    Condition: { StringEquals: { "secretsmanager:ResourceTag/aws:rds:primaryDBInstanceArn": dbInstanceArn } },
  };
}

export { loadBalancerControllerStatements } from "./load-balancer-controller";
