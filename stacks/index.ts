// The only place that turns environments into stacks, in the order they are applied:
// foundation (AWS only) -> addons -> apps; a standby's foundation follows its source's, and its
// replication stack follows both foundations.
import type { App } from "cdktf";
import type { AwsEnvironment, EnvironmentConfig } from "../config/schema";
import { AddonsStack } from "./addons-stack";
import { AppsStack } from "./apps-stack";
import { FoundationStack } from "./foundation-stack";
import { ReplicationStack } from "./replication-stack";
import { stackId } from "./naming";
import { addPolicy } from "./policy";

export function buildStacks(app: App, environments: EnvironmentConfig[]): void {
  const byName = new Map(environments.map((env) => [env.name, env]));
  const foundations = new Map<string, FoundationStack>();
  for (const env of environments) {
    let foundation: FoundationStack | undefined;
    if (env.platform === "aws") {
      const source = env.standbyOf ? (byName.get(env.standbyOf) as AwsEnvironment) : undefined;
      const standby = environments.find(
        (candidate): candidate is AwsEnvironment => candidate.platform === "aws" && candidate.standbyOf === env.name,
      );
      foundation = new FoundationStack(app, stackId(env, "foundation"), env, source, standby);
      addPolicy(foundation, env);
      foundations.set(env.name, foundation);
    }
    const addons = new AddonsStack(app, stackId(env, "addons"), env);
    if (foundation) addons.addDependency(foundation);
    // A standby's apps serve its source's host names once promoted.
    const apps = new AppsStack(
      app,
      stackId(env, "apps"),
      env,
      env.platform === "aws" && env.standbyOf ? (byName.get(env.standbyOf) as AwsEnvironment) : undefined,
    );
    apps.addDependency(addons);
    addPolicy(addons, env);
    addPolicy(apps, env);
  }
  // Dependencies across environments: a standby's database replicates its source's, and its
  // replication stack writes rules on the source's buckets into its own.
  for (const env of environments) {
    if (env.platform !== "aws" || !env.standbyOf) continue;
    const source = byName.get(env.standbyOf) as AwsEnvironment;
    const own = foundations.get(env.name)!;
    const theirs = foundations.get(source.name)!;
    own.addDependency(theirs);
    const replication = new ReplicationStack(app, stackId(env, "replication"), env, source);
    replication.addDependency(own);
    replication.addDependency(theirs);
    addPolicy(replication, env);
  }
}
