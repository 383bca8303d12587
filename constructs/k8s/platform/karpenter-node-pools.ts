import { Construct } from "constructs";
import { typedManifest, type Taint } from "../manifest-types";

export interface KarpenterNodePoolsProps {
  readonly clusterName: string;
  readonly nodeRoleName: string;
  readonly zones: readonly string[];
  /** Pinned AMI alias, e.g. al2023@v20260903. */
  readonly amiAlias: string;
  /** Upper bound of vCPUs each pool may launch. */
  readonly cpuLimit: number;
}

/** The spot pool's taint and node label: stateless pods that survive interruption tolerate and
 *  prefer it (Foundation.interruptible). */
export const statelessNodes = { key: "workload-class", value: "stateless" } as const;

/**
 * One EC2NodeClass (hardened like the managed node groups: IMDSv2 with one hop, encrypted gp3) and
 * two NodePools across the environment's zones: on-demand for stateful work, spot for stateless
 * workers (which tolerate the `workload-class=stateless` taint to land there).
 */
export class KarpenterNodePools extends Construct {
  constructor(scope: Construct, id: string, props: KarpenterNodePoolsProps) {
    super(scope, id);
    const nodeClass = typedManifest(this, "node-class", {
      manifest: {
        apiVersion: "karpenter.k8s.aws/v1",
        kind: "EC2NodeClass",
        metadata: { name: "default" },
        spec: {
          role: props.nodeRoleName,
          amiSelectorTerms: [{ alias: props.amiAlias }],
          subnetSelectorTerms: [{ tags: { "karpenter.sh/discovery": props.clusterName } }],
          securityGroupSelectorTerms: [{ tags: { "karpenter.sh/discovery": props.clusterName } }],
          metadataOptions: {
            httpEndpoint: "enabled",
            httpTokens: "required",
            httpPutResponseHopLimit: 1,
            httpProtocolIPv6: "disabled",
          },
          blockDeviceMappings: [
            {
              deviceName: "/dev/xvda",
              ebs: { volumeSize: "100Gi", volumeType: "gp3", encrypted: true, deleteOnTermination: true },
            },
          ],
          tags: { "karpenter.sh/discovery": props.clusterName },
        },
      },
    });
    const pool = (name: string, capacity: "on-demand" | "spot", taints: Taint[]) =>
      typedManifest(this, `pool-${name}`, {
        manifest: {
          apiVersion: "karpenter.sh/v1",
          kind: "NodePool",
          metadata: { name },
          spec: {
            template: {
              metadata: { labels: { [statelessNodes.key]: name } },
              spec: {
                nodeClassRef: { group: "karpenter.k8s.aws", kind: "EC2NodeClass", name: "default" },
                requirements: [
                  { key: "karpenter.sh/capacity-type", operator: "In", values: [capacity] },
                  { key: "topology.kubernetes.io/zone", operator: "In", values: [...props.zones] },
                  { key: "kubernetes.io/arch", operator: "In", values: ["amd64"] },
                  { key: "karpenter.k8s.aws/instance-category", operator: "In", values: ["c", "m", "r"] },
                  { key: "karpenter.k8s.aws/instance-generation", operator: "Gt", values: ["5"] },
                ],
                taints,
                expireAfter: "720h",
              },
            },
            limits: { cpu: String(props.cpuLimit) },
            disruption:
              capacity === "spot"
                ? { consolidationPolicy: "WhenEmptyOrUnderutilized", consolidateAfter: "1m" }
                : // Stateful pods move only when a node is empty, one node at a time.
                  { consolidationPolicy: "WhenEmpty", consolidateAfter: "10m", budgets: [{ nodes: "1" }] },
          },
        },
        dependsOn: [nodeClass],
      });
    pool("stateful", "on-demand", []);
    pool(statelessNodes.value, "spot", [{ ...statelessNodes, effect: "NoSchedule" }]);
  }
}
