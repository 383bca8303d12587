import { HelmProvider } from "@cdktf/provider-helm/lib/provider";
import { KubernetesProvider } from "@cdktf/provider-kubernetes/lib/provider";
import { Testing } from "cdktf";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { versions } from "../../config/versions";
import { Airbyte, type AirbyteProps } from "../../constructs/k8s/workloads/airbyte";
import type { Foundation } from "../../constructs/platform/contract";
import { findLiteralSecrets } from "../../lib/secret-scan";
import { chartValuesAbsent, loadDefaults, unknownKeys } from "../chart-keys";
import { awsFoundation, localFoundation } from "../fixtures/foundations";
import { one, resources, type Synthesized } from "../helpers";

const base = {
  namespace: "airbyte",
  chart: versions.charts.airbyte,
  serverReplicas: 2,
  webappReplicas: 2,
  workers: { min: 2, max: 10 },
};

function synth(foundation: Foundation, props: Partial<AirbyteProps> = {}) {
  let airbyte!: Airbyte;
  const stack = JSON.parse(
    Testing.synthScope((scope) => {
      new KubernetesProvider(scope, "kubernetes", { configPath: "~/.kube/config" });
      new HelmProvider(scope, "helm", { kubernetes: { configPath: "~/.kube/config" } });
      airbyte = new Airbyte(scope, "airbyte", { ...base, foundation, ...props });
    }),
  ) as Synthesized;
  const release = one(stack, "helm_release");
  return { stack, airbyte, release, values: parse(release.values[0]) as Record<string, any> };
}

/** ExternalSecret manifests by the name of the Secret they create. */
function externalSecrets(stack: Synthesized): Record<string, any> {
  const all = resources(stack, "kubernetes_manifest")
    .map((resource) => resource.manifest)
    .filter((manifest) => manifest.kind === "ExternalSecret");
  return Object.fromEntries(all.map((manifest) => [manifest.spec.target.name, manifest.spec]));
}
const remoteRefs = (spec: any) => Object.fromEntries(spec.data.map((entry: any) => [entry.secretKey, entry.remoteRef]));
const policies = (stack: Synthesized) =>
  Object.fromEntries(
    resources(stack, "kubernetes_network_policy_v1").map((policy) => [policy.metadata.name, policy.spec]),
  );

const defaults = loadDefaults("airbyte", versions.charts.airbyte.version);
const aws = synth(awsFoundation);
const local = synth(localFoundation, { serverReplicas: 1, webappReplicas: 1, workers: { min: 1, max: 1 } });

describe("Airbyte release", () => {
  it("installs the pinned v2 chart as release airbyte in its namespace", () => {
    expect(aws.release).toMatchObject({
      name: "airbyte",
      namespace: "airbyte",
      chart: "airbyte",
      version: "2.2.0",
      repository: "https://airbytehq.github.io/charts",
      atomic: true,
    });
    expect(aws.values.global.edition).toBe("community");
    expect(aws.values.global.airbyteUrl).toBe("https://airbyte.data.fixture.example");
  });

  it.skipIf(chartValuesAbsent)(
    "uses only keys the 2.2.0 chart knows (defaults, comments, or paths its templates read)",
    () => {
      for (const { values } of [aws, local]) expect(unknownKeys(values, defaults!)).toEqual([]);
      // The checker does catch a misspelt key.
      expect(unknownKeys({ ...aws.values, server: { ...aws.values.server, replicas: 3 } }, defaults!)).toEqual([
        "server.replicas",
      ]);
    },
  );

  it("serializes plain YAML that reviewers can read (no anchors or aliases)", () => {
    for (const { release } of [aws, local]) expect(release.values[0]).not.toMatch(/: [&*][a-z]\w*\s*$/m);
  });

  it("keeps image tags at the chart's pinned appVersion (no overrides, no latest)", () => {
    expect(aws.values.global.image).toBeUndefined();
    expect(aws.release.values[0]).not.toMatch(/latest/);
  });
});

describe("external PostgreSQL by Secret reference", () => {
  it("points the chart at the foundation's database with keys of an ExternalSecret", () => {
    expect(aws.values.global.database).toEqual({
      type: "external",
      secretName: "airbyte-database-credentials",
      host: awsFoundation.postgres.host,
      port: 5432,
      name: "airbyte",
      userSecretKey: "DATABASE_USER",
      passwordSecretKey: "DATABASE_PASSWORD",
      replica: { userSecretKey: "DATABASE_USER", passwordSecretKey: "DATABASE_PASSWORD" },
    });
    expect(aws.values.temporal.database).toEqual({
      userSecretKey: "TEMPORAL_DATABASE_USER",
      passwordSecretKey: "TEMPORAL_DATABASE_PASSWORD",
    });
    expect(remoteRefs(externalSecrets(aws.stack)["airbyte-database-credentials"])).toEqual({
      DATABASE_USER: { key: "odp/test/postgres-airbyte", property: "username" },
      DATABASE_PASSWORD: { key: "odp/test/postgres-airbyte", property: "password" },
      TEMPORAL_DATABASE_USER: { key: "odp/test/postgres-temporal", property: "username" },
      TEMPORAL_DATABASE_PASSWORD: { key: "odp/test/postgres-temporal", property: "password" },
    });
  });

  it("switches off the bundled database and MinIO, and sets no credential value", () => {
    for (const { values } of [aws, local]) {
      expect(values.postgresql).toEqual({ enabled: false });
      expect(values.minio).toEqual({ enabled: false });
      expect(values.global.database.user).toBeUndefined();
      expect(values.global.database.password).toBeUndefined();
      expect(values.temporal.database.password).toBeUndefined();
    }
  });
});

describe("object storage per access kind", () => {
  it("AWS: S3 through the pod's role, no storage Secret of ours", () => {
    const bucket = awsFoundation.objectStore.airbyteBucket;
    expect(aws.values.global.storage).toEqual({
      type: "s3",
      bucket: { log: bucket, state: bucket, workloadOutput: bucket, activityPayload: bucket, auditLogging: bucket },
      s3: { region: "eu-west-1", authenticationType: "instanceProfile" },
    });
    expect(externalSecrets(aws.stack)["airbyte-storage-credentials"]).toBeUndefined();
  });

  it("plain cluster: the S3-compatible endpoint with keys synced from the store", () => {
    expect(local.values.global.storage).toMatchObject({
      type: "minio",
      secretName: "airbyte-storage-credentials",
      bucket: { log: "airbyte", state: "airbyte" },
      minio: { endpoint: "http://minio.minio.svc.cluster.local" },
    });
    // Path style is the chart's default; only a virtual-host store sets it.
    expect(local.values.global.storage.minio.s3PathStyleAccess).toBeUndefined();
    expect(remoteRefs(externalSecrets(local.stack)["airbyte-storage-credentials"])).toEqual({
      AWS_ACCESS_KEY_ID: { key: "minio-lake", property: "accessKey" },
      AWS_SECRET_ACCESS_KEY: { key: "minio-lake", property: "secretKey" },
    });
  });

  it("static keys against AWS S3 use the s3 type with credentials", () => {
    const foundation: Foundation = {
      ...awsFoundation,
      objectStore: { ...awsFoundation.objectStore, access: localFoundation.objectStore.access },
    };
    expect(synth(foundation).values.global.storage).toMatchObject({
      type: "s3",
      secretName: "airbyte-storage-credentials",
      s3: { region: "eu-west-1", authenticationType: "credentials" },
    });
  });

  it("a custom bucket overrides Airbyte's own default", () => {
    expect(synth(awsFoundation, { bucket: "platform-state" }).values.global.storage.bucket.log).toBe("platform-state");
  });
});

describe("identity and auth", () => {
  it("runs every pod, sync jobs included, as airbyte-admin in the release namespace", () => {
    expect(aws.values.global.serviceAccountName).toBe("airbyte-admin");
    expect(aws.values.serviceAccount).toEqual({ create: true, name: "airbyte-admin" });
    expect(aws.values.global.workloads.namespace).toBe("airbyte");
  });

  it("seeds the instance admin password from the platform store", () => {
    expect(aws.values.global.auth).toEqual({ enabled: true, secretName: "airbyte-auth-bootstrap" });
    const es = externalSecrets(aws.stack)["airbyte-auth-bootstrap"];
    expect(remoteRefs(es)).toEqual({
      AB_INSTANCE_ADMIN_PASSWORD: { key: "odp/test/airbyte-admin", property: "password" },
    });
    // The other keys the bootloader references exist and are empty: it generates them once.
    expect(es.target.template.data).toEqual({
      AB_INSTANCE_ADMIN_CLIENT_ID: "",
      AB_INSTANCE_ADMIN_CLIENT_SECRET: "",
      AB_JWT_SIGNATURE_SECRET: "",
    });
  });

  it("writes no literal secret anywhere", () => {
    for (const { stack, values } of [aws, local]) {
      expect(findLiteralSecrets(stack)).toEqual([]);
      expect(findLiteralSecrets({ resource: { helm_values: { airbyte: values } } })).toEqual([]);
    }
    expect(aws.release.values[0]).not.toMatch(/minio123|password: |accessKeyId: /);
  });
});

describe("sync capacity and disruption budgets", () => {
  // Airbyte 2 runs syncs in pods the workload launcher creates: an autoscaler on the worker
  // Deployment adds no sync capacity. Capacity is the workers' sync workflows and the launcher's.
  it("runs workers.max syncs at once on workers.min worker replicas, with no worker autoscaler", () => {
    expect(resources(aws.stack, "kubernetes_horizontal_pod_autoscaler_v2")).toEqual([]);
    expect(aws.values.worker.replicaCount).toBe(2);
    expect(aws.values.worker.maxSyncWorkers).toBe(5);
    expect(aws.values.workloadLauncher.parallelism).toBe(10);
  });

  it("rounds capacity up when max is not a multiple of min", () => {
    const odd = synth(awsFoundation, { workers: { min: 3, max: 10 } });
    expect(odd.values.worker.maxSyncWorkers * odd.values.worker.replicaCount).toBeGreaterThanOrEqual(10);
    expect(odd.values.workloadLauncher.parallelism).toBe(10);
  });

  it("budgets disruptions of every multi-replica component, and of none that runs alone", () => {
    const pdbs = Object.fromEntries(
      resources(aws.stack, "kubernetes_pod_disruption_budget_v1").map((budget) => [budget.metadata.name, budget.spec]),
    );
    expect(Object.keys(pdbs).sort()).toEqual(["airbyte-server", "airbyte-worker", "airbyte-workload-api-server"]);
    expect(pdbs["airbyte-server"]).toEqual({
      max_unavailable: "1",
      selector: { match_labels: { "app.kubernetes.io/name": "server", "app.kubernetes.io/instance": "airbyte" } },
    });
    expect(resources(local.stack, "kubernetes_pod_disruption_budget_v1")).toEqual([]);
  });

  it("rejects an empty or inverted worker range", () => {
    expect(() => synth(awsFoundation, { workers: { min: 5, max: 2 } })).toThrow(/min <= max/);
    expect(() => synth(awsFoundation, { workers: { min: 0, max: 2 } })).toThrow(/workers/);
  });
});

describe("components", () => {
  const deployed = ["server", "worker", "workloadLauncher", "workloadApiServer", "cron", "manifestServer", "temporal"];

  it("sizes, hardens and probes every component", () => {
    for (const name of [...deployed, "airbyteBootloader"]) {
      const component = aws.values[name];
      expect(component.resources.requests, name).toMatchObject({ cpu: expect.any(String), memory: expect.any(String) });
      expect(component.resources.limits.memory, name).toEqual(expect.any(String));
      expect(component.containerSecurityContext, name).toMatchObject({
        allowPrivilegeEscalation: false,
        runAsNonRoot: true,
        capabilities: { drop: ["ALL"] },
      });
      expect(component.podSecurityContext, name).toMatchObject({
        runAsNonRoot: true,
        seccompProfile: { type: "RuntimeDefault" },
      });
    }
    for (const name of ["server", "worker", "workloadLauncher", "workloadApiServer", "manifestServer"]) {
      expect(aws.values[name].livenessProbe.enabled, name).toBe(true);
      expect(aws.values[name].readinessProbe.enabled, name).toBe(true);
    }
    expect(aws.values.temporal.readinessProbe).toEqual({ enabled: true });
  });

  it("takes replicas from the props: the UI is served by the server, the webapp stays off", () => {
    expect(aws.values.server.replicaCount).toBe(2);
    expect(aws.values.workloadApiServer.replicaCount).toBe(2);
    expect(aws.values.webapp).toEqual({ enabled: false });
    expect(synth(awsFoundation, { serverReplicas: 1, webappReplicas: 3 }).values.server.replicaCount).toBe(3);
    expect(aws.values.server.deploymentStrategyType).toBe("RollingUpdate");
  });

  it("spreads across zones only on multi-zone clusters", () => {
    expect(aws.values.server.topologySpreadConstraints[0]).toMatchObject({
      topologyKey: "topology.kubernetes.io/zone",
      labelSelector: { matchLabels: { "app.kubernetes.io/name": "server" } },
    });
    const term =
      aws.values.worker.affinity.podAntiAffinity.preferredDuringSchedulingIgnoredDuringExecution[0].podAffinityTerm;
    expect(term).toEqual({
      topologyKey: "topology.kubernetes.io/zone",
      labelSelector: { matchLabels: { "app.kubernetes.io/name": "worker", "app.kubernetes.io/instance": "airbyte" } },
    });
    for (const name of deployed) {
      expect(local.values[name].affinity, name).toBeUndefined();
      expect(local.values[name].topologySpreadConstraints, name).toBeUndefined();
    }
  });
});

describe("namespace and network policies", () => {
  it("enforces the baseline Pod Security Standard (connector pods cannot meet restricted)", () => {
    const labels = one(aws.stack, "kubernetes_namespace_v1").metadata.labels;
    expect(labels["pod-security.kubernetes.io/enforce"]).toBe("baseline");
    expect(labels["pod-security.kubernetes.io/warn"]).toBe("restricted");
  });

  it("opens exactly the database, object store, HTTPS, API server and UI flows", () => {
    const networkPolicies = policies(aws.stack);
    expect(Object.keys(networkPolicies).sort()).toEqual(
      [
        "allow-dns",
        "allow-same-namespace",
        "default-deny",
        "egress-api-server",
        "egress-https",
        "egress-object-store",
        "egress-postgres",
        "ingress-ui",
      ].sort(),
    );
    expect(networkPolicies["egress-postgres"].egress[0]).toEqual({
      to:
        awsFoundation.postgres.network.kind === "cidrs"
          ? awsFoundation.postgres.network.cidrs.map((cidr) => ({ ip_block: { cidr } }))
          : [],
      ports: [{ port: "5432", protocol: "TCP" }],
    });
    expect(networkPolicies["egress-https"].egress[0]).toEqual({
      to: [{ ip_block: { cidr: "0.0.0.0/0" } }],
      ports: [{ port: "443", protocol: "TCP" }],
    });
    expect(networkPolicies["egress-api-server"].egress[0].to).toEqual([{ ip_block: { cidr: "10.20.0.0/16" } }]);
    expect(networkPolicies["ingress-ui"]).toEqual({
      pod_selector: { match_labels: { "app.kubernetes.io/name": "server", "app.kubernetes.io/instance": "airbyte" } },
      policy_types: ["Ingress"],
      ingress: [
        {
          from: [{ ip_block: { cidr: "10.20.192.0/22" } }, { ip_block: { cidr: "10.20.196.0/22" } }],
          ports: [{ port: "8001", protocol: "TCP" }],
        },
      ],
    });
  });

  it("on a plain cluster reaches PostgreSQL and MinIO by namespace and admits the gateway", () => {
    const networkPolicies = policies(local.stack);
    expect(networkPolicies["egress-postgres"].egress[0].to).toEqual([
      { namespace_selector: { match_labels: { "kubernetes.io/metadata.name": "postgres" } } },
    ]);
    expect(networkPolicies["egress-object-store"].egress[0]).toEqual({
      to: [{ namespace_selector: { match_labels: { "kubernetes.io/metadata.name": "minio" } } }],
      ports: [{ port: "9000", protocol: "TCP" }],
    });
    expect(networkPolicies["ingress-ui"].ingress[0].from).toEqual([
      { namespace_selector: { match_labels: { "kubernetes.io/metadata.name": "envoy-gateway-system" } } },
    ]);
  });
});

describe("exposed service", () => {
  it("routes airbyte.<domain> to the server's UI port with a health path", () => {
    expect(aws.airbyte.exposed).toEqual({
      host: "airbyte.data.fixture.example",
      namespace: "airbyte",
      serviceName: "airbyte-airbyte-server-svc",
      servicePort: 8001,
      targetPort: 8001,
      podLabels: { "app.kubernetes.io/name": "server", "app.kubernetes.io/instance": "airbyte" },
      healthPath: "/api/v1/health",
      dependsOn: [aws.airbyte.namespace.namespace],
    });
  });
});
