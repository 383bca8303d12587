// Kubernetes service accounts that receive AWS roles: the foundation binds a role to each, the
// add-ons and apps create them under exactly these names.
export const serviceAccounts = {
  airbyte: { namespace: "airbyte", name: "airbyte-admin" },
  dremio: { namespace: "dremio", name: "dremio" },
  externalSecrets: { namespace: "external-secrets", name: "external-secrets" },
  loadBalancerController: { namespace: "kube-system", name: "aws-load-balancer-controller" },
  karpenter: { namespace: "karpenter", name: "karpenter" },
  /** Elasticsearch's S3 snapshot repository, through IRSA (the only documented way). */
  elasticsearchSnapshots: { namespace: "elastic", name: "elasticsearch-snapshots" },
} as const;

export { appDatabases, generatedSecrets } from "../constructs/platform/contract";
