import { describe, expect, it } from "vitest";
import { versions } from "../../config/versions";
import type { Foundation } from "../../constructs/platform/contract";
import { Superset, supersetAdminUser, type SupersetProps } from "../../constructs/k8s/workloads/superset";
import { findLiteralSecrets } from "../../lib/secret-scan";
import { crdSchema, schemaErrors } from "../crd-schema";
import { awsFoundation, localFoundation } from "../fixtures/foundations";
import { resources, synthConstruct, type Synthesized } from "../helpers";

type Json = Record<string, any>;

function build(foundation: Foundation, over: Partial<SupersetProps> = {}): { stack: Synthesized; superset: Superset } {
  let superset!: Superset;
  const stack = synthConstruct((scope) => {
    superset = new Superset(scope, "superset", {
      namespace: "superset",
      foundation,
      webReplicas: 2,
      workerReplicas: 3,
      image: versions.images.superset,
      drivers: versions.images.supersetDrivers,
      valkeyImage: versions.images.valkey,
      ...over,
    });
  });
  return { stack, superset };
}

const manifests = (stack: Synthesized) =>
  resources(stack, "kubernetes_manifest").map((resource) => resource.manifest as Json);
/** The one kubernetes_manifest resource (manifest and its Terraform arguments) of a kind. */
const manifestResource = (stack: Synthesized, kind: string) => {
  const all = resources(stack, "kubernetes_manifest").filter((resource) => resource.manifest.kind === kind);
  expect(all).toHaveLength(1);
  return all[0]! as Json;
};
const cr = (stack: Synthesized) => {
  const all = manifests(stack).filter((manifest) => manifest.kind === "Superset");
  expect(all).toHaveLength(1);
  return all[0]!;
};
const externalSecret = (stack: Synthesized, name: string) => {
  const es = manifests(stack).find((manifest) => manifest.kind === "ExternalSecret" && manifest.metadata.name === name);
  if (!es) throw new Error(`no ExternalSecret ${name}`);
  return es;
};
const policies = (stack: Synthesized) =>
  Object.fromEntries(
    resources(stack, "kubernetes_network_policy_v1").map((policy) => [
      policy.metadata.name as string,
      policy.spec as Json,
    ]),
  );

// The Superset CRD of the pinned operator chart, from the reference directory (skipped when absent).
const supersetCrd = crdSchema("superset-operator-0.2.0", "supersets.superset.apache.org", "v1alpha1");
const specSchema = supersetCrd?.properties?.spec ?? {};

describe.each([
  ["aws", awsFoundation],
  ["local", localFoundation],
] as const)("Superset on the %s foundation", (_label, foundation) => {
  const { stack, superset } = build(foundation);
  const spec = cr(stack).spec as Json;

  it("is one Superset resource of the operator's API in Production mode", () => {
    const resource = cr(stack);
    expect(resource.apiVersion).toBe("superset.apache.org/v1alpha1");
    expect(resource.metadata).toEqual({ name: "superset", namespace: "superset" });
    expect(spec.environment).toBe("Production");
    expect(spec.image).toEqual({ repository: "apache/superset", tag: "6.1.0", pullPolicy: "IfNotPresent" });
  });

  it.skipIf(!supersetCrd)("sets only fields that the pinned CRD declares, with their types", () => {
    expect(schemaErrors(spec, specSchema, "spec")).toEqual([]);
  });

  it("respects the CRD's Production rules", () => {
    // The CEL rules of the CRD, restated: no inline secret, no dev-only admin or examples.
    expect("secretKey" in spec).toBe(false);
    expect(spec.secretKeyFrom).toBeDefined();
    expect(spec.metastore).not.toHaveProperty("uri");
    expect(spec.metastore).not.toHaveProperty("password");
    expect(spec.valkey).not.toHaveProperty("password");
    expect(spec.lifecycle?.init ?? {}).not.toHaveProperty("adminUser");
    expect(spec.lifecycle?.init ?? {}).not.toHaveProperty("loadExamples");
    expect(spec.lifecycle?.disabled).toBeUndefined();
  });

  it("reads the metastore from the store by reference, over TLS", () => {
    expect(spec.metastore).toEqual({ uriFrom: { name: "superset-metastore", key: "uri" } });
    const es = externalSecret(stack, "superset-metastore");
    const key = foundation.postgres.appSecretKeys.superset;
    expect(es.spec.data).toEqual(
      ["username", "password", "database"].map((field) => ({ secretKey: field, remoteRef: { key, property: field } })),
    );
    const uri: string = es.spec.target.template.data.uri;
    expect(uri).toBe(
      `postgresql+psycopg2://{{ .username | urlquery }}:{{ .password | urlquery }}@${foundation.postgres.host}:${foundation.postgres.port}/{{ .database | urlquery }}?sslmode=require`,
    );
  });

  it("takes SECRET_KEY from the generated, stable store key", () => {
    expect(spec.secretKeyFrom).toEqual({ name: "superset-secret-key", key: "secret-key" });
    expect(externalSecret(stack, "superset-secret-key").spec.data).toEqual([
      {
        secretKey: "secret-key",
        remoteRef: { key: foundation.secretKeys["superset-secret-key"], property: "password" },
      },
    ]);
  });

  it("holds no literal secret and no default credential", () => {
    expect(findLiteralSecrets(stack)).toEqual([]);
    const text = JSON.stringify(stack);
    expect(text).not.toMatch(/admin\/admin/i);
    expect(text).not.toMatch(/--password\s+admin\b/);
    const valkeyCommand: string[] = manifestResource(stack, "Deployment").manifest.spec.template.spec.containers[0]
      .command;
    expect(valkeyCommand.join(" ")).not.toMatch(/--requirepass\s+(?!"\$VALKEY_PASSWORD")/);
  });

  it("runs the requested replicas, one beat, and budgets disruptions of replicated components", () => {
    expect(spec.webServer.replicas).toBe(2);
    expect(spec.celeryWorker.replicas).toBe(3);
    expect(spec.celeryBeat).toBeDefined();
    expect(spec.celeryBeat).not.toHaveProperty("replicas");
    expect(spec.webServer.podDisruptionBudget).toEqual({ maxUnavailable: 1 });
    expect(spec.celeryWorker.podDisruptionBudget).toEqual({ maxUnavailable: 1 });
    expect(spec.lifecycle.migrate).toBeDefined();
    expect(spec.lifecycle.init).toBeDefined();
  });

  it("runs as non-root without privilege escalation, with resources and web probes", () => {
    const pod = spec.podTemplate;
    expect(pod.podSecurityContext).toMatchObject({
      runAsNonRoot: true,
      runAsUser: 1000,
      seccompProfile: { type: "RuntimeDefault" },
    });
    expect(pod.container.securityContext).toMatchObject({
      allowPrivilegeEscalation: false,
      runAsNonRoot: true,
      capabilities: { drop: ["ALL"] },
    });
    for (const component of [spec.webServer, spec.celeryWorker, spec.celeryBeat])
      expect(component.podTemplate.container.resources.requests.memory).toBeDefined();
    for (const component of [spec.webServer, spec.celeryWorker, spec.celeryBeat])
      expect(component.podTemplate).not.toHaveProperty("podSecurityContext"); // inherited, not overridden
    const web = spec.webServer.podTemplate.container;
    for (const probe of ["startupProbe", "readinessProbe", "livenessProbe"])
      expect(web[probe].httpGet).toEqual({ path: "/health", port: 8088 });
    expect(spec.celeryWorker.podTemplate.container.livenessProbe.exec.command.join(" ")).toContain("inspect ping");
  });

  it("spreads replicas across zones only where the cluster has zones", () => {
    const tsc = spec.webServer.podTemplate.topologySpreadConstraints;
    if (foundation.zoneSpread) {
      expect(tsc).toEqual([
        expect.objectContaining({
          topologyKey: "topology.kubernetes.io/zone",
          maxSkew: 1,
          labelSelector: { matchLabels: superset.webPodLabels },
        }),
      ]);
      expect(
        spec.celeryWorker.podTemplate.topologySpreadConstraints[0].labelSelector.matchLabels[
          "app.kubernetes.io/component"
        ],
      ).toBe("celery-worker");
    } else {
      expect(tsc).toBeUndefined();
    }
  });

  it("installs the pinned drivers in the bootstrap script, into a pod-local directory", () => {
    for (const driver of versions.images.supersetDrivers) expect(spec.bootstrapScript).toContain(`'${driver}'`);
    expect(spec.bootstrapScript).toContain("--target /app/drivers");
    expect(spec.podTemplate.container.env).toContainEqual({
      name: "PYTHONPATH",
      value: "/app/pythonpath:/app/drivers",
    });
    expect(spec.podTemplate.volumes).toContainEqual({ name: "drivers", emptyDir: { sizeLimit: "512Mi" } });
  });

  it("runs its own hardened Valkey and points the operator at it by Secret", () => {
    const depResource = manifestResource(stack, "Deployment");
    expect(depResource.wait).toEqual({ rollout: true });
    const dep = depResource.manifest as Json;
    expect(dep.apiVersion).toBe("apps/v1");
    expect(dep.spec.replicas).toBe(1);
    expect(dep.spec.strategy).toEqual({ type: "Recreate" });
    const pod = dep.spec.template.spec;
    expect(pod.securityContext).toMatchObject({ runAsNonRoot: true, runAsUser: 999 });
    expect(pod.automountServiceAccountToken).toBe(false);
    const container = pod.containers[0];
    expect(container.image).toBe(versions.images.valkey);
    expect(container.securityContext).toMatchObject({
      readOnlyRootFilesystem: true,
      allowPrivilegeEscalation: false,
      runAsNonRoot: true,
      capabilities: { drop: ["ALL"] },
    });
    expect(container.command.join(" ")).toContain('--requirepass "$VALKEY_PASSWORD"');
    expect(container.env).toContainEqual({
      name: "VALKEY_PASSWORD",
      valueFrom: { secretKeyRef: { name: "superset-valkey-password", key: "password" } },
    });
    expect(container.livenessProbe.exec.command.join(" ")).toContain("valkey-cli");
    expect(container.readinessProbe.exec.command.join(" ")).toContain("ping");
    expect(container.resources.limits.memory).toBeDefined();
    expect(externalSecret(stack, "superset-valkey-password").spec.data).toEqual([
      { secretKey: "password", remoteRef: { key: foundation.secretKeys["superset-valkey"], property: "password" } },
    ]);
    expect(spec.valkey).toEqual({
      host: "superset-valkey.superset.svc.cluster.local",
      port: 6379,
      passwordFrom: { name: "superset-valkey-password", key: "password" },
    });
    const svc = manifestResource(stack, "Service").manifest as Json;
    expect(svc.apiVersion).toBe("v1");
    expect(svc.metadata.name).toBe("superset-valkey");
    expect(svc.spec.ports[0].port).toBe(6379);
  });

  it("creates the first admin with a Job whose password comes from the store", () => {
    const jobResource = manifestResource(stack, "Job");
    expect(jobResource.wait).toBeUndefined();
    expect(jobResource.wait_for).toBeUndefined();
    const job = jobResource.manifest as Json;
    expect(job.apiVersion).toBe("batch/v1");
    expect(job.spec.ttlSecondsAfterFinished).toBeUndefined(); // kept once finished: the next plan is empty
    expect(job.spec.backoffLimit).toBeGreaterThan(0);
    const pod = job.spec.template.spec;
    expect(pod.securityContext).toMatchObject({ runAsNonRoot: true, runAsUser: 1000 });
    const container = pod.containers[0];
    expect(container.image).toBe("apache/superset:6.1.0");
    expect(container.securityContext).toMatchObject({
      allowPrivilegeEscalation: false,
      capabilities: { drop: ["ALL"] },
    });
    const script: string = container.command.join(" ");
    expect(script).toContain(
      `superset fab create-admin --username ${supersetAdminUser} --firstname Platform --lastname Admin --email admin@${foundation.domain} --password "$ADMIN_PASSWORD"`,
    );
    expect(script).toContain("already exists");
    for (const driver of versions.images.supersetDrivers) expect(script).toContain(driver);
    expect(container.env).toContainEqual({
      name: "ADMIN_PASSWORD",
      valueFrom: { secretKeyRef: { name: "superset-admin", key: "password" } },
    });
    expect(container.env).toContainEqual({
      name: "SUPERSET_OPERATOR__DB_URI",
      valueFrom: { secretKeyRef: { name: "superset-metastore", key: "uri" } },
    });
    expect(externalSecret(stack, "superset-admin").spec.data[0].remoteRef).toEqual({
      key: foundation.secretKeys["superset-admin"],
      property: "password",
    });
    expect(pod.containers[0].env.every((envVar: Json) => envVar.name === "PYTHONPATH" || envVar.valueFrom)).toBe(true);
  });

  it("opens only PostgreSQL, HTTPS for the drivers, and the entry point to the web server", () => {
    const specs = policies(stack);
    expect(Object.keys(specs).sort()).toEqual([
      "allow-dns",
      "allow-same-namespace",
      "default-deny",
      "egress-https",
      "egress-postgres",
      "ingress-web",
    ]);
    const supersetPods = { match_labels: { "app.kubernetes.io/name": "superset" } };
    const pg = specs["egress-postgres"]!;
    expect(pg.pod_selector).toEqual(supersetPods);
    expect(pg.egress[0].ports).toEqual([{ port: "5432", protocol: "TCP" }]);
    const net = foundation.postgres.network;
    if (net.kind === "cidrs") expect(pg.egress[0].to).toEqual(net.cidrs.map((cidr) => ({ ip_block: { cidr } })));
    else
      expect(pg.egress[0].to).toEqual([
        { namespace_selector: { match_labels: { "kubernetes.io/metadata.name": net.namespace } } },
      ]);
    expect(specs["egress-https"]!.pod_selector).toEqual(supersetPods);
    expect(specs["egress-https"]!.egress[0].ports).toEqual([{ port: "443", protocol: "TCP" }]);
    const web = specs["ingress-web"]!;
    expect(web.pod_selector).toEqual({ match_labels: superset.webPodLabels });
    expect(web.ingress[0].ports).toEqual([{ port: "8088", protocol: "TCP" }]);
    const src = foundation.ingressSource;
    if (src.kind === "cidrs") expect(web.ingress[0].from).toEqual(src.cidrs.map((cidr) => ({ ip_block: { cidr } })));
    else
      expect(web.ingress[0].from).toEqual([
        { namespace_selector: { match_labels: { "kubernetes.io/metadata.name": src.namespace } } },
      ]);
    // Negative: nothing outside the namespace reaches Valkey, and Valkey has no egress beyond it.
    for (const [name, spec] of Object.entries(specs)) {
      if (name === "allow-same-namespace") continue;
      if (spec.ingress) expect(spec.pod_selector.match_labels?.["app.kubernetes.io/name"]).not.toBe("valkey");
      if (spec.ingress) expect(spec.pod_selector).not.toEqual({});
    }
  });

  it("exposes the web server Service the operator names", () => {
    expect(superset.exposed).toEqual({
      host: `superset.${foundation.domain}`,
      namespace: "superset",
      serviceName: "superset-web-server",
      servicePort: 8088,
      targetPort: 8088,
      podLabels: {
        "app.kubernetes.io/name": "superset",
        "app.kubernetes.io/component": "web-server",
        "app.kubernetes.io/instance": "superset",
      },
      healthPath: "/health",
      dependsOn: [superset.namespace.namespace],
    });
  });
});

describe("Superset variations", () => {
  it.skipIf(!supersetCrd)("the schema check catches a key the CRD does not have and a wrongly typed value", () => {
    const spec = cr(build(localFoundation).stack).spec as Json;
    const broken = {
      ...spec,
      webServer: { ...spec.webServer, replica: 2 },
      celeryWorker: { ...spec.celeryWorker, replicas: "3" },
    };
    expect(schemaErrors(broken, specSchema, "spec").sort()).toEqual([
      "spec.celeryWorker.replicas: expected integer",
      "spec.webServer.replica: not in the CRD schema",
    ]);
    expect(schemaErrors({ image: {} }, specSchema, "spec")).toContain("spec.image.tag: required");
  });

  it("budgets no disruption for a single replica", () => {
    const spec = cr(build(localFoundation, { webReplicas: 1, workerReplicas: 1 }).stack).spec as Json;
    expect(spec.webServer.replicas).toBe(1);
    expect(spec.webServer).not.toHaveProperty("podDisruptionBudget");
    expect(spec.celeryWorker).not.toHaveProperty("podDisruptionBudget");
  });

  it("drops the bootstrap script and HTTPS egress for an image with the drivers baked in", () => {
    const { stack } = build(awsFoundation, {
      drivers: [],
      image: { repository: "registry.fixture.example/superset", tag: "6.1.0-drivers.1" },
    });
    const spec = cr(stack).spec as Json;
    expect(spec).not.toHaveProperty("bootstrapScript");
    expect(spec.image.repository).toBe("registry.fixture.example/superset");
    expect(policies(stack)).not.toHaveProperty("egress-https");
    if (supersetCrd) expect(schemaErrors(spec, specSchema, "spec")).toEqual([]);
  });

  it("opens egress to Dremio's Flight port on request, once, and exposes the CLI task context", () => {
    let superset!: Superset;
    const stack = synthConstruct((scope) => {
      superset = new Superset(scope, "superset", {
        namespace: "superset",
        foundation: localFoundation,
        webReplicas: 1,
        workerReplicas: 1,
        image: versions.images.superset,
        drivers: versions.images.supersetDrivers,
        valkeyImage: versions.images.valkey,
      });
      const first = superset.allowDremio("dremio");
      expect(superset.allowDremio("dremio")).toBe(first);
    });
    const specs = policies(stack);
    expect(specs["egress-dremio-dremio"]).toEqual({
      pod_selector: { match_labels: { "app.kubernetes.io/name": "superset" } },
      policy_types: ["Egress"],
      egress: [
        {
          to: [{ namespace_selector: { match_labels: { "kubernetes.io/metadata.name": "dremio" } } }],
          ports: [{ port: "32010", protocol: "TCP" }],
        },
      ],
    });
    const admin = manifestResource(stack, "Job").manifest.spec.template.spec.containers[0];
    expect(superset.task.image).toBe(admin.image);
    expect(superset.task.env).toEqual(admin.env.filter((envVar: Json) => envVar.name !== "ADMIN_PASSWORD"));
    expect(superset.task.configMapName).toBe("superset-create-admin");
  });

  it("rejects unpinned drivers, mutable tags, bad names and zero replicas", () => {
    expect(() => build(localFoundation, { drivers: ["psycopg2-binary"] })).toThrow(/pinned/);
    expect(() => build(localFoundation, { drivers: ["psycopg2-binary>=2.9"] })).toThrow(/pinned/);
    expect(() => build(localFoundation, { image: { repository: "apache/superset", tag: "latest" } })).toThrow(
      /pin a release tag/,
    );
    expect(() => build(localFoundation, { name: "Superset_Prod" })).toThrow(/DNS label/);
    expect(() => build(localFoundation, { name: "s".repeat(49) })).toThrow(/48/);
    expect(() => build(localFoundation, { workerReplicas: 0 })).toThrow(/workerReplicas/);
  });
});
