import { Testing } from "cdktf";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { versions } from "../../config/versions";
import type { Foundation } from "../../constructs/platform/contract";
import { PostgresCluster, type PostgresClusterProps } from "../../constructs/k8s/workloads/postgres-cluster";
import { findLiteralSecrets } from "../../lib/secret-scan";
import { chartValuesAbsent, loadDefaults, unknownKeys } from "../chart-keys";
import { awsFoundation, localFoundation } from "../fixtures/foundations";

type Json = Record<string, any>;

function synth(foundation: Foundation, over: Partial<PostgresClusterProps> = {}): { json: Json; pg: PostgresCluster } {
  let pg!: PostgresCluster;
  const json = JSON.parse(
    Testing.synthScope((scope) => {
      pg = new PostgresCluster(scope, "postgres", {
        foundation,
        namespace: "postgres",
        chart: versions.charts.cnpgCluster,
        instances: 1,
        storageGiB: 20,
        pooler: false,
        imageName: versions.images.cnpgPostgres,
        superuser: localFoundation.postgres.admin!,
        ...over,
      });
    }),
  ) as Json;
  return { json, pg };
}

const all = (j: Json, type: string): Json[] => Object.values(j.resource?.[type] ?? {});
const values = (j: Json): Json => parse(all(j, "helm_release")[0]!.values[0]);
const policy = (j: Json, name: string): Json | undefined =>
  all(j, "kubernetes_network_policy_v1").find((networkPolicy) => networkPolicy.metadata.name === name);

describe("PostgreSQL cluster for development (one instance, no pooler)", () => {
  const { json, pg } = synth(localFoundation);
  const chartValues = values(json);

  it("installs the pinned cluster chart as release postgres, cluster named postgres", () => {
    expect(all(json, "helm_release")[0]).toMatchObject({
      name: "postgres",
      namespace: "postgres",
      chart: "cluster",
      version: "0.8.1",
    });
    expect(chartValues.fullnameOverride).toBe("postgres");
  });

  it.skipIf(chartValuesAbsent)("sets only keys the chart knows", () => {
    expect(unknownKeys(chartValues, loadDefaults("cluster", "0.8.1")!)).toEqual([]);
  });

  it("pins PostgreSQL 17 by an explicit image, not the chart's bare-major default", () => {
    expect(chartValues.version).toEqual({ postgresql: "17" });
    expect(chartValues.cluster.imageName).toBe(versions.images.cnpgPostgres);
  });

  it("sizes storage on fast-ssd, with resources", () => {
    expect(chartValues.cluster.instances).toBe(1);
    expect(chartValues.cluster.storage).toEqual({ size: "20Gi", storageClass: "fast-ssd" });
    expect(chartValues.cluster.resources).toEqual({
      requests: { cpu: "500m", memory: "1Gi" },
      limits: { memory: "1Gi" },
    });
  });

  it("keeps superuser access on, with credentials from an ExternalSecret", () => {
    expect(chartValues.cluster.enableSuperuserAccess).toBe(true);
    expect(chartValues.cluster.superuserSecret).toBe("postgres-superuser");
    const es = all(json, "kubernetes_manifest")
      .map((resource) => resource.manifest)
      .find((manifest) => manifest.metadata.name === "postgres-superuser")!;
    expect(es.kind).toBe("ExternalSecret");
    expect(es.spec.data).toEqual([
      { secretKey: "username", remoteRef: { key: "postgres-admin", property: "username" } },
      { secretKey: "password", remoteRef: { key: "postgres-admin", property: "password" } },
    ]);
    expect(all(json, "helm_release")[0]!.depends_on).toEqual(
      expect.arrayContaining([expect.stringMatching(/^kubernetes_manifest\.postgres_superuser_es/)]),
    );
    expect(pg.superuserSecret).toBe("postgres-superuser");
  });

  it("keeps the PDB on and monitoring and backups off by default", () => {
    expect(chartValues.cluster.enablePDB).toBe(true);
    expect(chartValues.cluster.monitoring).toEqual({ enabled: false });
    expect(chartValues.backups).toEqual({ enabled: false });
  });

  it("has no pooler; host is the primary's rw service", () => {
    expect(chartValues.poolers).toEqual([]);
    expect(pg.poolerService).toBeUndefined();
    expect(pg.host).toBe("postgres-rw.postgres.svc");
    expect(pg.primaryHost).toBe("postgres-rw.postgres.svc");
    expect(pg.port).toBe(5432);
  });

  it("spreads instances across hosts only, not zones", () => {
    expect(chartValues.cluster.affinity.topologyKey).toBe("kubernetes.io/hostname");
    expect(JSON.stringify(chartValues)).not.toContain("topology.kubernetes.io/zone");
  });

  it("admits clients from any namespace and the operator on 8000/5432, and reaches the API server", () => {
    const clients = policy(json, "ingress-clients")!;
    expect(clients.spec.ingress[0]).toEqual({
      from: [{ namespace_selector: {} }],
      ports: [{ port: "5432", protocol: "TCP" }],
    });
    const op = policy(json, "ingress-operator")!;
    expect(op.spec.ingress[0]).toEqual({
      from: [{ namespace_selector: { match_labels: { "kubernetes.io/metadata.name": "cnpg-system" } } }],
      ports: [
        { port: "8000", protocol: "TCP" },
        { port: "5432", protocol: "TCP" },
      ],
    });
    expect(policy(json, "egress-api-server")!.spec.egress[0].to).toEqual([{ ip_block: { cidr: "0.0.0.0/0" } }]);
  });

  it("holds no literal secret (the scanner's only hits are ExternalSecret target key names)", () => {
    const findings = findLiteralSecrets(json);
    expect(
      findings.every((finding) =>
        /^resource\.kubernetes_manifest\.[^.]+\.manifest\.spec\.data\.\d+\.secretKey$/.test(finding.path),
      ),
    ).toBe(true);
    expect(findings.filter((finding) => finding.path === "(anywhere)")).toEqual([]);
  });
});

describe("PostgreSQL cluster, HA with pooler and zone spread", () => {
  const { json, pg } = synth(awsFoundation, {
    instances: 3,
    pooler: true,
    poolerInstances: 3,
    monitoring: true,
    operatorNamespace: "cnpg",
  });
  const chartValues = values(json);

  it.skipIf(chartValuesAbsent)("sets only keys the chart knows", () => {
    expect(unknownKeys(chartValues, loadDefaults("cluster", "0.8.1")!)).toEqual([]);
  });

  it("runs three instances with zone anti-affinity", () => {
    expect(chartValues.cluster.instances).toBe(3);
    expect(chartValues.cluster.affinity).toEqual({
      enablePodAntiAffinity: true,
      topologyKey: "topology.kubernetes.io/zone",
      podAntiAffinityType: "preferred",
    });
  });

  it("adds one rw pooler in transaction mode and points host at its service", () => {
    expect(chartValues.poolers).toHaveLength(1);
    const pooler = chartValues.poolers[0];
    expect(pooler).toMatchObject({
      name: "rw",
      type: "rw",
      poolMode: "transaction",
      instances: 3,
      monitoring: { enabled: true },
    });
    expect(pooler.template.spec.containers[0]).toMatchObject({
      name: "pgbouncer",
      resources: { requests: { cpu: "50m", memory: "64Mi" } },
    });
    expect(pooler.template.spec.topologySpreadConstraints[0]).toMatchObject({
      topologyKey: "topology.kubernetes.io/zone",
      labelSelector: { matchLabels: { "cnpg.io/poolerName": "postgres-pooler-rw" } },
    });
    expect(pg.poolerService).toBe("postgres-pooler-rw");
    expect(pg.host).toBe("postgres-pooler-rw.postgres.svc");
    expect(pg.primaryHost).toBe("postgres-rw.postgres.svc");
  });

  it("turns monitoring on when asked", () => {
    expect(chartValues.cluster.monitoring).toEqual({ enabled: true });
  });

  it("uses the operator namespace it is given", () => {
    expect(policy(json, "ingress-operator")!.spec.ingress[0].from[0].namespace_selector.match_labels).toEqual({
      "kubernetes.io/metadata.name": "cnpg",
    });
  });
});

describe("PostgreSQL cluster input checks", () => {
  it("refuses the bare major tag (a deprecated system-bullseye image)", () => {
    expect(() => synth(localFoundation, { imageName: "ghcr.io/cloudnative-pg/postgresql:17" })).toThrow(/bare tag/);
    expect(() => synth(localFoundation, { imageName: "ghcr.io/cloudnative-pg/postgresql:17.11" })).toThrow(/bare tag/);
  });

  it("refuses an image of another major", () => {
    expect(() =>
      synth(localFoundation, { imageName: "ghcr.io/cloudnative-pg/postgresql:16.9-standard-trixie" }),
    ).toThrow(/not PostgreSQL 17/);
  });

  it("can turn the PDB off", () => {
    expect(values(synth(localFoundation, { enablePDB: false }).json).cluster.enablePDB).toBe(false);
  });
});
