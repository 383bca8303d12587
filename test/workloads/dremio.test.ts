import { describe, expect, it } from "vitest";
import {
  Dremio,
  dremioAdminUser,
  dremioServiceUsers,
  type DremioProps,
  type DremioSizes,
} from "../../constructs/k8s/workloads/dremio";
import { coreSiteXml, dremioConf, jvmMemory, parseEndpoint } from "../../constructs/k8s/workloads/dremio-config";
import type { Foundation } from "../../constructs/platform/contract";
import { findLiteralSecrets } from "../../lib/secret-scan";
import { awsFoundation, localFoundation } from "../fixtures/foundations";
import { environments, resources, type Synthesized } from "../helpers";
import { manifests, synthK8s } from "../k8s/helpers";

type Json = Record<string, any>;
// Pins the construct is tested with (config/versions.ts holds the deployed ones).
const images = {
  image: "dremio/dremio-oss:26.0.5",
  zookeeperImage: "zookeeper:3.9.5",
  bootstrapImage: "python:3.13.9-alpine",
};
/** The seeds' production sizes. */
const prod: DremioSizes = {
  coordinator: { cpu: 4, memoryGiB: 32, heapGiB: 16, storageGiB: 100 },
  executors: {
    count: 3,
    maxCount: 6,
    requests: { cpu: 4, memoryGiB: 16 },
    limits: { cpu: 8, memoryGiB: 32 },
    heapMinGiB: 8,
    heapMaxGiB: 16,
    storageGiB: 100,
  },
  zookeeper: { replicas: 3, storageGiB: 10 },
};
const dev: DremioSizes = {
  coordinator: { cpu: 1, memoryGiB: 6, heapGiB: 2, storageGiB: 10 },
  executors: {
    count: 1,
    maxCount: 1,
    requests: { cpu: 1, memoryGiB: 6 },
    limits: { cpu: 2, memoryGiB: 6 },
    heapMinGiB: 2,
    heapMaxGiB: 2,
    storageGiB: 10,
  },
  zookeeper: { replicas: 1, storageGiB: 2 },
};

function build(
  foundation: Foundation,
  sizes: DremioSizes = prod,
  over: Partial<DremioProps> = {},
): { stack: Synthesized; dremio: Dremio } {
  let dremio!: Dremio;
  const stack = synthK8s((scope) => {
    dremio = new Dremio(scope, "dremio", { namespace: "dremio", foundation, ...images, ...sizes, ...over });
  });
  return { stack, dremio };
}

const byName = (stack: Synthesized, kind: string) =>
  Object.fromEntries(manifests(stack, kind).map((manifest) => [manifest.metadata.name as string, manifest]));
const statefulSets = (stack: Synthesized) => byName(stack, "StatefulSet");
const configMaps = (stack: Synthesized) =>
  Object.fromEntries(
    resources(stack, "kubernetes_config_map_v1").map((configMap) => [
      configMap.metadata.name as string,
      configMap.data as Record<string, string>,
    ]),
  );
const policies = (stack: Synthesized) =>
  Object.fromEntries(
    resources(stack, "kubernetes_network_policy_v1").map((policy) => [
      policy.metadata.name as string,
      policy.spec as Json,
    ]),
  );
const env = (container: Json) =>
  Object.fromEntries((container.env as Json[]).map((envVar) => [envVar.name, envVar.value ?? envVar.valueFrom]));
/** The dremio.conf a StatefulSet mounts (by its subPath into the config ConfigMap). */
function dremioConfOf(stack: Synthesized, sts: Json): string {
  const mount = sts.spec.template.spec.containers[0].volumeMounts.find(
    (volumeMount: Json) => volumeMount.mountPath === "/opt/dremio/conf/dremio.conf",
  );
  return configMaps(stack)["dremio-config"]![mount.subPath]!;
}
const bootstrapJob = (stack: Synthesized) => {
  const jobs = manifests(stack, "Job");
  expect(jobs).toHaveLength(1);
  return jobs[0]!;
};
const bootstrapConfig = (stack: Synthesized) =>
  JSON.parse(configMaps(stack)["dremio-bootstrap"]!["bootstrap.json"]!) as Json;

describe.each([
  ["aws", awsFoundation],
  ["local", localFoundation],
] as const)("Dremio on the %s foundation", (label, foundation) => {
  const { stack, dremio } = build(foundation);
  const sts = statefulSets(stack);
  const coordinator = sts["dremio-coordinator"]!;
  const executor = sts["dremio-executor"]!;

  it("runs a master coordinator, executors and ZooKeeper as StatefulSets", () => {
    expect(Object.keys(sts).sort()).toEqual(["dremio-coordinator", "dremio-executor", "zookeeper"]);
    expect(coordinator.spec.replicas).toBe(1);
    expect(executor.spec.replicas).toBe(3);
    expect(sts.zookeeper!.spec.replicas).toBe(3);
  });

  it("gives each StatefulSet its role in dremio.conf, with the external ZooKeeper", () => {
    const coordinatorConf = dremioConfOf(stack, coordinator);
    const executorConf = dremioConfOf(stack, executor);
    expect(coordinatorConf).toMatch(/coordinator\.enabled: true\n/);
    expect(coordinatorConf).toMatch(/coordinator\.master\.enabled: true\n/);
    expect(coordinatorConf).toMatch(/executor\.enabled: false\n/);
    expect(executorConf).toMatch(/coordinator\.enabled: false\n/);
    expect(executorConf).toMatch(/coordinator\.master\.enabled: false\n/);
    expect(executorConf).toMatch(/executor\.enabled: true\n/);
    for (const conf of [coordinatorConf, executorConf]) {
      expect(conf).toContain("coordinator.master.embedded-zookeeper.enabled: false");
      expect(conf).toContain(`zookeeper: "${dremio.zookeeper.connectString}"`);
      expect(conf).toContain('paths: {\n  local: "/opt/dremio/data"');
      // The platform bucket, never a lake zone, whose whole contents a standby replicates.
      expect(conf).toContain(`dist: "dremioS3:///${foundation.objectStore.platformBucket}/dremio"`);
      expect(conf).toContain("web-admin.port: 9010");
    }
    // The ZooKeeper quorum string lists exactly the three members.
    expect(coordinatorConf.match(/zookeeper-\d\.zookeeper-headless\.dremio\.svc\.cluster\.local:2181/g)).toHaveLength(
      3,
    );
  });

  it("sizes the coordinator from configuration: heap, direct memory, resources, a fast-ssd metadata volume", () => {
    const container = coordinator.spec.template.spec.containers[0];
    expect(env(container)).toMatchObject({
      DREMIO_MAX_HEAP_MEMORY_SIZE_MB: "16384",
      DREMIO_MAX_DIRECT_MEMORY_SIZE_MB: String(jvmMemory(32, 16).directMiB),
    });
    expect(container.resources).toEqual({ requests: { cpu: "4", memory: "32Gi" }, limits: { memory: "32Gi" } });
    expect(coordinator.spec.volumeClaimTemplates[0].spec).toEqual({
      accessModes: ["ReadWriteOnce"],
      storageClassName: "fast-ssd",
      resources: { requests: { storage: "100Gi" } },
    });
    expect(container.volumeMounts).toContainEqual({ name: "data", mountPath: "/opt/dremio/data" });
  });

  it("sizes the executors from configuration: heap min/max, requests, limits, volumes", () => {
    const container = executor.spec.template.spec.containers[0];
    const envVars = env(container);
    expect(envVars.DREMIO_MAX_HEAP_MEMORY_SIZE_MB).toBe("16384");
    expect(envVars.DREMIO_JAVA_SERVER_EXTRA_OPTS).toContain("-Xms8g");
    expect(Number(envVars.DREMIO_MAX_DIRECT_MEMORY_SIZE_MB) + 16384).toBeLessThan(32 * 1024);
    expect(container.resources).toEqual({
      requests: { cpu: "4", memory: "16Gi" },
      limits: { cpu: "8", memory: "32Gi" },
    });
    expect(executor.spec.volumeClaimTemplates[0].spec).toEqual({
      accessModes: ["ReadWriteOnce"],
      storageClassName: "fast-ssd",
      resources: { requests: { storage: "100Gi" } },
    });
  });

  it("runs pinned images as non-root without privilege escalation", () => {
    for (const set of [coordinator, executor]) {
      const pod = set.spec.template.spec;
      expect(pod.containers[0].image).toBe(images.image);
      expect(pod.securityContext).toMatchObject({
        runAsNonRoot: true,
        runAsUser: 999,
        runAsGroup: 999,
        fsGroup: 999,
        seccompProfile: { type: "RuntimeDefault" },
      });
      expect(pod.containers[0].securityContext).toMatchObject({
        allowPrivilegeEscalation: false,
        runAsNonRoot: true,
        capabilities: { drop: ["ALL"] },
      });
      expect(pod.serviceAccountName).toBe("dremio");
    }
    const job = bootstrapJob(stack).spec.template.spec;
    expect(job.containers[0].image).toBe(images.bootstrapImage);
    expect(job.securityContext).toMatchObject({ runAsNonRoot: true, runAsUser: 65534 });
    expect(job.containers[0].securityContext).toMatchObject({
      allowPrivilegeEscalation: false,
      readOnlyRootFilesystem: true,
      capabilities: { drop: ["ALL"] },
    });
  });

  it("probes the coordinator over HTTP on 9047 and every node's /live", () => {
    const coordinatorContainer = coordinator.spec.template.spec.containers[0];
    expect(coordinatorContainer.readinessProbe.httpGet).toEqual({ path: "/apiv2/server_status", port: "web" });
    expect(coordinatorContainer.startupProbe.httpGet.port).toBe("web");
    expect(coordinatorContainer.livenessProbe.httpGet).toEqual({ path: "/live", port: "metrics" });
    const executorContainer = executor.spec.template.spec.containers[0];
    expect(executorContainer.readinessProbe.tcpSocket).toEqual({ port: "fabric" });
    expect(executorContainer.livenessProbe.httpGet).toEqual({ path: "/live", port: "metrics" });
  });

  it("exposes UI, JDBC/ODBC, Arrow Flight and metrics through Services with named ports", () => {
    const svc = byName(stack, "Service");
    const ports = (serviceName: string) => svc[serviceName]!.spec.ports.map((port: Json) => [port.name, port.port]);
    expect(ports("dremio-ui")).toEqual([["web", 9047]]);
    expect(ports("dremio-client")).toEqual([
      ["web", 9047],
      ["client", 31010],
      ["flight", 32010],
    ]);
    expect(svc["dremio-ui"]!.spec.type).toBe("ClusterIP");
    expect(svc["dremio-client"]!.spec.type).toBe("ClusterIP");
    expect(svc["dremio-ui"]!.spec.selector).toEqual(dremio.podLabels.coordinator);
    expect(ports("dremio-metrics")).toEqual([["metrics", 9010]]);
    expect(svc["dremio-cluster-pod"]!.spec).toMatchObject({ clusterIP: "None", publishNotReadyAddresses: true });
    for (const set of [coordinator, executor]) expect(set.spec.serviceName).toBe("dremio-cluster-pod");
    expect(coordinator.spec.template.spec.containers[0].ports).toContainEqual({
      name: "metrics",
      containerPort: 9010,
      protocol: "TCP",
    });
    expect(executor.spec.template.spec.containers[0].ports).toContainEqual({
      name: "metrics",
      containerPort: 9010,
      protocol: "TCP",
    });
  });

  it("offers typed endpoints for the entry point, dbt and Superset", () => {
    expect(dremio.exposed).toEqual({
      host: `dremio.${foundation.domain}`,
      namespace: "dremio",
      serviceName: "dremio-ui",
      servicePort: 9047,
      targetPort: 9047,
      podLabels: dremio.podLabels.coordinator,
      healthPath: "/",
      dependsOn: [dremio.namespace.namespace],
    });
    expect(dremio.flightEndpoint).toBe("dremio-client.dremio.svc.cluster.local:32010");
    expect(dremio.restEndpoint).toBe("http://dremio-client.dremio.svc.cluster.local:9047");
  });

  it("admits 9047 and 32010 only from Superset, Airbyte and dbt, 9047 from the entry point, and egresses only where needed", () => {
    const specs = policies(stack);
    const expected = [
      "default-deny",
      "allow-dns",
      "allow-same-namespace",
      "ingress-superset",
      "ingress-airbyte",
      "ingress-dbt",
      "ingress-web",
      "egress-postgres",
      "egress-object-store",
      "zookeeper-clients",
      "zookeeper-quorum",
    ];
    // The Pod Identity agent is allowed by the stack for every namespace with a role
    // (stacks/namespace-access.ts; test/namespace-access.test.ts), not by Dremio itself.
    if (label === "aws") expected.push("egress-https");
    expect(Object.keys(specs).sort()).toEqual(expected.sort());
    const coordinatorPods = { match_labels: dremio.podLabels.coordinator };
    for (const ns of ["superset", "airbyte", "dbt"]) {
      expect(specs[`ingress-${ns}`]).toEqual({
        pod_selector: coordinatorPods,
        policy_types: ["Ingress"],
        ingress: [
          {
            from: [{ namespace_selector: { match_labels: { "kubernetes.io/metadata.name": ns } } }],
            ports: [
              { port: "9047", protocol: "TCP" },
              { port: "32010", protocol: "TCP" },
            ],
          },
        ],
      });
    }
    expect(specs["ingress-web"]!.ingress[0].ports).toEqual([{ port: "9047", protocol: "TCP" }]);
    expect(specs["ingress-web"]!.pod_selector).toEqual(coordinatorPods);
    // Negative: JDBC/ODBC (31010) and the executors are not reachable from other namespaces.
    expect(
      JSON.stringify(Object.entries(specs).filter(([policyName]) => policyName.startsWith("ingress-"))),
    ).not.toContain("31010");
    const pg = foundation.postgres.network;
    expect(specs["egress-postgres"]!.egress[0].ports).toEqual([{ port: "5432", protocol: "TCP" }]);
    expect(pg.ports).toEqual([5432]);
    expect(specs["egress-object-store"]!.egress[0].ports).toEqual(
      foundation.objectStore.network.ports.map((port) => ({ port: String(port), protocol: "TCP" })),
    );
  });

  it("puts no credential in configuration and reads object-store keys only from the secret store", () => {
    // The configuration files Dremio and ZooKeeper read (the bootstrap script is checked below).
    const { "dremio-bootstrap": _bootstrap, ...config } = configMaps(stack);
    expect(Object.keys(config).sort()).toEqual(
      label === "aws" ? ["dremio-aws", "dremio-config", "zookeeper-config"] : ["dremio-config", "zookeeper-config"],
    );
    const text = JSON.stringify(config);
    for (const forbidden of [
      /fs\.s3a\.access\.key/,
      /fs\.s3a\.secret\.key/,
      /aws_access_key_id/,
      /aws_secret_access_key/,
      /session_token/i,
      /password/i,
      /minioadmin/i,
      /AKIA[0-9A-Z]{16}/,
    ]) {
      expect(text).not.toMatch(forbidden);
    }
    expect(findLiteralSecrets(stack)).toEqual([]);
    const core = configMaps(stack)["dremio-config"]!["core-site.xml"]!;
    expect(core).toContain("<value>com.dremio.plugins.s3.store.AWSProfileCredentialsProviderV1</value>");
    expect(core).toContain("<name>com.dremio.awsProfile</name>\n    <value>dremio</value>");
    const es = manifests(stack, "ExternalSecret").find(
      (manifest) => manifest.metadata.name === "dremio-s3-credentials",
    );
    if (foundation.objectStore.access.kind === "credentialsSecret") {
      expect(es!.spec.data).toEqual([
        { secretKey: "accessKey", remoteRef: { key: "minio-lake", property: "accessKey" } },
        { secretKey: "secretKey", remoteRef: { key: "minio-lake", property: "secretKey" } },
      ]);
      expect(es!.spec.target.template.data.profile).toBe(
        "[dremio]\naws_access_key_id = {{ .accessKey }}\naws_secret_access_key = {{ .secretKey }}\n",
      );
      expect(coordinator.spec.template.spec.volumes).toContainEqual({
        name: "aws",
        secret: {
          secretName: "dremio-s3-credentials",
          items: [{ key: "profile", path: "profile" }],
          defaultMode: 0o440,
        },
      });
      expect(core).toContain("<name>dremio.s3.compat</name>\n    <value>true</value>");
      expect(core).toContain("<name>fs.s3a.path.style.access</name>\n    <value>true</value>");
      expect(core).toContain("<name>fs.s3a.endpoint</name>\n    <value>minio.minio.svc.cluster.local</value>");
      expect(core).toContain("<name>fs.s3a.connection.ssl.enabled</name>\n    <value>false</value>");
    } else {
      expect(es).toBeUndefined();
      expect(configMaps(stack)["dremio-aws"]!.profile).toBe(
        "[dremio]\ncredential_process = /bin/bash /opt/dremio/aws/eks-pod-identity.sh\n",
      );
      expect(core).not.toContain("dremio.s3.compat");
      expect(core).toContain("<name>fs.s3a.connection.ssl.enabled</name>\n    <value>true</value>");
    }
    // Never the node's instance role.
    expect(env(coordinator.spec.template.spec.containers[0]).AWS_EC2_METADATA_DISABLED).toBe("true");
  });

  it("bootstraps with credentials taken only from Secrets", () => {
    const container = bootstrapJob(stack).spec.template.spec.containers[0];
    const secretEnv = (container.env as Json[]).filter((envVar) => /PASSWORD/.test(envVar.name));
    expect(secretEnv.map((envVar) => envVar.name).sort()).toEqual([
      "ADMIN_PASSWORD",
      "DBT_PASSWORD",
      "SUPERSET_PASSWORD",
    ]);
    for (const envVar of secretEnv) {
      expect(envVar.value).toBeUndefined();
      expect(envVar.valueFrom.secretKeyRef.name).toBe("dremio-users");
    }
    const users = manifests(stack, "ExternalSecret").find((manifest) => manifest.metadata.name === "dremio-users")!;
    expect(users.spec.data).toEqual([
      { secretKey: "admin-password", remoteRef: { key: foundation.secretKeys["dremio-admin"], property: "password" } },
      { secretKey: "dbt-password", remoteRef: { key: foundation.secretKeys["dremio-dbt"], property: "password" } },
      {
        secretKey: "superset-password",
        remoteRef: { key: foundation.secretKeys["dremio-superset"], property: "password" },
      },
    ]);
    const cfg = bootstrapConfig(stack);
    expect(cfg.admin.userName).toBe(dremioAdminUser);
    expect(cfg.admin.userName).not.toBe("admin");
    expect(cfg.users.map((user: Json) => user.name)).toEqual([dremioServiceUsers.dbt, dremioServiceUsers.superset]);
    expect(JSON.stringify(cfg)).not.toMatch(/"password"/i);
    expect(bootstrapJob(stack).metadata.name).toMatch(/^dremio-bootstrap-[0-9a-f]{8}$/);
  });

  it("registers the lake as the S3 source `lake` with hourly reflection refresh and the pods' AWS profile", () => {
    const src = bootstrapConfig(stack).source;
    const store = foundation.objectStore;
    expect(src).toMatchObject({
      entityType: "source",
      name: "lake",
      type: "S3",
      accelerationActivePolicyType: "PERIOD",
      accelerationRefreshPeriodMs: 3_600_000,
    });
    expect(src.config.credentialType).toBe("AWS_PROFILE");
    expect(src.config.awsProfile).toBe("dremio");
    expect(src.config.whitelistedBuckets).toEqual([store.buckets.bronze, store.buckets.silver, store.buckets.gold]);
    expect(src.config.compatibilityMode).toBe(store.access.kind === "credentialsSecret");
    expect(src.config.secure).toBe(store.endpoint.startsWith("https://"));
    const props = Object.fromEntries(src.config.propertyList.map((property: Json) => [property.name, property.value]));
    expect(props["fs.s3a.endpoint"]).toBe(parseEndpoint(store.endpoint).host);
    expect(props["fs.s3a.path.style.access"]).toBe(store.pathStyle ? "true" : undefined);
    expect(src.config).not.toHaveProperty("accessKey");
    expect(src.config).not.toHaveProperty("accessSecret");
  });

  it("keeps every configuration text free of Terraform template sequences", () => {
    for (const data of Object.values(configMaps(stack)))
      for (const text of Object.values(data)) expect(text).not.toMatch(/[$%]\{/);
  });
});

describe("Dremio scaling, disruption budgets and zone spread", () => {
  const big = build(awsFoundation, prod);
  const small = build(localFoundation, dev);

  it("autoscales executors on CPU between count and maxCount, scaling down slowly, only when maxCount > count", () => {
    const hpa = resources(big.stack, "kubernetes_horizontal_pod_autoscaler_v2");
    expect(hpa).toHaveLength(1);
    expect(hpa[0]!.spec).toMatchObject({
      min_replicas: 3,
      max_replicas: 6,
      scale_target_ref: { api_version: "apps/v1", kind: "StatefulSet", name: "dremio-executor" },
    });
    expect(hpa[0]!.spec.metric[0].resource.name).toBe("cpu");
    expect(hpa[0]!.spec.behavior.scale_down[0].stabilization_window_seconds).toBeGreaterThanOrEqual(1800);
    const exec = resources(big.stack, "kubernetes_manifest").find(
      (resource) => resource.manifest.metadata.name === "dremio-executor",
    )!;
    expect(exec.computed_fields).toContain("spec.replicas");
    expect(resources(small.stack, "kubernetes_horizontal_pod_autoscaler_v2")).toHaveLength(0);
    const fixed = build(awsFoundation, { ...prod, executors: { ...prod.executors, maxCount: prod.executors.count } });
    expect(resources(fixed.stack, "kubernetes_horizontal_pod_autoscaler_v2")).toHaveLength(0);
  });

  it("budgets one unavailable executor and ZooKeeper member when there are several, and none for the single coordinator", () => {
    const pdbs = (stack: Synthesized) =>
      Object.fromEntries(
        resources(stack, "kubernetes_pod_disruption_budget_v1").map((pdb) => [
          pdb.metadata.name,
          pdb.spec.max_unavailable,
        ]),
      );
    expect(pdbs(big.stack)).toEqual({ "dremio-executor": "1", zookeeper: "1" });
    expect(pdbs(small.stack)).toEqual({});
  });

  it("spreads executors and ZooKeeper across zones only on multi-zone clusters", () => {
    const zoneKeys = (stack: Synthesized, name: string) =>
      (statefulSets(stack)[name]!.spec.template.spec.topologySpreadConstraints ?? []).filter(
        (constraint: Json) => constraint.topologyKey === "topology.kubernetes.io/zone",
      ).length;
    expect(zoneKeys(big.stack, "dremio-executor")).toBe(1);
    expect(zoneKeys(big.stack, "zookeeper")).toBe(1);
    expect(zoneKeys(small.stack, "dremio-executor")).toBe(0);
    expect(zoneKeys(small.stack, "zookeeper")).toBe(0);
    expect(zoneKeys(big.stack, "dremio-coordinator")).toBe(0);
  });

  it("runs a single-member ZooKeeper and one executor in dev", () => {
    const sts = statefulSets(small.stack);
    expect(sts.zookeeper!.spec.replicas).toBe(1);
    expect(sts["dremio-executor"]!.spec.replicas).toBe(1);
    expect(dremioConfOf(small.stack, sts["dremio-coordinator"]!)).toContain(
      'zookeeper: "zookeeper-0.zookeeper-headless.dremio.svc.cluster.local:2181"',
    );
  });

  it("admits other client namespaces when told, and no others", () => {
    const { stack } = build(localFoundation, dev, { clientNamespaces: { dbt: "analytics" } });
    const specs = policies(stack);
    expect(specs["ingress-dbt"]!.ingress[0].from).toEqual([
      { namespace_selector: { match_labels: { "kubernetes.io/metadata.name": "analytics" } } },
    ]);
    expect(specs["ingress-superset"]!.ingress[0].from).toEqual([
      { namespace_selector: { match_labels: { "kubernetes.io/metadata.name": "superset" } } },
    ]);
  });
});

describe("Dremio sizes follow each environment's configuration", () => {
  for (const envConfig of environments()) {
    it(`${envConfig.name}`, () => {
      const sizes = envConfig.workloads.dremio;
      const foundation = envConfig.platform === "aws" ? awsFoundation : localFoundation;
      const { stack } = build(foundation, sizes);
      const sts = statefulSets(stack);
      const exec = sts["dremio-executor"]!;
      const container = exec.spec.template.spec.containers[0];
      expect(exec.spec.replicas).toBe(sizes.executors.count);
      expect(container.resources.requests).toEqual({
        cpu: String(sizes.executors.requests.cpu),
        memory: `${sizes.executors.requests.memoryGiB}Gi`,
      });
      expect(container.resources.limits).toEqual({
        cpu: String(sizes.executors.limits.cpu),
        memory: `${sizes.executors.limits.memoryGiB}Gi`,
      });
      expect(env(container).DREMIO_MAX_HEAP_MEMORY_SIZE_MB).toBe(String(sizes.executors.heapMaxGiB * 1024));
      expect(env(container).DREMIO_JAVA_SERVER_EXTRA_OPTS).toContain(`-Xms${sizes.executors.heapMinGiB}g`);
      expect(exec.spec.volumeClaimTemplates[0].spec.resources.requests.storage).toBe(`${sizes.executors.storageGiB}Gi`);
      expect(sts["dremio-coordinator"]!.spec.volumeClaimTemplates[0].spec.resources.requests.storage).toBe(
        `${sizes.coordinator.storageGiB}Gi`,
      );
      expect(env(sts["dremio-coordinator"]!.spec.template.spec.containers[0]).DREMIO_MAX_HEAP_MEMORY_SIZE_MB).toBe(
        String(sizes.coordinator.heapGiB * 1024),
      );
      expect(sts.zookeeper!.spec.replicas).toBe(sizes.zookeeper.replicas);
      expect(resources(stack, "kubernetes_horizontal_pod_autoscaler_v2")).toHaveLength(
        sizes.executors.maxCount > sizes.executors.count ? 1 : 0,
      );
    });
  }
});

describe("Dremio configuration builders and validation", () => {
  it("rejects inconsistent sizes and unpinned images", () => {
    expect(() => build(localFoundation, { ...dev, executors: { ...dev.executors, count: 3, maxCount: 2 } })).toThrow(
      /executors\.maxCount/,
    );
    expect(() => build(localFoundation, dev, { image: "dremio/dremio-oss:latest" })).toThrow(/image: must be pinned/);
    expect(() => build(localFoundation, dev, { bootstrapImage: "python" })).toThrow(/bootstrapImage: must be pinned/);
    expect(() =>
      build(localFoundation, { ...dev, coordinator: { ...dev.coordinator, memoryGiB: 4, heapGiB: 3 } }),
    ).toThrow(/direct memory/);
    // A heap as large as the container: refused by the memory split (validate no longer repeats it).
    expect(() =>
      build(localFoundation, { ...dev, coordinator: { ...dev.coordinator, memoryGiB: 4, heapGiB: 4 } }),
    ).toThrow(/direct memory/);
  });

  it("splits container memory into heap, direct memory and a JVM reserve", () => {
    expect(jvmMemory(6, 2)).toEqual({ heapMiB: 2048, directMiB: 3072 });
    expect(jvmMemory(32, 16)).toEqual({ heapMiB: 16384, directMiB: 32768 - 16384 - 1638 });
  });

  it("never writes a scheme into fs.s3a.endpoint", () => {
    expect(parseEndpoint("https://s3.eu-west-1.amazonaws.com")).toEqual({
      host: "s3.eu-west-1.amazonaws.com",
      tls: true,
    });
    expect(parseEndpoint("http://minio.minio.svc.cluster.local:9000")).toEqual({
      host: "minio.minio.svc.cluster.local:9000",
      tls: false,
    });
    expect(coreSiteXml(awsFoundation.objectStore)).not.toContain("https://");
  });

  it("refuses configuration text that Terraform would read as a template", () => {
    expect(() => dremioConf({ role: "executor", zookeeper: "zk:2181", dist: { bucket: "b", path: "/${x}" } })).toThrow(
      /template sequence/,
    );
  });
});
