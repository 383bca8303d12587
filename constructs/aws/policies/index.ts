// IAM permissions of the platform's workloads, each scoped to what the workload does.
import type { PolicyStatement } from "../../../lib/aws";
import lbcPolicy from "./aws-load-balancer-controller.json";

/** Read and write objects in the given lake buckets (optionally under one prefix only), through
 *  their KMS key. */
export function lakeReadWrite(bucketArns: string[], kmsKeyArn: string, prefix?: string): PolicyStatement[] {
  return [
    {
      Sid: "ListLake",
      Effect: "Allow",
      Action: "s3:ListBucket",
      Resource: bucketArns,
      ...(prefix ? { Condition: { StringLike: { "s3:prefix": [prefix, `${prefix}/*`] } } } : {}),
    },
    { Sid: "LocateLake", Effect: "Allow", Action: ["s3:GetBucketLocation", "s3:ListBucketMultipartUploads", "s3:ListBucketVersions"], Resource: bucketArns },
    {
      Sid: "ReadWriteLakeObjects",
      Effect: "Allow",
      Action: ["s3:GetObject", "s3:PutObject", "s3:DeleteObject", "s3:AbortMultipartUpload", "s3:ListMultipartUploadParts"],
      Resource: bucketArns.map((a) => (prefix ? `${a}/${prefix}/*` : `${a}/*`)),
    },
    { Sid: "UseLakeKey", Effect: "Allow", Action: ["kms:Decrypt", "kms:GenerateDataKey"], Resource: kmsKeyArn },
  ];
}

/** Read the secrets under one name prefix (external-secrets' ClusterSecretStore). */
export function secretsRead(secretArnPrefix: string, kmsKeyArn: string, ...moreSecretArns: (string | undefined)[]): PolicyStatement[] {
  const more = moreSecretArns.filter((a): a is string => a !== undefined);
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

/** The AWS Load Balancer Controller's upstream policy (docs/install/iam_policy.json, v3.5.0). */
export const loadBalancerControllerPolicy: string = JSON.stringify(lbcPolicy);
