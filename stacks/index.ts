// The only place that turns environments into stacks.
import type { App } from "cdktf";
import type { AwsEnvironment, EnvironmentConfig } from "../config/schema";
import { FoundationStack } from "./foundation-stack";
import { stackId } from "./naming";

export function buildStacks(app: App, environments: EnvironmentConfig[]): void {
  const byName = new Map(environments.map((e) => [e.name, e]));
  for (const env of environments) {
    if (env.platform === "aws") {
      const source = env.standbyOf ? (byName.get(env.standbyOf) as AwsEnvironment) : undefined;
      new FoundationStack(app, stackId(env, "foundation"), env, source);
    }
  }
}
