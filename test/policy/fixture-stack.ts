// A fixture stack with the AWS, Kubernetes and Helm providers, run through the whole policy suite.
import { Aspects, Testing, TerraformStack } from "cdktf";
import type { Construct } from "constructs";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { KubernetesProvider } from "@cdktf/provider-kubernetes/lib/provider";
import { HelmProvider } from "@cdktf/provider-helm/lib/provider";
import { allRules, PolicyAspect, type Waiver } from "../../policy";
import type { Tier } from "../../config";

export function evaluate(build: (s: Construct) => unknown, tier: Tier = "production", waivers: Waiver[] = []) {
  const app = Testing.app();
  const stack = new TerraformStack(app, "fixture");
  new AwsProvider(stack, "aws", { region: "eu-west-1" });
  new KubernetesProvider(stack, "kubernetes", { configPath: "~/.kube/config" });
  new HelmProvider(stack, "helm", { kubernetes: { configPath: "~/.kube/config" } });
  build(stack);
  const aspect = new PolicyAspect({ tier, rules: allRules, waivers });
  Aspects.of(stack).add(aspect);
  Testing.synth(stack);
  return { app, stack, report: aspect.report! };
}
