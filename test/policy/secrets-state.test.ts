// SEC-001 (no literal secret) and STATE-001 (stateful resources protected): each catches its
// violating fixtures and passes the compliant ones, in the style of rules.test.ts.
import { describe, expect, it } from "vitest";
import { TerraformVariable } from "cdktf";
import type { Construct } from "constructs";
import { S3Bucket } from "@cdktf/provider-aws/lib/s3-bucket";
import { DbInstance } from "@cdktf/provider-aws/lib/db-instance";
import { EksCluster } from "@cdktf/provider-aws/lib/eks-cluster";
import { KmsKey } from "@cdktf/provider-aws/lib/kms-key";
import { SecretsmanagerSecret } from "@cdktf/provider-aws/lib/secretsmanager-secret";
import { Manifest } from "@cdktf/provider-kubernetes/lib/manifest";
import { StorageClassV1 } from "@cdktf/provider-kubernetes/lib/storage-class-v1";
import { Release } from "@cdktf/provider-helm/lib/release";
import { stringify } from "yaml";
import { allRules, ruleStatus } from "../../policy";
import { evaluate } from "./fixture-stack";
import type { Tier } from "../../config";
import { protect } from "../../lib/protect";

function statusOf(id: string, build: (s: Construct) => unknown, tier: Tier = "production") {
  const result = evaluate(build, tier).report.results.find((candidate) => candidate.rule.id === id)!;
  expect(result.checked, `${id} checked nothing`).toBeGreaterThan(0);
  return { status: ruleStatus(result), details: result.violations.map((violation) => violation.detail).join(" | ") };
}

type Build = (s: Construct) => unknown;
const release =
  (chart: string, values: object, guard = false) =>
  (scope: Construct) =>
    protect(
      new Release(scope, "rel", {
        name: "r",
        chart,
        version: "1.0.0",
        repository: "https://charts.fixture.example",
        values: [stringify(values)],
      }),
      guard,
    );
const pod = (env: object[]) => ({
  apiVersion: "apps/v1",
  kind: "Deployment",
  metadata: { name: "app", namespace: "apps" },
  spec: { template: { spec: { containers: [{ name: "app", image: "app:1", env }] } } },
});
const manifest =
  (body: object, guard = false) =>
  (scope: Construct) =>
    protect(new Manifest(scope, "m", { manifest: body }), guard);
const statefulSet = (spec: object) => ({
  apiVersion: "apps/v1",
  kind: "StatefulSet",
  metadata: { name: "zk", namespace: "dremio" },
  spec: {
    serviceName: "zk",
    template: { spec: { containers: [] } },
    volumeClaimTemplates: [{ metadata: { name: "data" }, spec: { storageClassName: "fast-ssd" } }],
    ...spec,
  },
});
const retain = { persistentVolumeClaimRetentionPolicy: { whenDeleted: "Retain", whenScaled: "Retain" } };
const db =
  (deletionProtection: boolean, guard = true) =>
  (scope: Construct) =>
    protect(
      new DbInstance(scope, "db", {
        instanceClass: "db.t4g.micro",
        engine: "postgres",
        manageMasterUserPassword: true,
        deletionProtection,
      }),
      guard,
    );

/** Rule id → [violating fixture, compliant fixture]. */
const cases: Record<string, [Build, Build][]> = {
  "SEC-001": [
    // An attribute named like a password, with a literal: a reference (here a variable) complies.
    [
      (scope) =>
        new DbInstance(scope, "db", {
          instanceClass: "db.t4g.micro",
          engine: "postgres",
          username: "u",
          password: "hunter2-literal",
        }),
      (scope) =>
        new DbInstance(scope, "db", {
          instanceClass: "db.t4g.micro",
          engine: "postgres",
          username: "u",
          password: new TerraformVariable(scope, "p", { sensitive: true }).stringValue,
        }),
    ],
    // Helm values are YAML text: parsed and walked like attributes.
    [
      release("app", { auth: { adminPassword: "hunter2" } }),
      release("app", { auth: { existingSecret: "app-admin", passwordKey: "password" } }),
    ],
    // A chart whose default credential stays unless a value replaces it (Grafana: prom-operator).
    [
      release("kube-prometheus-stack", { grafana: { enabled: true } }),
      release("kube-prometheus-stack", { grafana: { admin: { existingSecret: "grafana-admin" } } }),
    ],
    [
      release("tenant", { tenant: { name: "lake" } }),
      release("tenant", { tenant: { configSecret: { name: "lake-env", existingSecret: true } } }),
    ],
    // kubernetes_manifest contents: an environment variable holding a password.
    [
      manifest(pod([{ name: "DB_PASSWORD", value: "hunter2" }])),
      manifest(
        pod([
          { name: "DB_PASSWORD", valueFrom: { secretKeyRef: { name: "db", key: "password" } } },
          { name: "AWS_SHARED_CREDENTIALS_FILE", value: "/aws/profile" },
        ]),
      ),
    ],
    // A Secret written as a manifest holds its value in Terraform state; an ExternalSecret does not.
    [
      manifest({
        apiVersion: "v1",
        kind: "Secret",
        metadata: { name: "s", namespace: "apps" },
        stringData: { "config.env": "export ROOT=abc" },
      }),
      manifest({
        apiVersion: "external-secrets.io/v1",
        kind: "ExternalSecret",
        metadata: { name: "s", namespace: "apps" },
        spec: {
          secretStoreRef: { kind: "ClusterSecretStore", name: "platform-secrets" },
          target: { name: "s" },
          data: [{ secretKey: "password", remoteRef: { key: "odp/x", property: "password" } }],
        },
      }),
    ],
    // A well-known default credential anywhere, even in a value not named like a secret.
    [
      manifest(pod([{ name: "MINIO_ROOT_USER", value: ["minio", "admin"].join("") }])),
      manifest(pod([{ name: "MINIO_ROOT_USER", value: "platform-root" }])),
    ],
  ],
  "STATE-001": [
    [
      (scope) => new S3Bucket(scope, "b", { bucket: "lake" }),
      (scope) => protect(new S3Bucket(scope, "b", { bucket: "lake" }), true),
    ],
    [
      (scope) => protect(new S3Bucket(scope, "b", { bucket: "lake", forceDestroy: true }), true),
      (scope) => protect(new S3Bucket(scope, "b", { bucket: "lake", forceDestroy: false }), true),
    ],
    [
      (scope) => new KmsKey(scope, "k", { policy: "{}", enableKeyRotation: true }),
      (scope) => protect(new KmsKey(scope, "k", { policy: "{}", enableKeyRotation: true }), true),
    ],
    [db(false), db(true)],
    [db(true, false), db(true)],
    [
      (scope) =>
        protect(new EksCluster(scope, "eks", { name: "c", roleArn: "arn:r", vpcConfig: { subnetIds: ["s"] } }), true),
      (scope) =>
        protect(
          new EksCluster(scope, "eks", {
            name: "c",
            roleArn: "arn:r",
            vpcConfig: { subnetIds: ["s"] },
            deletionProtection: true,
          }),
          true,
        ),
    ],
    [
      (scope) => protect(new SecretsmanagerSecret(scope, "sec", { name: "x", recoveryWindowInDays: 0 }), true),
      (scope) => protect(new SecretsmanagerSecret(scope, "sec", { name: "x", recoveryWindowInDays: 30 }), true),
    ],
    // Storage classes: Retain, and the class itself guarded.
    [
      (scope) =>
        protect(
          new StorageClassV1(scope, "sc", {
            metadata: { name: "fast-ssd" },
            storageProvisioner: "ebs.csi.aws.com",
            reclaimPolicy: "Delete",
          }),
          true,
        ),
      (scope) =>
        protect(
          new StorageClassV1(scope, "sc", {
            metadata: { name: "fast-ssd" },
            storageProvisioner: "ebs.csi.aws.com",
            reclaimPolicy: "Retain",
          }),
          true,
        ),
    ],
    [
      (scope) =>
        new StorageClassV1(scope, "sc", {
          metadata: { name: "fast-ssd" },
          storageProvisioner: "ebs.csi.aws.com",
          reclaimPolicy: "Retain",
        }),
      (scope) =>
        protect(
          new StorageClassV1(scope, "sc", {
            metadata: { name: "fast-ssd" },
            storageProvisioner: "ebs.csi.aws.com",
            reclaimPolicy: "Retain",
          }),
          true,
        ),
    ],
    // A StatefulSet with volume claims: guarded, and its claims retained when deleted and scaled in.
    [manifest(statefulSet({}), true), manifest(statefulSet(retain), true)],
    [
      manifest(
        statefulSet({ persistentVolumeClaimRetentionPolicy: { whenDeleted: "Retain", whenScaled: "Delete" } }),
        true,
      ),
      manifest(statefulSet(retain), true),
    ],
    [manifest(statefulSet(retain)), manifest(statefulSet(retain), true)],
    // Elasticsearch through ECK's chart: the release guarded, and the claims kept when the cluster goes.
    [
      release("eck-elasticsearch", { volumeClaimDeletePolicy: "DeleteOnScaledownAndClusterDeletion" }, true),
      release("eck-elasticsearch", { volumeClaimDeletePolicy: "DeleteOnScaledownOnly" }, true),
    ],
    [
      release("eck-elasticsearch", { volumeClaimDeletePolicy: "DeleteOnScaledownOnly" }),
      release("eck-elasticsearch", { volumeClaimDeletePolicy: "DeleteOnScaledownOnly" }, true),
    ],
  ],
};

describe("secret and state rules", () => {
  it("are registered", () => {
    expect(allRules.map((rule) => rule.id)).toEqual(expect.arrayContaining(Object.keys(cases)));
  });

  for (const [id, pairs] of Object.entries(cases)) {
    pairs.forEach(([bad, good], i) => {
      it(`${id} catches violating fixture ${i + 1} and passes the compliant one`, () => {
        expect(statusOf(id, bad).status).toBe("fail");
        const ok = statusOf(id, good);
        expect(ok.status, ok.details).toBe("pass");
      });
    });
  }

  it("SEC-001 names where the secret is, inside Helm values", () => {
    expect(statusOf("SEC-001", release("app", { auth: { adminPassword: "hunter2" } })).details).toContain(
      "values.0.auth.adminPassword: literal value in a secret-named attribute",
    );
  });

  it("SEC-001 is an error in every tier", () => {
    expect(statusOf("SEC-001", manifest(pod([{ name: "API_TOKEN", value: "abc" }])), "development").status).toBe(
      "fail",
    );
  });

  it("STATE-001 asks nothing outside protected tiers, and everything in standby", () => {
    const unguarded = (scope: Construct) => new S3Bucket(scope, "b", { bucket: "lake" });
    expect(statusOf("STATE-001", unguarded, "development").status).toBe("pass");
    expect(statusOf("STATE-001", unguarded, "staging").status).toBe("pass");
    expect(statusOf("STATE-001", unguarded, "standby").status).toBe("fail");
  });

  it("STATE-001 leaves StatefulSets without volume claims alone", () => {
    const stateless = { ...statefulSet({}), spec: { serviceName: "x", template: { spec: { containers: [] } } } };
    expect(statusOf("STATE-001", manifest(stateless)).status).toBe("pass");
  });
});
