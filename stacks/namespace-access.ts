// What the foundation asks of the namespaces a stack creates, applied in one place once the
// stack's constructs exist: the constructs that create namespaces need not know which service
// accounts have an AWS role.
import type { Construct } from "constructs";
import { platformNamespaces } from "../constructs/k8s/platform-namespace";
import type { Foundation } from "../constructs/platform/contract";

/**
 * Every namespace whose service account has an EKS Pod Identity role reaches the node-local agent
 * that hands out its credentials (default deny would block it, and the VPC CNI enforces it).
 * Namespaces created in other stacks are left to those stacks' calls.
 */
export function completeNamespaces(stack: Construct, f: Foundation): void {
  const namespaces = platformNamespaces(stack);
  const credentials = f.podCredentials;
  if (credentials) for (const name of credentials.namespaces) namespaces.get(name)?.allowEgressTo("pod-identity-agent", credentials.agent);
}
