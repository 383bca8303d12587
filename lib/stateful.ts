// Resource types whose loss loses data or breaks everything that references them: the address-lock
// test and the CI plan summary both read this list.
export const statefulTypes = [
  "aws_db_instance",
  "aws_s3_bucket",
  "aws_kms_key",
  "aws_eks_cluster",
  "aws_cloudwatch_log_group",
  "aws_secretsmanager_secret",
  "aws_vpc",
  // Kubernetes side: a release or namespace at a new address is uninstalled and recreated.
  "helm_release",
  "kubernetes_namespace_v1",
] as const;

/** Types whose deletion must be blocked by prevent_destroy in protected tiers (all but the VPC,
 *  which cannot be deleted while anything is in it). */
export const preventDestroyTypes = statefulTypes.filter((t) => t.startsWith("aws_") && t !== "aws_vpc");

/** The Terraform addresses of a synthesized stack's stateful resources, sorted. */
export function statefulAddresses(stack: { resource?: Record<string, Record<string, unknown>> }): string[] {
  return statefulTypes.flatMap((t) => Object.keys(stack.resource?.[t] ?? {}).map((name) => `${t}.${name}`)).sort();
}
