// Synthesizes Kubernetes-side constructs in a stack with Kubernetes and Helm providers.
import { HelmProvider } from "@cdktf/provider-helm/lib/provider";
import { KubernetesProvider } from "@cdktf/provider-kubernetes/lib/provider";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { Testing } from "cdktf";
import type { Construct } from "constructs";
import { parse } from "yaml";
import type { Synthesized } from "../helpers";

export function synthK8s(build: (scope: Construct) => void): Synthesized {
  return JSON.parse(
    Testing.synthScope((scope) => {
      new KubernetesProvider(scope, "kubernetes", { configPath: "~/.kube/config" });
      new HelmProvider(scope, "helm", { kubernetes: { configPath: "~/.kube/config" } });
      new AwsProvider(scope, "aws", { region: "eu-west-1" });
      build(scope);
    }),
  ) as Synthesized;
}

/** Kubernetes manifests (kubernetes_manifest) by kind. */
export function manifests(synthesized: Synthesized, kind: string): Record<string, any>[] {
  return Object.values(synthesized.resource?.kubernetes_manifest ?? {})
    .map((resource: any) => resource.manifest)
    .filter((manifest: any) => manifest.kind === kind);
}

/** Parsed values of every helm_release, by release name. */
export function releaseValues(synthesized: Synthesized): Record<string, any> {
  return Object.fromEntries(
    Object.values(synthesized.resource?.helm_release ?? {}).map((release: any) => [
      release.name,
      parse(release.values[0]),
    ]),
  );
}
