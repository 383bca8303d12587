// What an addons or apps stack starts with: its backend, its providers and the Foundation contract
// of its environment (AWS foundation or plain cluster).
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import type { TerraformStack } from "cdktf";
import type { EnvironmentConfig } from "../config/schema";
import type { Foundation } from "../constructs/platform/contract";
import { configureBackend, defaultTags } from "./backend";
import { awsFoundation } from "./foundation-aws";
import { localFoundation } from "./foundation-local";
import { kubernetesProviders } from "./kubernetes-providers";

export function platformContext(stack: TerraformStack, env: EnvironmentConfig, layer: "addons" | "apps"): Foundation {
  configureBackend(stack, env, layer);
  let foundation: Foundation;
  if (env.platform === "aws") {
    new AwsProvider(stack, "aws", {
      region: env.aws.region,
      allowedAccountIds: [env.aws.accountId],
      defaultTags: [{ tags: defaultTags(env) }],
    });
    foundation = awsFoundation(stack, env);
  } else {
    foundation = localFoundation(env);
  }
  kubernetesProviders(stack, foundation.cluster);
  return foundation;
}
