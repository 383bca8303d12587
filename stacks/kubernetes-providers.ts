// Kubernetes and Helm providers for an addons or apps stack. On EKS they authenticate with a token
// from `aws eks get-token` at plan and apply time: no token is ever stored in state.
import { DataAwsEksCluster } from "@cdktf/provider-aws/lib/data-aws-eks-cluster";
import { HelmProvider } from "@cdktf/provider-helm/lib/provider";
import { KubernetesProvider } from "@cdktf/provider-kubernetes/lib/provider";
import { Fn, type TerraformStack } from "cdktf";
import type { ClusterConnection } from "../constructs/platform/contract";

export function kubernetesProviders(stack: TerraformStack, cluster: ClusterConnection): void {
  if (cluster.kind === "kubeconfig") {
    const conn = { configPath: cluster.path, configContext: cluster.context };
    new KubernetesProvider(stack, "kubernetes", conn);
    new HelmProvider(stack, "helm", { kubernetes: conn });
    return;
  }
  // Looked up by name: the cluster exists once the foundation stack is applied.
  const eks = new DataAwsEksCluster(stack, "eks", { name: cluster.clusterName });
  const exec = {
    apiVersion: "client.authentication.k8s.io/v1beta1",
    command: "aws",
    args: ["eks", "get-token", "--cluster-name", cluster.clusterName, "--region", cluster.region],
  };
  const conn = { host: eks.endpoint, clusterCaCertificate: Fn.base64decode(eks.certificateAuthority.get(0).data) };
  new KubernetesProvider(stack, "kubernetes", { ...conn, exec: [exec] });
  new HelmProvider(stack, "helm", { kubernetes: { ...conn, exec } });
}
