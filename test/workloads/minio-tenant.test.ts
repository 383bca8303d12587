import { Testing } from "cdktf";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { versions } from "../../config/versions";
import type { Foundation } from "../../constructs/platform/contract";
import {
  MinioTenant,
  splitDigestPinnedImage,
  type MinioTenantProps,
} from "../../constructs/k8s/workloads/minio-tenant";
import { findLiteralSecrets } from "../../lib/secret-scan";
import { chartValuesAbsent, loadDefaults, unknownKeys } from "../chart-keys";
import { awsFoundation, localFoundation } from "../fixtures/foundations";

type Json = Record<string, any>;

const rootUser = { key: "minio-root", property: "user" };
const rootPassword = { key: "minio-root", property: "password" };

function synth(foundation: Foundation, over: Partial<MinioTenantProps> = {}): { json: Json; tenant: MinioTenant } {
  let tenant!: MinioTenant;
  const json = JSON.parse(
    Testing.synthScope((scope) => {
      tenant = new MinioTenant(scope, "minio", {
        foundation,
        namespace: "minio",
        chart: versions.charts.minioTenant,
        servers: 4,
        volumesPerServer: 1,
        volumeSizeGiB: 20,
        image: versions.images.minio,
        rootUser,
        rootPassword,
        ...over,
      });
    }),
  ) as Json;
  return { json, tenant };
}

const all = (j: Json, type: string): Json[] => Object.values(j.resource?.[type] ?? {});
const values = (j: Json): Json => parse(all(j, "helm_release")[0]!.values[0]);
const policy = (j: Json, name: string): Json | undefined =>
  all(j, "kubernetes_network_policy_v1").find((networkPolicy) => networkPolicy.metadata.name === name);
const externalSecret = (j: Json, name: string): Json | undefined =>
  all(j, "kubernetes_manifest")
    .map((resource) => resource.manifest)
    .find((manifest) => manifest.kind === "ExternalSecret" && manifest.metadata.name === name);

describe("MinIO tenant on a plain cluster", () => {
  const { json, tenant } = synth(localFoundation);
  const helmValues = values(json);
  const tenantValues = helmValues.tenant;

  it("installs the pinned tenant chart as release minio", () => {
    expect(all(json, "helm_release")[0]).toMatchObject({
      name: "minio",
      namespace: "minio",
      chart: "tenant",
      version: "7.1.1",
    });
  });

  it.skipIf(chartValuesAbsent)("sets only keys the chart knows", () => {
    expect(unknownKeys(helmValues, loadDefaults("tenant", "7.1.1")!)).toEqual([]);
  });

  it("runs the digest-pinned image (the chart renders repository:tag)", () => {
    expect(`${tenantValues.image.repository}:${tenantValues.image.tag}`).toBe(versions.images.minio);
    expect(tenantValues.image.tag).toMatch(/@sha256:[0-9a-f]{64}$/);
  });

  it("sizes one pool from props, non-root, with resources", () => {
    expect(tenantValues.pools).toHaveLength(1);
    const pool = tenantValues.pools[0];
    expect(pool).toMatchObject({
      name: "pool-0",
      servers: 4,
      volumesPerServer: 1,
      size: "20Gi",
      storageClassName: "standard",
    });
    expect(pool.resources).toEqual({ requests: { cpu: "250m", memory: "1Gi" }, limits: { memory: "1Gi" } });
    expect(pool.securityContext).toMatchObject({ runAsNonRoot: true, runAsUser: 1000, fsGroup: 1000 });
    expect(pool.containerSecurityContext).toMatchObject({
      runAsNonRoot: true,
      allowPrivilegeEscalation: false,
      capabilities: { drop: ["ALL"] },
      seccompProfile: { type: "RuntimeDefault" },
    });
  });

  it("takes root credentials from an ExternalSecret rendering config.env, never from values", () => {
    expect(tenantValues.configSecret).toEqual({ name: "minio-env-configuration", existingSecret: true });
    const es = externalSecret(json, "minio-env-configuration")!;
    expect(es.spec.data).toEqual([
      { secretKey: "rootUser", remoteRef: rootUser },
      { secretKey: "rootPassword", remoteRef: rootPassword },
    ]);
    expect(es.spec.target.template.data["config.env"]).toBe(
      'export MINIO_ROOT_USER="{{ .rootUser }}"\nexport MINIO_ROOT_PASSWORD="{{ .rootPassword }}"\n',
    );
    const text = all(json, "helm_release")[0]!.values[0] as string;
    expect(text).not.toMatch(/accessKey|secretKey|minio123|minioadmin/);
    expect(all(json, "helm_release")[0]!.depends_on).toEqual(
      expect.arrayContaining([expect.stringMatching(/^kubernetes_manifest\.minio_root_es/)]),
    );
  });

  it("creates the lake buckets, Airbyte's bucket and the applications' user natively", () => {
    expect(tenantValues.buckets).toEqual([
      { name: "bronze", region: "us-east-1" },
      { name: "silver", region: "us-east-1" },
      { name: "gold", region: "us-east-1" },
      { name: "airbyte", region: "us-east-1" },
      { name: "platform", region: "us-east-1" },
    ]);
    expect(tenantValues.users).toEqual([{ name: "minio-lake-user" }]);
    const es = externalSecret(json, "minio-lake-user")!;
    expect(es.spec.data).toEqual([
      { secretKey: "CONSOLE_ACCESS_KEY", remoteRef: { key: "minio-lake", property: "accessKey" } },
      { secretKey: "CONSOLE_SECRET_KEY", remoteRef: { key: "minio-lake", property: "secretKey" } },
    ]);
    expect(tenant.lakeUserSecret).toBe("minio-lake-user");
  });

  it("serves plain HTTP on the operator's fixed `minio` service", () => {
    expect(tenantValues.certificate).toEqual({ requestAutoCert: false });
    expect(tenant.endpoint).toBe("http://minio.minio.svc.cluster.local");
    expect(tenant.endpoint).toBe(localFoundation.objectStore.endpoint);
    expect([tenant.serviceName, tenant.servicePort, tenant.targetPort]).toEqual(["minio", 80, 9000]);
  });

  it("probes MinIO's health endpoints", () => {
    expect(tenantValues.liveness.httpGet).toEqual({ path: "/minio/health/live", port: 9000, scheme: "HTTP" });
    expect(tenantValues.readiness.httpGet.path).toBe("/minio/health/ready");
    expect(tenantValues.startup.failureThreshold).toBeGreaterThan(tenantValues.liveness.failureThreshold);
  });

  it("has no zone spread without zoneSpread", () => {
    expect(tenantValues.pools[0].topologySpreadConstraints).toEqual([]);
  });

  it("adds a disruption budget of one server", () => {
    const pdb = all(json, "kubernetes_pod_disruption_budget_v1")[0]!;
    expect(pdb.spec).toEqual({ max_unavailable: "1", selector: { match_labels: { "v1.min.io/tenant": "minio" } } });
  });

  it("admits S3 clients from every namespace and the operator, and reaches the operator's STS and the API server", () => {
    const pods = { "v1.min.io/tenant": "minio" };
    const clients = policy(json, "ingress-s3-clients")!;
    expect(clients.spec.pod_selector.match_labels).toEqual(pods);
    expect(clients.spec.ingress[0]).toEqual({
      from: [{ namespace_selector: {} }],
      ports: [{ port: "9000", protocol: "TCP" }],
    });
    const op = policy(json, "ingress-operator")!;
    expect(op.spec.ingress[0].from).toEqual([
      { namespace_selector: { match_labels: { "kubernetes.io/metadata.name": "minio-operator" } } },
    ]);
    const sts = policy(json, "egress-operator-sts")!;
    expect(sts.spec.egress[0]).toEqual({
      to: [{ namespace_selector: { match_labels: { "kubernetes.io/metadata.name": "minio-operator" } } }],
      ports: [{ port: "4223", protocol: "TCP" }],
    });
    expect(policy(json, "egress-api-server")!.spec.egress[0].ports).toEqual([
      { port: "443", protocol: "TCP" },
      { port: "6443", protocol: "TCP" },
    ]);
  });

  it("holds no literal secret (the scanner's only hits are ExternalSecret target key names)", () => {
    const findings = findLiteralSecrets(json);
    // `spec.data[].secretKey` names a key of the target Secret, not a value.
    expect(
      findings.every((finding) =>
        /^resource\.kubernetes_manifest\.[^.]+\.manifest\.spec\.data\.\d+\.secretKey$/.test(finding.path),
      ),
    ).toBe(true);
    expect(findings.filter((finding) => finding.path === "(anywhere)")).toEqual([]);
  });
});

describe("MinIO tenant with zone spread and role-based access", () => {
  const { json, tenant } = synth(awsFoundation, { servers: 1, volumesPerServer: 1, storageClass: "fast-ssd" });
  const tenantValues = values(json).tenant;

  it("spreads servers across zones", () => {
    expect(tenantValues.pools[0].topologySpreadConstraints).toEqual([
      {
        maxSkew: 1,
        topologyKey: "topology.kubernetes.io/zone",
        whenUnsatisfiable: "DoNotSchedule",
        labelSelector: { matchLabels: { "v1.min.io/tenant": "minio", "v1.min.io/pool": "pool-0" } },
      },
    ]);
    expect(tenantValues.pools[0].storageClassName).toBe("fast-ssd");
  });

  it("creates no lake user without a credentials Secret, and no budget for a single server", () => {
    expect(tenantValues.users).toEqual([]);
    expect(tenant.lakeUserSecret).toBeUndefined();
    expect(externalSecret(json, "minio-lake-user")).toBeUndefined();
    expect(all(json, "kubernetes_pod_disruption_budget_v1")).toEqual([]);
    expect(tenantValues.buckets.map((bucket: Json) => bucket.name)).toEqual([
      "lake-test-bronze",
      "lake-test-silver",
      "lake-test-gold",
      "lake-test-airbyte",
      "lake-test-platform",
    ]);
  });
});

describe("MinIO tenant input checks", () => {
  it("refuses 2 or 3 drives: erasure coding needs 4, single-drive mode exactly 1", () => {
    expect(() => synth(localFoundation, { servers: 1, volumesPerServer: 2 })).toThrow(/>= 4 for erasure coding/);
    expect(() => synth(localFoundation, { servers: 3, volumesPerServer: 1 })).toThrow(/>= 4 for erasure coding/);
    expect(() => synth(localFoundation, { servers: 2, volumesPerServer: 2 })).not.toThrow();
  });

  it("refuses an image not pinned by digest", () => {
    expect(() => synth(localFoundation, { image: "quay.io/minio/minio:RELEASE.2025-09-07T16-13-09Z" })).toThrow(
      /pinned by digest/,
    );
  });

  it("splits digest-only references the way the chart documents", () => {
    const hex = "a".repeat(64);
    expect(splitDigestPinnedImage(`registry.local:5000/minio/minio@sha256:${hex}`)).toEqual({
      repository: "registry.local:5000/minio/minio@sha256",
      tag: hex,
    });
    expect(splitDigestPinnedImage(`registry.local:5000/minio/minio:v1@sha256:${hex}`)).toEqual({
      repository: "registry.local:5000/minio/minio",
      tag: `v1@sha256:${hex}`,
    });
  });
});
