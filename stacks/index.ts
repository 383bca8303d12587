// The only place that turns environments into stacks, in the order they are applied:
// foundation (AWS only) -> addons -> apps.
import type { App } from "cdktf";
import type { AwsEnvironment, EnvironmentConfig } from "../config/schema";
import { AddonsStack } from "./addons-stack";
import { AppsStack } from "./apps-stack";
import { FoundationStack } from "./foundation-stack";
import { stackId } from "./naming";

export function buildStacks(app: App, environments: EnvironmentConfig[]): void {
  const byName = new Map(environments.map((e) => [e.name, e]));
  for (const env of environments) {
    let foundation: FoundationStack | undefined;
    if (env.platform === "aws") {
      const source = env.standbyOf ? (byName.get(env.standbyOf) as AwsEnvironment) : undefined;
      foundation = new FoundationStack(app, stackId(env, "foundation"), env, source);
    }
    const addons = new AddonsStack(app, stackId(env, "addons"), env);
    if (foundation) addons.addDependency(foundation);
    new AppsStack(app, stackId(env, "apps"), env).addDependency(addons);
  }
}
