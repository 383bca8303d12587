// The policy suite: every rule, and the aspect that applies them per stack.
import { awsMiscRules } from "./rules/aws-misc";
import { eksRules } from "./rules/eks";
import { kubernetesRules } from "./rules/kubernetes";
import { rdsRules } from "./rules/rds";
import { s3Rules } from "./rules/s3";
import type { PolicyRule } from "./rule";

export const allRules: readonly PolicyRule[] = [...s3Rules, ...rdsRules, ...eksRules, ...awsMiscRules, ...kubernetesRules];

export * from "./rule";
export * from "./aspect";
