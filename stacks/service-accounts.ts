// Kubernetes service accounts that receive AWS roles: the foundation binds a role to each, the
// add-ons and apps create them under exactly these names. `credentials` says how the role reaches
// the pods: an EKS Pod Identity association (credentials from the node-local agent) or IRSA.
export const serviceAccounts = {
  airbyte: { namespace: "airbyte", name: "airbyte-admin", credentials: "pod-identity" },
  dremio: { namespace: "dremio", name: "dremio", credentials: "pod-identity" },
  externalSecrets: { namespace: "external-secrets", name: "external-secrets", credentials: "pod-identity" },
  loadBalancerController: {
    namespace: "kube-system",
    name: "aws-load-balancer-controller",
    credentials: "pod-identity",
  },
  karpenter: { namespace: "karpenter", name: "karpenter", credentials: "pod-identity" },
  /** Elasticsearch's S3 snapshot repository, through IRSA (the only documented way). */
  elasticsearchSnapshots: { namespace: "elastic", name: "elasticsearch-snapshots", credentials: "irsa" },
} as const;

type Accounts = typeof serviceAccounts;
/** Keys of the service accounts the foundation associates with a role through EKS Pod Identity. */
export type PodIdentityAccount = {
  [K in keyof Accounts]: Accounts[K]["credentials"] extends "pod-identity" ? K : never;
}[keyof Accounts];

/** Namespaces whose pods fetch credentials from the EKS Pod Identity agent (on AWS). The EBS CSI
 *  driver and the VPC CNI are associated through their EKS add-ons, in kube-system, as is the
 *  load balancer controller: kube-system is not a platform namespace and has no default deny. */
export const podIdentityNamespaces: readonly string[] = [
  ...new Set(
    Object.values(serviceAccounts)
      .filter((sa) => sa.credentials === "pod-identity")
      .map((sa) => sa.namespace),
  ),
];

export { appDatabases, generatedSecrets } from "../constructs/platform/contract";
