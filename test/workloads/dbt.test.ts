import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { Dbt, type DbtProps } from "../../constructs/k8s/workloads/dbt";
import type { Foundation } from "../../constructs/platform/contract";
import { findLiteralSecrets } from "../../lib/secret-scan";
import { awsFoundation, localFoundation } from "../fixtures/foundations";
import { resources, synthConstruct, type Synthesized } from "../helpers";

type Json = Record<string, any>;

const dremio = { host: "dremio-client.dremio.svc.cluster.local", namespace: "dremio" };

function build(foundation: Foundation, over: Partial<DbtProps> = {}): { s: Synthesized; dbt: Dbt } {
  let dbt!: Dbt;
  const s = synthConstruct((scope) => {
    dbt = new Dbt(scope, "dbt", {
      foundation,
      schedule: "0 2 * * *",
      image: "registry.fixture.example/analytics/dbt:1.4.2",
      target: "prod",
      threads: 4,
      dremio,
      ...over,
    });
  });
  return { s, dbt };
}

const manifests = (s: Synthesized) => resources(s, "kubernetes_manifest").map((r) => r.manifest as Json);
const cronJob = (s: Synthesized) => {
  const all = manifests(s).filter((m) => m.kind === "CronJob");
  expect(all).toHaveLength(1);
  return all[0]!;
};
const container = (s: Synthesized) => cronJob(s).spec.jobTemplate.spec.template.spec.containers[0] as Json;
const profilesText = (s: Synthesized): string => {
  const cms = resources(s, "kubernetes_config_map_v1");
  expect(cms).toHaveLength(1);
  return cms[0]!.data["profiles.yml"];
};
const policies = (s: Synthesized) =>
  Object.fromEntries(
    resources(s, "kubernetes_network_policy_v1").map((p) => [p.metadata.name as string, p.spec as Json]),
  );

describe.each([
  ["aws", awsFoundation],
  ["local", localFoundation],
] as const)("dbt on the %s foundation", (_label, foundation) => {
  const { s, dbt } = build(foundation);

  it("schedules one run at a time, keeps a bounded history and bounds every run", () => {
    const cj = cronJob(s);
    expect(cj.apiVersion).toBe("batch/v1");
    expect(cj.metadata).toMatchObject({ name: "dbt", namespace: "dbt" });
    expect(dbt.cronJobName).toBe("dbt");
    expect(cj.spec).toMatchObject({
      schedule: "0 2 * * *",
      timeZone: "Etc/UTC",
      suspend: false,
      concurrencyPolicy: "Forbid",
      successfulJobsHistoryLimit: 3,
      failedJobsHistoryLimit: 5,
      startingDeadlineSeconds: 600,
    });
    const job = cj.spec.jobTemplate.spec;
    expect(job.backoffLimit).toBe(1);
    expect(job.activeDeadlineSeconds).toBe(14400);
    expect(job.ttlSecondsAfterFinished).toBe(259200);
    expect(job.template.spec.restartPolicy).toBe("Never");
  });

  it("runs dbt build for the target from the project directory", () => {
    const c = container(s);
    expect(c.image).toBe("registry.fixture.example/analytics/dbt:1.4.2");
    expect(c.workingDir).toBe("/usr/app");
    expect(c.command).toEqual([
      "dbt",
      "build",
      "--profile",
      "platform",
      "--target",
      "prod",
      "--profiles-dir",
      "/profiles",
    ]);
    expect(c.resources.requests).toEqual({ cpu: "250m", memory: "512Mi" });
    expect(c.resources.limits.memory).toBe("1Gi");
  });

  it("runs as non-root on a read-only root file system, without a service account token", () => {
    const pod = cronJob(s).spec.jobTemplate.spec.template.spec;
    expect(pod.automountServiceAccountToken).toBe(false);
    expect(pod.enableServiceLinks).toBe(false);
    expect(pod.securityContext).toMatchObject({
      runAsNonRoot: true,
      runAsUser: 1000,
      runAsGroup: 1000,
      seccompProfile: { type: "RuntimeDefault" },
    });
    const c = container(s);
    expect(c.securityContext).toMatchObject({
      readOnlyRootFilesystem: true,
      allowPrivilegeEscalation: false,
      runAsNonRoot: true,
      capabilities: { drop: ["ALL"] },
    });
    // dbt writes target/ and logs/ (and HOME) only on the emptyDir.
    expect(pod.volumes).toContainEqual({ name: "scratch", emptyDir: { sizeLimit: "1Gi" } });
    expect(c.volumeMounts).toContainEqual({ name: "scratch", mountPath: "/tmp" });
    expect(c.volumeMounts).toContainEqual({ name: "profiles", mountPath: "/profiles", readOnly: true });
    const env = Object.fromEntries((c.env as Json[]).filter((e) => "value" in e).map((e) => [e.name, e.value]));
    expect(env).toMatchObject({
      DBT_PROFILES_DIR: "/profiles",
      DBT_TARGET_PATH: "/tmp/dbt/target",
      DBT_LOG_PATH: "/tmp/dbt/logs",
      HOME: "/tmp",
      DBT_SEND_ANONYMOUS_USAGE_STATS: "false",
    });
  });

  it("renders profiles.yml for Dremio Software with the password read from the environment", () => {
    const text = profilesText(s);
    expect(text).toBe(dbt.profilesYaml);
    const out = parse(text).platform.outputs.prod;
    expect(parse(text).platform.target).toBe("prod");
    expect(out).toEqual({
      type: "dremio",
      software_host: "dremio-client.dremio.svc.cluster.local",
      port: 9047,
      use_ssl: false,
      user: "dbt",
      password: "{{ env_var('DBT_ENV_SECRET_DREMIO_PASSWORD') }}",
      object_storage_source: "lake",
      object_storage_path: foundation.objectStore.buckets.silver,
      dremio_space: "analytics",
      dremio_space_folder: "no_schema",
      threads: 4,
    });
    // Negative: no other value could be a credential, and the store key does not leak into it.
    expect(text.match(/^\s*(password|pat|PWD):/gm)).toHaveLength(1);
    expect(text).not.toContain(foundation.secretKeys["dremio-dbt"]);
    expect(text).not.toMatch(/\bpat:/);
  });

  it("sets the password variable from the store's dremio-dbt secret, by reference", () => {
    const c = container(s);
    expect(c.env).toContainEqual({
      name: "DBT_ENV_SECRET_DREMIO_PASSWORD",
      valueFrom: { secretKeyRef: { name: "dbt-dremio", key: "password" } },
    });
    const es = manifests(s).find((m) => m.kind === "ExternalSecret");
    expect(es?.metadata).toEqual({ name: "dbt-dremio", namespace: "dbt" });
    expect(es?.spec.data).toEqual([
      { secretKey: "password", remoteRef: { key: foundation.secretKeys["dremio-dbt"], property: "password" } },
    ]);
    expect(es?.spec.target).not.toHaveProperty("template");
  });

  it("holds no literal secret", () => {
    expect(findLiteralSecrets(s)).toEqual([]);
    expect(JSON.stringify(s)).not.toMatch(/[$%]\{(?!aws_|kubernetes_)/);
  });

  it("lets dbt reach only DNS and Dremio's REST port", () => {
    const p = policies(s);
    expect(Object.keys(p).sort()).toEqual(["allow-dns", "default-deny", "egress-dremio"]);
    const egress = p["egress-dremio"]!;
    expect(egress.pod_selector).toEqual({ match_labels: dbt.podLabels });
    expect(egress.egress).toEqual([
      {
        to: [{ namespace_selector: { match_labels: { "kubernetes.io/metadata.name": "dremio" } } }],
        ports: [{ port: "9047", protocol: "TCP" }],
      },
    ]);
    // Negative: no Flight, no HTTPS to the internet, nothing admitted in.
    expect(JSON.stringify(p)).not.toContain("32010");
    expect(JSON.stringify(p)).not.toContain("0.0.0.0/0");
    for (const [name, spec] of Object.entries(p)) if (name !== "default-deny") expect(spec.ingress).toBeUndefined();
  });

  it("documents a manual run from the CronJob's template", () => {
    expect(dbt.manualRunCommand).toBe(
      "kubectl -n dbt create job --from=cronjob/dbt dbt-manual-$(date -u +%Y%m%d%H%M%S)",
    );
  });
});

describe("dbt variations", () => {
  it("takes a command, namespace, schedule, deadlines and suspension", () => {
    const { s, dbt } = build(localFoundation, {
      namespace: "transform",
      schedule: "30 */6 * * 1-5",
      command: ["dbt", "run", "--select", "tag:hourly"],
      workingDir: "/project",
      suspend: true,
      backoffLimit: 0,
      ttlSecondsAfterFinished: 3600,
      dremio: { ...dremio, port: 9443, useSsl: true },
    });
    const cj = cronJob(s);
    expect(cj.metadata.namespace).toBe("transform");
    expect(cj.spec.schedule).toBe("30 */6 * * 1-5");
    expect(cj.spec.suspend).toBe(true);
    expect(cj.spec.jobTemplate.spec.backoffLimit).toBe(0);
    expect(cj.spec.jobTemplate.spec.ttlSecondsAfterFinished).toBe(3600);
    expect(container(s).command).toEqual(["dbt", "run", "--select", "tag:hourly"]);
    expect(container(s).workingDir).toBe("/project");
    expect(parse(profilesText(s)).platform.outputs.prod).toMatchObject({ port: 9443, use_ssl: true });
    expect(policies(s)["egress-dremio"]!.egress[0].ports).toEqual([{ port: "9443", protocol: "TCP" }]);
    expect(dbt.manualRunCommand).toContain("kubectl -n transform create job --from=cronjob/dbt ");
  });

  it("rejects a bad schedule, an unpinned image, out-of-range threads and template sequences", () => {
    expect(() => build(localFoundation, { schedule: "0 2 * *" })).toThrow(/five-field cron/);
    expect(() => build(localFoundation, { image: "registry.fixture.example/analytics/dbt:latest" })).toThrow(
      /pin a tag/,
    );
    expect(() => build(localFoundation, { image: "registry.fixture.example/analytics/dbt" })).toThrow(/pin a tag/);
    expect(() => build(localFoundation, { threads: 0 })).toThrow(/threads/);
    expect(() => build(localFoundation, { threads: 65 })).toThrow(/threads/);
    expect(() => build(localFoundation, { target: "prod: x" })).toThrow(/target/);
    expect(() => build(localFoundation, { command: ["sh", "-c", "echo ${HOME}"] })).toThrow(/template sequence/);
  });
});
