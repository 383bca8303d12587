// Scheduling for stateless pods that survive interruption: they tolerate the interruptible nodes'
// taint and prefer those nodes (spot capacity), and still run elsewhere when there are none.
import type { Foundation } from "../platform/contract";
import type { Affinity, Toleration } from "./manifest-types";

export function toleratesInterruption(
  nodes: Foundation["interruptible"],
): { tolerations: Toleration[] } | Record<string, never> {
  return nodes
    ? { tolerations: [{ key: nodes.key, operator: "Equal", value: nodes.value, effect: "NoSchedule" }] }
    : {};
}

export function prefersInterruptible(nodes: Foundation["interruptible"]): {
  tolerations?: Toleration[];
  affinity?: Affinity;
} {
  if (!nodes) return {};
  return {
    ...toleratesInterruption(nodes),
    affinity: {
      nodeAffinity: {
        preferredDuringSchedulingIgnoredDuringExecution: [
          {
            weight: 100,
            preference: { matchExpressions: [{ key: nodes.key, operator: "In", values: [nodes.value] }] },
          },
        ],
      },
    },
  };
}
