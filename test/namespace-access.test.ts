// What namespaces must allow or carry because of the foundation and the shared ALB, checked
// across an environment's stacks: pods with an EKS Pod Identity role reach the agent that hands
// out their credentials, and pods behind the ALB get the load balancer controller's readiness gates.
import { describe, expect, it } from "vitest";
import { synthAll, type Synthesized } from "./helpers";
import type { Variant } from "./shared/variants";

const all = (stack: Synthesized, type: string) => Object.values(stack.resource?.[type] ?? {}) as Record<string, any>[];
const agentCidr = "169.254.170.23/32";
const readinessLabel = "elbv2.k8s.aws/pod-readiness-gate-inject";

/** An environment's cluster as its addons and apps stacks make it: namespaces by name, with the
 *  NetworkPolicies and Ingresses in each (namespace references resolved to names). */
function cluster(stacks: Synthesized[]) {
  const namespaces = new Map<string, Record<string, any>>();
  const policies: { namespace: string; spec: Record<string, any> }[] = [];
  const ingresses: { namespace: string; ingress: Record<string, any> }[] = [];
  for (const stack of stacks) {
    const byAddress = new Map(
      Object.entries(stack.resource?.kubernetes_namespace_v1 ?? {}).map(([address, namespace]: [string, any]) => [
        address,
        namespace.metadata.name as string,
      ]),
    );
    const nameOf = (ns: unknown) => {
      const ref = /^\$\{kubernetes_namespace_v1\.([^.]+)\.metadata\[0\]\.name\}$/.exec(String(ns))?.[1];
      return ref ? byAddress.get(ref)! : String(ns);
    };
    for (const namespace of all(stack, "kubernetes_namespace_v1")) namespaces.set(namespace.metadata.name, namespace);
    for (const policy of all(stack, "kubernetes_network_policy_v1"))
      policies.push({ namespace: nameOf(policy.metadata.namespace), spec: policy.spec });
    for (const i of all(stack, "kubernetes_ingress_v1"))
      ingresses.push({ namespace: nameOf(i.metadata.namespace), ingress: i });
  }
  return { namespaces, policies, ingresses };
}

/** Namespaces of the service accounts the foundation associates with a role through EKS Pod
 *  Identity: its own associations, and those of EKS add-ons (which run in kube-system). */
function podIdentityNamespaces(foundation: Synthesized): Set<string> {
  const own = all(foundation, "aws_eks_pod_identity_association").map((association) => association.namespace as string);
  const addons = all(foundation, "aws_eks_addon")
    .filter((addon) => addon.pod_identity_association)
    .map(() => "kube-system");
  return new Set([...own, ...addons]);
}

/** Does a policy let every pod of its namespace reach the Pod Identity agent on 80/TCP? */
const reachesAgent = (spec: Record<string, any>) =>
  Object.keys(spec.pod_selector?.match_labels ?? {}).length === 0 &&
  !spec.pod_selector?.match_expressions &&
  (spec.egress ?? []).some(
    (rule: any) =>
      (rule.to ?? []).some((destination: any) => destination.ip_block?.cidr === agentCidr) &&
      (rule.ports ?? []).some((port: any) => port.port === "80" && port.protocol === "TCP"),
  );

const awsEnvs = ["staging", "prod", "dr"] as const;
const envStacks = (env: string, variant: Variant = "committed") => {
  const all = synthAll(variant);
  return {
    foundation: all.get(`${env}-foundation`)!,
    addons: all.get(`${env}-addons`)!,
    apps: all.get(`${env}-apps`)!,
  };
};
const promotedDr = () => envStacks("dr", "drFailover");
const awsCases = () => [
  ...awsEnvs.map((env) => [env, envStacks(env)] as const),
  ["dr (failed over)", promotedDr()] as const,
];

describe("EKS Pod Identity agent", () => {
  it("every namespace with a Pod Identity service account reaches the agent; kube-system stays open", () => {
    for (const [env, stacks] of awsCases()) {
      const clusterState = cluster([stacks.addons, stacks.apps]);
      const associated = podIdentityNamespaces(stacks.foundation);
      expect([...associated].sort(), env).toEqual(
        expect.arrayContaining(["dremio", "external-secrets", "karpenter", "kube-system"]),
      );
      let closed = 0;
      for (const ns of associated) {
        if (clusterState.namespaces.has(ns)) {
          closed++;
          expect(
            clusterState.policies.some((policy) => policy.namespace === ns && reachesAgent(policy.spec)),
            `${env}: namespace ${ns} cannot reach ${agentCidr}:80`,
          ).toBe(true);
        } else {
          // Not a platform namespace (kube-system): no default deny, so nothing blocks the agent.
          expect(
            clusterState.policies.filter((policy) => policy.namespace === ns),
            `${env}: ${ns}`,
          ).toEqual([]);
        }
      }
      expect(closed, env).toBeGreaterThanOrEqual(3);
    }
  });

  it("is reached only from namespaces with an associated service account", () => {
    for (const [env, stacks] of awsCases()) {
      const associated = podIdentityNamespaces(stacks.foundation);
      const reaching = cluster([stacks.addons, stacks.apps])
        .policies.filter((policy) => JSON.stringify(policy.spec).includes("169.254.170.23"))
        .map((policy) => policy.namespace);
      for (const ns of reaching) expect(associated.has(ns), `${env}: ${ns}`).toBe(true);
    }
  });

  it("covers IPv4 only, as the clusters are IPv4-only (dual-stack would also need fd00:ec2::23/128)", () => {
    for (const env of awsEnvs) {
      const foundation = synthAll().get(`${env}-foundation`)!;
      for (const vpc of all(foundation, "aws_vpc"))
        expect(vpc.assign_generated_ipv6_cidr_block ?? false, env).toBe(false);
      for (const eks of all(foundation, "aws_eks_cluster"))
        expect(eks.kubernetes_network_config?.ip_family ?? "ipv4", env).toBe("ipv4");
    }
  });

  it("is not allowed on a plain cluster, which has no agent", () => {
    const clusterState = cluster([synthAll().get("dev-addons")!, synthAll().get("dev-apps")!]);
    expect(clusterState.policies.length).toBeGreaterThan(0);
    expect(clusterState.policies.filter((policy) => JSON.stringify(policy.spec).includes("169.254.170.23"))).toEqual(
      [],
    );
  });
});

describe("ALB readiness gates", () => {
  it("label the namespaces with a Service behind the shared ALB, and no other", () => {
    const cases = awsCases();
    const behindAlb = (clusterState: ReturnType<typeof cluster>) =>
      new Set(
        clusterState.ingresses.filter((i) => i.ingress.spec.ingress_class_name === "alb").map((i) => i.namespace),
      );
    const promoted = behindAlb(cluster([cases.at(-1)![1].addons, cases.at(-1)![1].apps]));
    for (const [env, stacks] of cases) {
      const clusterState = cluster([stacks.addons, stacks.apps]);
      const behind = behindAlb(clusterState);
      if (env !== "dr") expect([...behind].sort(), env).toEqual(["airbyte", "dremio", "monitoring", "superset"]);
      for (const ns of behind)
        expect(clusterState.namespaces.get(ns)?.metadata.labels?.[readinessLabel], `${env}: namespace ${ns}`).toBe(
          "enabled",
        );
      // A standby routes nothing before failover, but its addons stack (the same after failover)
      // already labels Grafana's namespace: at most what it serves once promoted.
      const labelled = [...clusterState.namespaces.values()]
        .filter((namespace) => namespace.metadata.labels?.[readinessLabel])
        .map((namespace) => namespace.metadata.name as string);
      expect(
        labelled.filter((ns) => !(env === "dr" ? promoted : behind).has(ns)),
        env,
      ).toEqual([]);
    }
  });

  it("label no namespace on a plain cluster, which has no ALB", () => {
    const clusterState = cluster([synthAll().get("dev-addons")!, synthAll().get("dev-apps")!]);
    expect(clusterState.namespaces.size).toBeGreaterThan(0);
    expect(
      [...clusterState.namespaces.values()].filter((namespace) => readinessLabel in (namespace.metadata.labels ?? {})),
    ).toEqual([]);
  });
});
