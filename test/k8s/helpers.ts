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
export function manifests(s: Synthesized, kind: string): Record<string, any>[] {
  return Object.values(s.resource?.kubernetes_manifest ?? {})
    .map((m: any) => m.manifest)
    .filter((m: any) => m.kind === kind);
}

/** Parsed values of every helm_release, by release name. */
export function releaseValues(s: Synthesized): Record<string, any> {
  return Object.fromEntries(
    Object.values(s.resource?.helm_release ?? {}).map((r: any) => [r.name, parse(r.values[0])]),
  );
}
