// Shared shape of an add-on: its release lives in its own closed namespace.
import type { NetworkPeer } from "../../platform/contract";
import type { ChartSource } from "../helm-chart";

export interface AddonProps {
  readonly chart: ChartSource;
  readonly namespace: string;
  readonly apiServer: NetworkPeer;
  /** Replicas of the controller (2+ in multi-AZ clusters).
   *  @default 2 for the cluster add-ons (controllers, webhooks, metrics-server, karpenter); 1 for the operators */
  readonly replicas?: number;
}

export function resources(cpu: string, memory: string, memoryLimit = memory) {
  return { requests: { cpu, memory }, limits: { memory: memoryLimit } };
}
