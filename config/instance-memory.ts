// Memory (GiB) of the EC2 instance types this product's node groups commonly use, by family and
// size, from AWS's published specifications. Used to check that a JVM workload pinned to the
// managed node group fits one node; a type not listed here is not judged.

const sizes = {
  large: 1,
  xlarge: 2,
  "2xlarge": 4,
  "4xlarge": 8,
  "8xlarge": 16,
  "12xlarge": 24,
  "16xlarge": 32,
} as const;
/** GiB per `large` instance of each family (compute 4, general purpose 8, memory optimized 16). */
const perLarge: Record<string, number> = {
  c6i: 4,
  c7i: 4,
  c6a: 4,
  c7a: 4,
  c6g: 4,
  c7g: 4,
  m6i: 8,
  m7i: 8,
  m6a: 8,
  m7a: 8,
  m6g: 8,
  m7g: 8,
  r6i: 16,
  r7i: 16,
  r6a: 16,
  r7a: 16,
  r6g: 16,
  r7g: 16,
};

export function instanceMemoryGiB(type: string): number | undefined {
  const [family, size] = type.split(".");
  const base = perLarge[family ?? ""];
  const factor = sizes[size as keyof typeof sizes];
  return base !== undefined && factor !== undefined ? base * factor : undefined;
}

/** Share of a node's memory left to pods after the kubelet's reservation, eviction threshold and
 *  the system DaemonSets (VPC CNI, kube-proxy, EBS CSI, pod identity agent, log shipper). */
export const allocatableShare = 0.85;
