// Scheduling for stateless pods that survive interruption: they tolerate the interruptible nodes'
// taint and prefer those nodes (spot capacity), and still run elsewhere when there are none.
import type { Foundation } from "../platform/contract";

export function toleratesInterruption(nodes: Foundation["interruptible"]): { tolerations: object[] } | Record<string, never> {
  return nodes ? { tolerations: [{ key: nodes.key, operator: "Equal", value: nodes.value, effect: "NoSchedule" }] } : {};
}

export function prefersInterruptible(nodes: Foundation["interruptible"]): { tolerations?: object[]; affinity?: object } {
  if (!nodes) return {};
  return {
    ...toleratesInterruption(nodes),
    affinity: {
      nodeAffinity: {
        preferredDuringSchedulingIgnoredDuringExecution: [{ weight: 100, preference: { matchExpressions: [{ key: nodes.key, operator: "In", values: [nodes.value] }] } }],
      },
    },
  };
}
