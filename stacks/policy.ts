// Every stack carries the policy suite as an aspect (cdktf 0.21 ignores aspects added to the App),
// with its environment's tier and the waivers configured for it. Error-level violations fail that
// stack's synthesis; all of them are reported together as annotations.
import { Aspects, type TerraformStack } from "cdktf";
import type { EnvironmentConfig } from "../config/schema";
import { allRules, PolicyAspect, type Waiver } from "../policy";

/** The waivers of an environment that apply to one of its stacks. */
export function waiversFor(env: EnvironmentConfig, stackId: string): Waiver[] {
  return env.policy.waivers
    .filter((waiver) => waiver.stack === undefined || waiver.stack === stackId)
    .map(({ rule, address, reason }) => ({ rule, address, reason }));
}

export function addPolicy(stack: TerraformStack, env: EnvironmentConfig): PolicyAspect {
  const aspect = new PolicyAspect({ tier: env.tier, rules: allRules, waivers: waiversFor(env, stack.node.id) });
  Aspects.of(stack).add(aspect);
  return aspect;
}

/** The policy aspect a stack was built with, if any. */
export function policyOf(stack: TerraformStack): PolicyAspect | undefined {
  return Aspects.of(stack).all.find((aspect): aspect is PolicyAspect => aspect instanceof PolicyAspect);
}
