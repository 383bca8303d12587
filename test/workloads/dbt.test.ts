import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { Dbt, type DbtProps } from "../../constructs/k8s/workloads/dbt";
import type { Foundation } from "../../constructs/platform/contract";
import { findLiteralSecrets } from "../../lib/secret-scan";
import { awsFoundation, localFoundation } from "../fixtures/foundations";
import { resources, synthConstruct, type Synthesized } from "../helpers";

type Json = Record<string, any>;

const dremio = { host: "dremio-client.dremio.svc.cluster.local", namespace: "dremio" };

function build(foundation: Foundation, over: Partial<DbtProps> = {}): { stack: Synthesized; dbt: Dbt } {
  let dbt!: Dbt;
  const stack = synthConstruct((scope) => {
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
  return { stack, dbt };
}

const manifests = (stack: Synthesized) =>
  resources(stack, "kubernetes_manifest").map((resource) => resource.manifest as Json);
const cronJob = (stack: Synthesized) => {
  const all = manifests(stack).filter((manifest) => manifest.kind === "CronJob");
  expect(all).toHaveLength(1);
  return all[0]!;
};
const container = (stack: Synthesized) => cronJob(stack).spec.jobTemplate.spec.template.spec.containers[0] as Json;
const profilesText = (stack: Synthesized): string => {
  const cms = resources(stack, "kubernetes_config_map_v1");
  expect(cms).toHaveLength(1);
  return cms[0]!.data["profiles.yml"];
};
const policies = (stack: Synthesized) =>
  Object.fromEntries(
    resources(stack, "kubernetes_network_policy_v1").map((policy) => [
      policy.metadata.name as string,
      policy.spec as Json,
    ]),
  );

describe.each([
  ["aws", awsFoundation],
  ["local", localFoundation],
] as const)("dbt on the %s foundation", (_label, foundation) => {
  const { stack, dbt } = build(foundation);

  it("schedules one run at a time, keeps a bounded history and bounds every run", () => {
    const cj = cronJob(stack);
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
    const dbtContainer = container(stack);
    expect(dbtContainer.image).toBe("registry.fixture.example/analytics/dbt:1.4.2");
    expect(dbtContainer.workingDir).toBe("/usr/app");
    expect(dbtContainer.command).toEqual([
      "dbt",
      "build",
      "--profile",
      "platform",
      "--target",
      "prod",
      "--profiles-dir",
      "/profiles",
    ]);
    expect(dbtContainer.resources.requests).toEqual({ cpu: "250m", memory: "512Mi" });
    expect(dbtContainer.resources.limits.memory).toBe("1Gi");
  });

  it("runs as non-root on a read-only root file system, without a service account token", () => {
    const pod = cronJob(stack).spec.jobTemplate.spec.template.spec;
    expect(pod.automountServiceAccountToken).toBe(false);
    expect(pod.enableServiceLinks).toBe(false);
    expect(pod.securityContext).toMatchObject({
      runAsNonRoot: true,
      runAsUser: 1000,
      runAsGroup: 1000,
      seccompProfile: { type: "RuntimeDefault" },
    });
    const dbtContainer = container(stack);
    expect(dbtContainer.securityContext).toMatchObject({
      readOnlyRootFilesystem: true,
      allowPrivilegeEscalation: false,
      runAsNonRoot: true,
      capabilities: { drop: ["ALL"] },
    });
    // dbt writes target/ and logs/ (and HOME) only on the emptyDir.
    expect(pod.volumes).toContainEqual({ name: "scratch", emptyDir: { sizeLimit: "1Gi" } });
    expect(dbtContainer.volumeMounts).toContainEqual({ name: "scratch", mountPath: "/tmp" });
    expect(dbtContainer.volumeMounts).toContainEqual({ name: "profiles", mountPath: "/profiles", readOnly: true });
    const env = Object.fromEntries(
      (dbtContainer.env as Json[]).filter((envVar) => "value" in envVar).map((envVar) => [envVar.name, envVar.value]),
    );
    expect(env).toMatchObject({
      DBT_PROFILES_DIR: "/profiles",
      DBT_TARGET_PATH: "/tmp/dbt/target",
      DBT_LOG_PATH: "/tmp/dbt/logs",
      HOME: "/tmp",
      DBT_SEND_ANONYMOUS_USAGE_STATS: "false",
    });
  });

  it("renders profiles.yml for Dremio Software with the password read from the environment", () => {
    const text = profilesText(stack);
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
    const dbtContainer = container(stack);
    expect(dbtContainer.env).toContainEqual({
      name: "DBT_ENV_SECRET_DREMIO_PASSWORD",
      valueFrom: { secretKeyRef: { name: "dbt-dremio", key: "password" } },
    });
    const es = manifests(stack).find((manifest) => manifest.kind === "ExternalSecret");
    expect(es?.metadata).toEqual({ name: "dbt-dremio", namespace: "dbt" });
    expect(es?.spec.data).toEqual([
      { secretKey: "password", remoteRef: { key: foundation.secretKeys["dremio-dbt"], property: "password" } },
    ]);
    expect(es?.spec.target).not.toHaveProperty("template");
  });

  it("holds no literal secret", () => {
    expect(findLiteralSecrets(stack)).toEqual([]);
    expect(JSON.stringify(stack)).not.toMatch(/[$%]\{(?!aws_|kubernetes_)/);
  });

  it("lets dbt reach only DNS and Dremio's REST port", () => {
    const networkPolicies = policies(stack);
    expect(Object.keys(networkPolicies).sort()).toEqual(["allow-dns", "default-deny", "egress-dremio"]);
    const egress = networkPolicies["egress-dremio"]!;
    expect(egress.pod_selector).toEqual({ match_labels: dbt.podLabels });
    expect(egress.egress).toEqual([
      {
        to: [{ namespace_selector: { match_labels: { "kubernetes.io/metadata.name": "dremio" } } }],
        ports: [{ port: "9047", protocol: "TCP" }],
      },
    ]);
    // Negative: no Flight, no HTTPS to the internet, nothing admitted in.
    expect(JSON.stringify(networkPolicies)).not.toContain("32010");
    expect(JSON.stringify(networkPolicies)).not.toContain("0.0.0.0/0");
    for (const [name, spec] of Object.entries(networkPolicies))
      if (name !== "default-deny") expect(spec.ingress).toBeUndefined();
  });

  it("documents a manual run from the CronJob's template", () => {
    expect(dbt.manualRunCommand).toBe(
      "kubectl -n dbt create job --from=cronjob/dbt dbt-manual-$(date -u +%Y%m%d%H%M%S)",
    );
  });
});

describe("dbt variations", () => {
  it("takes a command, namespace, schedule, deadlines and suspension", () => {
    const { stack, dbt } = build(localFoundation, {
      namespace: "transform",
      schedule: "30 */6 * * 1-5",
      command: ["dbt", "run", "--select", "tag:hourly"],
      workingDir: "/project",
      suspend: true,
      backoffLimit: 0,
      ttlSecondsAfterFinished: 3600,
      dremio: { ...dremio, port: 9443, useSsl: true },
    });
    const cj = cronJob(stack);
    expect(cj.metadata.namespace).toBe("transform");
    expect(cj.spec.schedule).toBe("30 */6 * * 1-5");
    expect(cj.spec.suspend).toBe(true);
    expect(cj.spec.jobTemplate.spec.backoffLimit).toBe(0);
    expect(cj.spec.jobTemplate.spec.ttlSecondsAfterFinished).toBe(3600);
    expect(container(stack).command).toEqual(["dbt", "run", "--select", "tag:hourly"]);
    expect(container(stack).workingDir).toBe("/project");
    expect(parse(profilesText(stack)).platform.outputs.prod).toMatchObject({ port: 9443, use_ssl: true });
    expect(policies(stack)["egress-dremio"]!.egress[0].ports).toEqual([{ port: "9443", protocol: "TCP" }]);
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
