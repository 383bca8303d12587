// Jobs that Terraform manages through kubernetes_manifest: run once per content, kept once finished.
import { describe, expect, it } from "vitest";
import { jobManifest, type JobManifestProps } from "../../constructs/k8s/job-manifest";
import { resources, synthAll, synthConstruct } from "../helpers";

const base: JobManifestProps = {
  baseName: "setup",
  namespace: "apps",
  labels: { "app.kubernetes.io/name": "setup" },
  hashInputs: ["script v1"],
  spec: {
    backoffLimit: 3,
    template: { spec: { restartPolicy: "Never", containers: [{ name: "setup", image: "busybox:1.37" }] } },
  },
};
const manifestOf = (props: Partial<JobManifestProps> = {}) =>
  resources(
    synthConstruct((scope) => jobManifest(scope, "job", { ...base, ...props })),
    "kubernetes_manifest",
  )[0]!.manifest as Record<string, any>;

describe("jobManifest", () => {
  it("sets no TTL: the finished Job stays, so the next plan finds it and is empty", () => {
    const manifest = manifestOf();
    expect(manifest.kind).toBe("Job");
    expect(manifest.spec.ttlSecondsAfterFinished).toBeUndefined();
  });

  it("rejects a TTL, which would have Kubernetes delete the Job and every later plan recreate it", () => {
    expect(() => manifestOf({ spec: { ...base.spec, ttlSecondsAfterFinished: 86400 } })).toThrow(
      /ttlSecondsAfterFinished/,
    );
  });

  it("keeps its name while its inputs stay, and takes a new one (a new run) when they change", () => {
    const name = manifestOf().metadata.name;
    expect(name).toMatch(/^setup-[0-9a-f]{8}$/);
    expect(manifestOf().metadata.name).toBe(name);
    expect(manifestOf({ hashInputs: ["script v2"] }).metadata.name).not.toBe(name);
    expect(manifestOf({ spec: { ...base.spec, backoffLimit: 4 } }).metadata.name).not.toBe(name);
  });
});

describe("Jobs in the synthesized stacks", () => {
  it("no Job that Terraform manages carries a TTL", () => {
    const jobs = [...synthAll()].flatMap(([stack, synthesized]) =>
      resources(synthesized, "kubernetes_manifest")
        .filter((resource) => resource.manifest?.kind === "Job")
        .map((resource) => ({
          stack,
          name: resource.manifest.metadata.name as string,
          ttl: resource.manifest.spec?.ttlSecondsAfterFinished,
        })),
    );
    expect(jobs.length).toBeGreaterThan(0);
    expect(jobs.filter((j) => j.ttl !== undefined)).toEqual([]);
  });
});
