import { describe, expect, it } from "vitest";
import { environments, synthAll, type Synthesized } from "./helpers";

const manifests = (s: Synthesized, kind: string) =>
  Object.values(s.resource?.kubernetes_manifest ?? {})
    .map((m: any) => m.manifest)
    .filter((m: any) => m.kind === kind);
const sts = (s: Synthesized, name: string) => manifests(s, "StatefulSet").find((m) => m.metadata.name === name)!;

describe("Dremio follows each environment's configuration", () => {
  for (const env of environments()) {
    const apps = synthAll().get(`${env.name}-apps`)!;
    const d = env.workloads.dremio;

    it(`${env.name}: executors, coordinator and ZooKeeper have the configured counts and sizes`, () => {
      const exec = sts(apps, "dremio-executor");
      expect(exec.spec.replicas).toBe(d.executors.count);
      const c = exec.spec.template.spec.containers[0];
      expect(c.resources).toEqual({
        requests: { cpu: String(d.executors.requests.cpu), memory: `${d.executors.requests.memoryGiB}Gi` },
        limits: { cpu: String(d.executors.limits.cpu), memory: `${d.executors.limits.memoryGiB}Gi` },
      });
      const env_ = Object.fromEntries(c.env.filter((e: any) => "value" in e).map((e: any) => [e.name, e.value]));
      expect(env_.DREMIO_MAX_HEAP_MEMORY_SIZE_MB).toBe(String(d.executors.heapMaxGiB * 1024));
      expect(env_.DREMIO_JAVA_SERVER_EXTRA_OPTS).toContain(`-Xms${d.executors.heapMinGiB}g`);
      expect(exec.spec.volumeClaimTemplates[0].spec).toMatchObject({
        storageClassName: "fast-ssd",
        resources: { requests: { storage: `${d.executors.storageGiB}Gi` } },
      });
      expect(sts(apps, "dremio-coordinator").spec.replicas).toBe(1);
      expect(sts(apps, "zookeeper").spec.replicas).toBe(d.zookeeper.replicas);
    });

    it(`${env.name}: dbt runs on its schedule where configured, nowhere else`, () => {
      const cron = manifests(apps, "CronJob");
      if (!env.workloads.dbt || (env.platform === "aws" && env.standbyOf && !env.failover)) {
        expect(cron).toEqual([]);
      } else {
        expect(cron.map((c) => [c.spec.schedule, c.spec.concurrencyPolicy])).toEqual([
          [env.workloads.dbt.schedule, "Forbid"],
        ]);
      }
    });
  }

  it("prod has the seeds' shape: 3 executors up to 6, a 16 GiB coordinator heap, 3 ZooKeeper members", () => {
    const prod = synthAll().get("prod-apps")!;
    expect(sts(prod, "dremio-executor").spec.replicas).toBe(3);
    const hpa = Object.values(prod.resource?.kubernetes_horizontal_pod_autoscaler_v2 ?? {}).map((h: any) => [
      h.spec.scale_target_ref.name,
      h.spec.min_replicas,
      h.spec.max_replicas,
    ]);
    expect(hpa).toContainEqual(["dremio-executor", 3, 6]);
    const coord = sts(prod, "dremio-coordinator").spec.template.spec.containers[0];
    expect(coord.env.find((e: any) => e.name === "DREMIO_MAX_HEAP_MEMORY_SIZE_MB").value).toBe("16384");
    expect(sts(prod, "zookeeper").spec.replicas).toBe(3);
  });

  it("dev runs a single executor on MinIO", () => {
    const dev = synthAll().get("dev-apps")!;
    expect(sts(dev, "dremio-executor").spec.replicas).toBe(1);
    const conf = Object.values(dev.resource?.kubernetes_config_map_v1 ?? {})
      .map((m: any) => JSON.stringify(m.data))
      .join();
    expect(conf).toContain("minio.minio.svc.cluster.local");
    expect(conf).toContain("fs.s3a.path.style.access");
  });
});
