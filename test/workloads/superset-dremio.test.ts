import { describe, expect, it } from "vitest";
import { versions } from "../../config/versions";
import { Superset } from "../../constructs/k8s/workloads/superset";
import {
  SupersetDremioConnection,
  type SupersetDremioConnectionProps,
} from "../../constructs/k8s/workloads/superset-dremio";
import type { Foundation } from "../../constructs/platform/contract";
import { findLiteralSecrets } from "../../lib/secret-scan";
import { awsFoundation, localFoundation } from "../fixtures/foundations";
import { resources, synthConstruct, type Synthesized } from "../helpers";

type Json = Record<string, any>;

const dremio = { host: "dremio-client.dremio.svc.cluster.local", namespace: "dremio" };

function build(
  foundation: Foundation,
  over: Partial<SupersetDremioConnectionProps> = {},
  twice = false,
): { synthesized: Synthesized; conn: SupersetDremioConnection } {
  let conn!: SupersetDremioConnection;
  const synthesized = synthConstruct((scope) => {
    const superset = new Superset(scope, "superset", {
      namespace: "superset",
      foundation,
      webReplicas: 2,
      workerReplicas: 2,
      image: versions.images.superset,
      drivers: versions.images.supersetDrivers,
      valkeyImage: versions.images.valkey,
    });
    conn = new SupersetDremioConnection(scope, "superset-dremio", { foundation, superset, dremio, ...over });
    if (twice) superset.allowDremio("dremio");
  });
  return { synthesized, conn };
}

const manifests = (synthesized: Synthesized) =>
  resources(synthesized, "kubernetes_manifest").map((resource) => resource.manifest as Json);
const job = (synthesized: Synthesized, component: string) => {
  const all = manifests(synthesized).filter(
    (manifest) => manifest.kind === "Job" && manifest.metadata.labels?.["app.kubernetes.io/component"] === component,
  );
  expect(all).toHaveLength(1);
  return all[0]!;
};
const policies = (synthesized: Synthesized) =>
  Object.fromEntries(
    resources(synthesized, "kubernetes_network_policy_v1").map((policy) => [
      policy.metadata.name as string,
      policy.spec as Json,
    ]),
  );

describe.each([
  ["aws", awsFoundation],
  ["local", localFoundation],
] as const)("Superset's Dremio connection on the %s foundation", (_label, foundation) => {
  const { synthesized, conn } = build(foundation);
  const j = job(synthesized, "dremio-connection");
  const pod = j.spec.template.spec;
  const container = pod.containers[0] as Json;
  const script: string = container.command[2];

  it("is a bounded Job in the superset namespace, named after its content", () => {
    expect(j.apiVersion).toBe("batch/v1");
    expect(j.metadata.namespace).toBe("superset");
    expect(j.metadata.name).toMatch(/^superset-dremio-connection-[0-9a-f]{8}$/);
    expect(j.spec).toMatchObject({ backoffLimit: 3, activeDeadlineSeconds: 1800 });
    // Kept once finished: a TTL would have Kubernetes delete it and every later plan recreate it.
    expect(j.spec.ttlSecondsAfterFinished).toBeUndefined();
    expect(pod.restartPolicy).toBe("Never");
  });

  it("registers the database with Superset's CLI, retrying until the metastore is ready", () => {
    expect(container.command.slice(0, 2)).toEqual(["/bin/sh", "-c"]);
    expect(script).toContain('superset set-database-uri --database_name "$DATABASE_NAME" --uri "$uri"');
    expect(script).toContain(
      'uri="dremio+flight://$user:$password@$DREMIO_HOST:$DREMIO_PORT/dremio?UseEncryption=false"',
    );
    expect(script).toContain('urllib.parse.quote(os.environ["DREMIO_PASSWORD"], safe="")');
    expect(script).toContain("while [ $attempt -lt 40 ]");
    expect(script).toContain("sleep 30");
    for (const driver of versions.images.supersetDrivers) expect(script).toContain(`'${driver}'`);
    expect(conn.databaseName).toBe("Dremio");
    expect(conn.uriTemplate).toBe(
      "dremio+flight://<user>:<password>@dremio-client.dremio.svc.cluster.local:32010/dremio?UseEncryption=false",
    );
  });

  it("takes the password from the store's dremio-superset secret by secretKeyRef", () => {
    expect(container.env).toContainEqual({
      name: "DREMIO_PASSWORD",
      valueFrom: { secretKeyRef: { name: "superset-dremio", key: "password" } },
    });
    expect(container.env).toContainEqual({ name: "DREMIO_USER", value: "superset" });
    expect(container.env).toContainEqual({ name: "DREMIO_HOST", value: dremio.host });
    expect(container.env).toContainEqual({ name: "DREMIO_PORT", value: "32010" });
    expect(container.env).toContainEqual({ name: "DATABASE_NAME", value: "Dremio" });
    const es = manifests(synthesized).find(
      (manifest) => manifest.kind === "ExternalSecret" && manifest.metadata.name === "superset-dremio",
    );
    expect(es?.metadata.namespace).toBe("superset");
    expect(es?.spec.data).toEqual([
      { secretKey: "password", remoteRef: { key: foundation.secretKeys["dremio-superset"], property: "password" } },
    ]);
  });

  it("runs like the create-admin Job: same image, metastore, SECRET_KEY, config and hardening", () => {
    const admin = job(synthesized, "create-admin").spec.template.spec;
    const ac = admin.containers[0] as Json;
    expect(container.image).toBe(ac.image);
    expect(container.image).toBe("apache/superset:6.1.0");
    for (const name of ["PYTHONPATH", "SUPERSET_OPERATOR__DB_URI", "SUPERSET_OPERATOR__SECRET_KEY"]) {
      expect(container.env.find((envVar: Json) => envVar.name === name)).toEqual(
        ac.env.find((envVar: Json) => envVar.name === name),
      );
    }
    expect(pod.volumes).toEqual(admin.volumes);
    expect(container.volumeMounts).toEqual(ac.volumeMounts);
    expect(pod.securityContext).toEqual(admin.securityContext);
    expect(container.securityContext).toEqual(ac.securityContext);
    expect(pod.automountServiceAccountToken).toBe(false);
    expect(pod.securityContext).toMatchObject({ runAsNonRoot: true, runAsUser: 1000 });
    // Carries the label every Superset egress policy selects (PostgreSQL, HTTPS for the drivers).
    expect(j.spec.template.metadata.labels["app.kubernetes.io/name"]).toBe("superset");
  });

  it("holds no literal credential", () => {
    expect(findLiteralSecrets(synthesized)).toEqual([]);
    // Every environment variable is either a non-secret setting or a Secret reference.
    for (const envVar of container.env as Json[]) {
      if (/PASSWORD|SECRET|URI/.test(envVar.name) && envVar.name !== "PYTHONPATH")
        expect(envVar.valueFrom?.secretKeyRef).toBeDefined();
    }
    const text = JSON.stringify(synthesized);
    expect(text).not.toMatch(/dremio\+flight:\/\/superset:/);
    expect(script).not.toContain(foundation.secretKeys["dremio-superset"]);
    expect(script).not.toMatch(/[$%]\{/);
  });

  it("lets Superset pods reach Dremio's Flight port only", () => {
    const policySpecs = policies(synthesized);
    const egress = policySpecs["egress-dremio-dremio"]!;
    expect(egress.pod_selector).toEqual({ match_labels: { "app.kubernetes.io/name": "superset" } });
    expect(egress.egress).toEqual([
      {
        to: [{ namespace_selector: { match_labels: { "kubernetes.io/metadata.name": "dremio" } } }],
        ports: [{ port: "32010", protocol: "TCP" }],
      },
    ]);
    // Negative: not the REST port, and Dremio gets no ingress from here.
    expect(JSON.stringify(egress)).not.toContain("9047");
    expect(Object.keys(policySpecs).filter((policyName) => policyName.includes("dremio"))).toEqual([
      "egress-dremio-dremio",
    ]);
  });
});

describe("Superset's Dremio connection variations", () => {
  it("opens the egress once however often it is asked", () => {
    const { synthesized } = build(localFoundation, {}, true);
    expect(Object.keys(policies(synthesized)).filter((policyName) => policyName.includes("dremio"))).toEqual([
      "egress-dremio-dremio",
    ]);
  });

  it("takes another name, user, port and TLS", () => {
    const { synthesized, conn } = build(awsFoundation, {
      databaseName: "Lakehouse",
      user: "bi",
      dremio: { ...dremio, flightPort: 32443, useEncryption: true },
    });
    const container = job(synthesized, "dremio-connection").spec.template.spec.containers[0] as Json;
    expect(container.env).toContainEqual({ name: "DATABASE_NAME", value: "Lakehouse" });
    expect(container.env).toContainEqual({ name: "DREMIO_USER", value: "bi" });
    expect(container.command[2]).toContain("/dremio?UseEncryption=true");
    expect(conn.uriTemplate).toContain(":32443/");
    expect(policies(synthesized)["egress-dremio-dremio"]!.egress[0].ports).toEqual([
      { port: "32443", protocol: "TCP" },
    ]);
  });

  it("rejects a database name or host that would break the script", () => {
    expect(() => build(localFoundation, { databaseName: 'x"; rm -rf /' })).toThrow(/database name/);
    expect(() => build(localFoundation, { dremio: { ...dremio, host: "dremio:32010" } })).toThrow(/host name/);
  });
});
