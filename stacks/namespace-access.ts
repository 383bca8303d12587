// What the foundation and the shared entry point ask of the namespaces a stack creates, applied in
// one place once the stack's constructs exist: the constructs that create namespaces need not know
// which service accounts have an AWS role, or whether an ALB routes to them.
import type { Construct } from "constructs";
import { podReadinessGateLabel } from "../constructs/k8s/addons/aws-load-balancer-controller";
import { platformNamespaces } from "../constructs/k8s/platform-namespace";
import type { ExposedService } from "../constructs/k8s/workloads/types";
import type { Foundation } from "../constructs/platform/contract";

/**
 * - Every namespace whose service account has an EKS Pod Identity role reaches the node-local
 *   agent that hands out its credentials (default deny would block it, and the VPC CNI enforces it).
 * - On the shared ALB, every namespace with a Service behind it is labelled so that the load
 *   balancer controller injects readiness gates into its pods.
 * `exposed`: the services this environment routes to from its entry point; namespaces created in
 * other stacks are left to those stacks' calls.
 */
export function completeNamespaces(stack: Construct, foundation: Foundation, exposed: readonly ExposedService[]): void {
  const namespaces = platformNamespaces(stack);
  const credentials = foundation.podCredentials;
  if (credentials)
    for (const name of credentials.namespaces)
      namespaces.get(name)?.allowEgressTo("pod-identity-agent", credentials.agent);
  if (foundation.tls.kind === "alb")
    for (const name of new Set(exposed.map((service) => service.namespace)))
      namespaces.get(name)?.addLabels(podReadinessGateLabel);
}
