// The policy suite: every rule, and the aspect that applies them per stack.
import { awsMiscRules } from "./rules/aws-misc";
import { dependencyRules } from "./rules/dependencies";
import { eksRules } from "./rules/eks";
import { iamRules } from "./rules/iam";
import { kubernetesRules } from "./rules/kubernetes";
import { kubernetesStackRules } from "./rules/kubernetes-stack";
import { loadBalancerRules } from "./rules/load-balancers";
import { quantityRules } from "./rules/quantities";
import { rdsRules } from "./rules/rds";
import { s3Rules } from "./rules/s3";
import { secretRules } from "./rules/secrets";
import { securityGroupRules } from "./rules/security-groups";
import { stateRules } from "./rules/state";
import type { PolicyRule } from "./rule";

export const allRules: readonly PolicyRule[] = [
  ...s3Rules,
  ...rdsRules,
  ...eksRules,
  ...awsMiscRules,
  ...iamRules,
  ...securityGroupRules,
  ...loadBalancerRules,
  ...kubernetesRules,
  ...kubernetesStackRules,
  ...secretRules,
  ...stateRules,
  ...dependencyRules,
  ...quantityRules,
];

export * from "./rule";
export * from "./aspect";
