import { describe, expect, it } from "vitest";
import { ZooKeeper, zooCfg, type ZooKeeperProps } from "../../constructs/k8s/workloads/zookeeper";
import { findLiteralSecrets } from "../../lib/secret-scan";
import { resources, type Synthesized } from "../helpers";
import { manifests, synthK8s } from "../k8s/helpers";

type Json = Record<string, any>;
const image = "zookeeper:3.9.5";

function build(over: Partial<ZooKeeperProps> = {}): { synthesized: Synthesized; zk: ZooKeeper } {
  let zk!: ZooKeeper;
  const synthesized = synthK8s((scope) => {
    zk = new ZooKeeper(scope, "zk", {
      namespace: "dremio",
      replicas: 3,
      storageGiB: 10,
      image,
      zoneSpread: true,
      ...over,
    });
  });
  return { synthesized, zk };
}
const statefulSet = (synthesized: Synthesized) => {
  const all = manifests(synthesized, "StatefulSet");
  expect(all).toHaveLength(1);
  return all[0]!;
};
const zooCfgOf = (synthesized: Synthesized) =>
  resources(synthesized, "kubernetes_config_map_v1").find(
    (configMap) => configMap.metadata.name === "zookeeper-config",
  )!.data["zoo.cfg"] as string;
const policies = (synthesized: Synthesized) =>
  Object.fromEntries(
    resources(synthesized, "kubernetes_network_policy_v1").map((policy) => [
      policy.metadata.name as string,
      policy.spec as Json,
    ]),
  );

describe.each([1, 3, 5])("a ZooKeeper ensemble of %i", (replicas) => {
  const { synthesized, zk } = build({ replicas, zoneSpread: replicas > 1 });
  const sts = statefulSet(synthesized);
  const cfg = zooCfgOf(synthesized);

  it("runs the configured number of members, started in parallel", () => {
    expect(sts.spec.replicas).toBe(replicas);
    expect(sts.spec.podManagementPolicy).toBe("Parallel");
    expect(sts.spec.serviceName).toBe("zookeeper-headless");
  });

  it("lists every member once in zoo.cfg and in the connect string", () => {
    const servers = cfg.split("\n").filter((line) => line.startsWith("server."));
    expect(servers).toHaveLength(replicas);
    servers.forEach((line, i) =>
      expect(line).toBe(`server.${i + 1}=zookeeper-${i}.zookeeper-headless.dremio.svc.cluster.local:2888:3888;2181`),
    );
    expect(zk.connectString.split(",")).toEqual(
      Array.from({ length: replicas }, (_, i) => `zookeeper-${i}.zookeeper-headless.dremio.svc.cluster.local:2181`),
    );
    expect(zk.connectString).not.toContain(" ");
    expect(cfg).toContain(`standaloneEnabled=${replicas === 1}`);
  });

  it("has a disruption budget of one member only when there is a quorum to keep", () => {
    const pdbs = resources(synthesized, "kubernetes_pod_disruption_budget_v1");
    if (replicas > 1) {
      expect(pdbs).toHaveLength(1);
      expect(pdbs[0]!.spec.max_unavailable).toBe("1");
      expect(pdbs[0]!.spec.selector.match_labels).toEqual(zk.podLabels);
    } else {
      expect(pdbs).toHaveLength(0);
    }
  });

  it("spreads members over nodes when there are several", () => {
    const keys = (sts.spec.template.spec.topologySpreadConstraints ?? []).map(
      (constraint: Json) => constraint.topologyKey,
    );
    expect(keys.includes("kubernetes.io/hostname")).toBe(replicas > 1);
  });
});

describe("ZooKeeper pods", () => {
  const { synthesized } = build();
  const sts = statefulSet(synthesized);
  const pod = sts.spec.template.spec;
  const container = pod.containers[0];

  it("run the pinned image as the image's non-root user without privilege escalation", () => {
    expect(container.image).toBe(image);
    expect(pod.securityContext).toMatchObject({
      runAsNonRoot: true,
      runAsUser: 1000,
      runAsGroup: 1000,
      fsGroup: 1000,
      seccompProfile: { type: "RuntimeDefault" },
    });
    expect(container.securityContext).toMatchObject({
      allowPrivilegeEscalation: false,
      readOnlyRootFilesystem: true,
      runAsNonRoot: true,
      capabilities: { drop: ["ALL"] },
    });
    expect(pod.automountServiceAccountToken).toBe(false);
  });

  it("keep their data on a fast-ssd volume of the configured size", () => {
    expect(sts.spec.volumeClaimTemplates).toEqual([
      expect.objectContaining({
        spec: {
          accessModes: ["ReadWriteOnce"],
          storageClassName: "fast-ssd",
          resources: { requests: { storage: "10Gi" } },
        },
      }),
    ]);
    expect(container.volumeMounts).toContainEqual({ name: "data", mountPath: "/data" });
    expect(zooCfgOf(synthesized)).toContain("dataLogDir=/data/datalog");
  });

  it("size the heap below the memory limit and take the member id from the pod index", () => {
    expect(container.resources).toEqual({ requests: { cpu: "250m", memory: "1Gi" }, limits: { memory: "1Gi" } });
    expect(container.env).toContainEqual({ name: "ZK_SERVER_HEAP", value: "512" });
    expect(container.env).toContainEqual({
      name: "POD_INDEX",
      valueFrom: { fieldRef: { fieldPath: "metadata.labels['apps.kubernetes.io/pod-index']" } },
    });
    expect(container.command[2]).toContain("ZOO_MY_ID=$((POD_INDEX + 1))");
  });

  it("keep the image's config directory and mount only zoo.cfg", () => {
    expect(container.volumeMounts).toContainEqual({
      name: "config",
      mountPath: "/conf/zoo.cfg",
      subPath: "zoo.cfg",
      readOnly: true,
    });
  });

  it("probe liveness with ruok and readiness with a serving mode (whitelisted four-letter words)", () => {
    expect(container.livenessProbe.exec.command.join(" ")).toContain("echo ruok");
    expect(container.readinessProbe.exec.command.join(" ")).toContain("echo srvr");
    expect(container.readinessProbe.exec.command.join(" ")).toContain("^Mode: ");
    expect(zooCfgOf(synthesized)).toContain("4lw.commands.whitelist=ruok,srvr,mntr");
  });

  it("expose Prometheus metrics on a named port", () => {
    expect(container.ports).toContainEqual({ name: "metrics", containerPort: 7000, protocol: "TCP" });
    expect(zooCfgOf(synthesized)).toContain("metricsProvider.httpPort=7000");
  });

  it("spread across zones only on multi-zone clusters", () => {
    const zone = (synthesized: Synthesized) =>
      (statefulSet(synthesized).spec.template.spec.topologySpreadConstraints ?? []).filter(
        (constraint: Json) => constraint.topologyKey === "topology.kubernetes.io/zone",
      );
    expect(zone(synthesized)).toHaveLength(1);
    expect(zone(build({ zoneSpread: false }).synthesized)).toHaveLength(0);
  });

  it("wait for the ensemble to roll out", () => {
    const resource = resources(synthesized, "kubernetes_manifest").find(
      (candidate) => candidate.manifest.kind === "StatefulSet",
    )!;
    expect(resource.wait).toEqual({ rollout: true });
  });
});

describe("ZooKeeper services and network", () => {
  const { synthesized, zk } = build();
  const services = Object.fromEntries(
    manifests(synthesized, "Service").map((manifest) => [manifest.metadata.name, manifest.spec]),
  );

  it("publishes members through a headless Service before they are ready, and clients through a ClusterIP", () => {
    expect(services["zookeeper-headless"]).toMatchObject({
      clusterIP: "None",
      publishNotReadyAddresses: true,
      selector: zk.podLabels,
    });
    expect(services["zookeeper-headless"].ports.map((port: Json) => port.port)).toEqual([2181, 2888, 3888, 7000]);
    expect(services.zookeeper).toMatchObject({
      type: "ClusterIP",
      ports: [{ name: "client", port: 2181, targetPort: "client", protocol: "TCP" }],
    });
  });

  it("admits clients from this namespace only, and quorum traffic between members only", () => {
    const policySpecs = policies(synthesized);
    expect(Object.keys(policySpecs).sort()).toEqual(["zookeeper-clients", "zookeeper-quorum"]);
    expect(policySpecs["zookeeper-clients"]!.ingress).toEqual([
      { from: [{ pod_selector: {} }], ports: [{ port: "2181", protocol: "TCP" }] },
    ]);
    // Negative: no namespace selector, so no other namespace is admitted.
    expect(JSON.stringify(policySpecs["zookeeper-clients"])).not.toContain("namespace_selector");
    const members = { pod_selector: { match_labels: zk.podLabels } };
    const quorum = [
      { port: "2888", protocol: "TCP" },
      { port: "3888", protocol: "TCP" },
    ];
    expect(policySpecs["zookeeper-quorum"]!.ingress).toEqual([{ from: [members], ports: quorum }]);
    expect(policySpecs["zookeeper-quorum"]!.egress).toEqual([{ to: [members], ports: quorum }]);
  });

  it("holds no secret and no Terraform template sequence", () => {
    expect(findLiteralSecrets(synthesized)).toEqual([]);
    expect(JSON.stringify(synthesized)).not.toMatch(/[$%]\{/);
  });
});

describe("ZooKeeper validation", () => {
  it("rejects an even ensemble, an unpinned image and an empty volume", () => {
    expect(() => build({ replicas: 2 })).toThrow(/replicas: must be 1, 3 or 5/);
    expect(() => build({ image: "zookeeper:latest" })).toThrow(/pin a tag/);
    expect(() => build({ image: "zookeeper" })).toThrow(/pin a tag/);
    expect(() => build({ storageGiB: 0 })).toThrow(/storageGiB/);
  });

  it("renders a standalone config for one member", () => {
    const cfg = zooCfg(1, (i) => `m${i}`);
    expect(cfg).toContain("standaloneEnabled=true");
    expect(cfg).toContain("server.1=m0:2888:3888;2181");
  });
});
