// Every custom resource written as kubernetes_manifest sets only fields its pinned CRD declares
// (read from the reference directory), and a misspelt field of a typed manifest fails the type check.
import { Testing } from "cdktf";
import { describe, expect, it } from "vitest";
import { typedManifest, type KubernetesObject } from "../../constructs/k8s/manifest-types";
import { referenceAbsent } from "../../scripts/lib/reference-dir";
import { customResourceSchema, schemaErrors } from "../crd-schema";
import { resources, synthAll } from "../helpers";

type Manifest = { apiVersion: string; kind: string; metadata: { name: string } } & Record<string, unknown>;
const builtInGroups = new Set(["", "apps", "batch", "policy", "networking.k8s.io", "rbac.authorization.k8s.io"]);
const groupOf = (apiVersion: string) => (apiVersion.includes("/") ? apiVersion.split("/")[0]! : "");

describe("typed manifests", () => {
  it("reject a misspelt field at compile time (tsc checks the @ts-expect-error lines)", () => {
    const body = (): KubernetesObject => ({
      apiVersion: "monitoring.coreos.com/v1",
      kind: "PodMonitor",
      metadata: { name: "x" },
      // @ts-expect-error podMetricEndpoints is not a PodMonitor field (podMetricsEndpoints is)
      spec: { selector: {}, podMetricEndpoints: [] },
    });
    const job = (): KubernetesObject => ({
      apiVersion: "batch/v1",
      kind: "Job",
      // @ts-expect-error restartPolice is not a PodSpec field
      spec: { template: { spec: { restartPolice: "Never", containers: [{ name: "x" }] } } },
    });
    expect([body().kind, job().kind]).toEqual(["PodMonitor", "Job"]);
    const out = Testing.synthScope((scope) => {
      typedManifest(scope, "svc", {
        manifest: {
          apiVersion: "v1",
          kind: "Service",
          metadata: { name: "s", namespace: "n" },
          spec: { ports: [{ port: 80 }] },
        },
      });
    });
    expect(resources(JSON.parse(out), "kubernetes_manifest")[0]!.manifest).toEqual({
      apiVersion: "v1",
      kind: "Service",
      metadata: { name: "s", namespace: "n" },
      spec: { ports: [{ port: 80 }] },
    });
  });
});

const absent = referenceAbsent("crds");
if (absent) console.warn(`custom resource checks skipped: ${absent}`);

describe.skipIf(absent)("custom resources match the pinned CRDs", () => {
  const custom = absent
    ? []
    : [...synthAll()].flatMap(([stack, synthesized]) =>
        resources<{ manifest: Manifest }>(synthesized, "kubernetes_manifest")
          .map((resource) => resource.manifest)
          .filter((manifest) => !builtInGroups.has(groupOf(manifest.apiVersion)))
          .map((manifest) => ({ stack, manifest })),
      );
  const schemaOf = (manifest: Manifest) => customResourceSchema(manifest.apiVersion, manifest.kind);

  it("finds custom resources of several groups", () => {
    expect(new Set(custom.map(({ manifest }) => groupOf(manifest.apiVersion))).size).toBeGreaterThan(5);
  });

  it("every one has a CRD in a pinned chart and sets only what its schema declares", () => {
    const problems = custom.flatMap(({ stack, manifest }) => {
      const schema = schemaOf(manifest);
      if (!schema)
        return [
          `${stack} ${manifest.apiVersion} ${manifest.kind} ${manifest.metadata.name}: no pinned chart installs this CRD version`,
        ];
      return schemaErrors(manifest, schema, `${stack} ${manifest.kind} ${manifest.metadata.name}`);
    });
    expect(problems).toEqual([]);
  });

  it("can fail: a misspelt field of a ServiceMonitor is reported with its path", () => {
    const manifest = {
      apiVersion: "monitoring.coreos.com/v1",
      kind: "ServiceMonitor",
      metadata: { name: "x" },
      spec: { selector: {}, endpoints: [{ port: "m", intervall: "30s" }] },
    };
    expect(schemaErrors(manifest, schemaOf(manifest)!, "sm")).toEqual([
      "sm.spec.endpoints[0].intervall: not in the CRD schema",
    ]);
  });
});
