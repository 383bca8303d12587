import { describe, expect, it } from "vitest";
import { synthAll, type Synthesized } from "./helpers";

const platformStacks = [...synthAll()].filter(([id]) => /-(addons|apps)$/.test(id));
const all = (stack: Synthesized, type: string) => Object.values(stack.resource?.[type] ?? {}) as Record<string, any>[];

describe("platform stacks", () => {
  it("exist for every environment", () => {
    expect(platformStacks.map(([id]) => id)).toEqual(
      expect.arrayContaining(["dev-addons", "staging-addons", "prod-addons", "dr-addons"]),
    );
  });

  it("dev stacks hold no AWS provider and no AWS resource or data source", () => {
    for (const [id, stack] of platformStacks.filter(([id]) => id.startsWith("dev-"))) {
      expect(Object.keys(stack.provider ?? {}), id).not.toContain("aws");
      const types = [...Object.keys(stack.resource ?? {}), ...Object.keys(stack.data ?? {})];
      expect(
        types.filter((type) => type.startsWith("aws_")),
        id,
      ).toEqual([]);
      expect(stack.provider?.kubernetes?.[0]).toMatchObject({ config_context: "kind-odp" });
    }
  });

  it("authenticates to EKS with aws eks get-token, never a stored token", () => {
    for (const [id, stack] of platformStacks.filter(([id]) => !id.startsWith("dev-"))) {
      const k8s = stack.provider!.kubernetes![0]!;
      expect(k8s.exec, id).toEqual([
        expect.objectContaining({ command: "aws", args: expect.arrayContaining(["eks", "get-token"]) }),
      ]);
      expect(k8s.token, id).toBeUndefined();
      const helm = stack.provider!.helm![0]! as any;
      expect(helm.kubernetes.exec.command, id).toBe("aws");
      expect(Object.keys(stack.data ?? {}), id).not.toContain("aws_eks_cluster_auth");
    }
  });

  it("pins every Helm release and makes it atomic", () => {
    for (const [id, stack] of platformStacks) {
      for (const release of all(stack, "helm_release")) {
        expect(release.version, `${id} ${release.name}`).toMatch(/^v?\d+\.\d+\.\d+$/);
        expect(release.atomic, `${id} ${release.name}`).toBe(true);
        expect(release.wait, `${id} ${release.name}`).toBe(true);
      }
    }
  });

  it("serializes Helm values as readable YAML text, not a function call", () => {
    for (const [id, stack] of platformStacks) {
      for (const release of all(stack, "helm_release")) {
        for (const yaml of release.values ?? [])
          expect(yaml, `${id} ${release.name}`).not.toMatch(/^\$\{(yamlencode|jsonencode)\(/);
      }
    }
  });

  it("closes every namespace it creates with a default-deny policy", () => {
    for (const [id, stack] of platformStacks) {
      const nsByAddress = new Map(
        Object.entries(stack.resource?.kubernetes_namespace_v1 ?? {}).map(([addr, namespace]: [string, any]) => [
          addr,
          namespace.metadata.name as string,
        ]),
      );
      const nameOf = (ns: string) =>
        /^\$\{kubernetes_namespace_v1\.([^.]+)\.metadata\[0\]\.name\}$/.exec(ns)?.[1] ?? ns;
      const denied = new Set(
        all(stack, "kubernetes_network_policy_v1")
          .filter(
            (policy) => policy.metadata.name === "default-deny" && JSON.stringify(policy.spec.pod_selector) === "{}",
          )
          .filter(
            (policy) =>
              policy.spec.policy_types.includes("Ingress") &&
              policy.spec.policy_types.includes("Egress") &&
              !policy.spec.ingress &&
              !policy.spec.egress,
          )
          .map(
            (policy) =>
              nsByAddress.get(nameOf(String(policy.metadata.namespace))) ?? nameOf(String(policy.metadata.namespace)),
          ),
      );
      expect(nsByAddress.size, id).toBeGreaterThan(0);
      for (const ns of nsByAddress.values()) expect(denied.has(ns), `${id}: namespace ${ns}`).toBe(true);
    }
  });

  it("storage classes follow the tier: Retain where data is protected", () => {
    const reclaim = (id: string) =>
      all(synthAll().get(id)!, "kubernetes_storage_class_v1").map((storageClass) => [
        storageClass.metadata.name,
        storageClass.reclaim_policy,
      ]);
    expect(reclaim("prod-addons")).toEqual([
      ["fast-ssd", "Retain"],
      ["standard", "Retain"],
    ]);
    expect(reclaim("staging-addons")).toEqual([
      ["fast-ssd", "Delete"],
      ["standard", "Delete"],
    ]);
    const fast = all(synthAll().get("prod-addons")!, "kubernetes_storage_class_v1")[0]!;
    expect(fast).toMatchObject({
      storage_provisioner: "ebs.csi.aws.com",
      volume_binding_mode: "WaitForFirstConsumer",
      allow_volume_expansion: true,
      parameters: { type: "gp3", iops: "3000", throughput: "125", encrypted: "true" },
    });
  });
});

describe("standby", () => {
  const releases = (stack: Synthesized) =>
    all(stack, "helm_release")
      .map((release) => release.name as string)
      .sort();

  it("keeps Elasticsearch warm but deploys no database writers against the read-only replica", () => {
    const dr = synthAll().get("dr-apps")!;
    expect(releases(dr)).toEqual(["elasticsearch", "fluent-bit"]);
    // The matches, not the stack, when it fails.
    expect(JSON.stringify(dr).match(/"kind":"Superset"|app-databases/g) ?? []).toEqual([]);
  });

  it("deploys them once failover promotes the replica", () => {
    const promoted = synthAll("drFailover").get("dr-apps")!;
    expect(releases(promoted)).toEqual(["airbyte", "elasticsearch", "fluent-bit"]);
    const routes = all(promoted, "kubernetes_ingress_v1").filter((i) => i.metadata.name !== "edge");
    expect(routes.map((i) => i.spec.rule[0].host).sort()).toEqual([
      "airbyte.dr.data.fixture.example",
      "dremio.dr.data.fixture.example",
      "grafana.dr.data.fixture.example",
      "superset.dr.data.fixture.example",
    ]);
  });
});
