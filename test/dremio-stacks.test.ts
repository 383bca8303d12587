import { describe, expect, it } from "vitest";
import { environments, synthAll, type Synthesized } from "./helpers";

const manifests = (synthesized: Synthesized, kind: string) =>
  Object.values(synthesized.resource?.kubernetes_manifest ?? {})
    .map((resource: any) => resource.manifest)
    .filter((manifest: any) => manifest.kind === kind);
const sts = (synthesized: Synthesized, name: string) =>
  manifests(synthesized, "StatefulSet").find((manifest) => manifest.metadata.name === name)!;

describe("Dremio follows each environment's configuration", () => {
  for (const env of environments()) {
    const apps = synthAll().get(`${env.name}-apps`)!;
    const dremio = env.workloads.dremio;

    it(`${env.name}: executors, coordinator and ZooKeeper have the configured counts and sizes`, () => {
      const exec = sts(apps, "dremio-executor");
      expect(exec.spec.replicas).toBe(dremio.executors.count);
      const container = exec.spec.template.spec.containers[0];
      expect(container.resources).toEqual({
        requests: { cpu: String(dremio.executors.requests.cpu), memory: `${dremio.executors.requests.memoryGiB}Gi` },
        limits: { cpu: String(dremio.executors.limits.cpu), memory: `${dremio.executors.limits.memoryGiB}Gi` },
      });
      const env_ = Object.fromEntries(
        container.env.filter((envVar: any) => "value" in envVar).map((envVar: any) => [envVar.name, envVar.value]),
      );
      expect(env_.DREMIO_MAX_HEAP_MEMORY_SIZE_MB).toBe(String(dremio.executors.heapMaxGiB * 1024));
      expect(env_.DREMIO_JAVA_SERVER_EXTRA_OPTS).toContain(`-Xms${dremio.executors.heapMinGiB}g`);
      expect(exec.spec.volumeClaimTemplates[0].spec).toMatchObject({
        storageClassName: "fast-ssd",
        resources: { requests: { storage: `${dremio.executors.storageGiB}Gi` } },
      });
      expect(sts(apps, "dremio-coordinator").spec.replicas).toBe(1);
      expect(sts(apps, "zookeeper").spec.replicas).toBe(dremio.zookeeper.replicas);
    });

    it(`${env.name}: dbt runs on its schedule where configured, nowhere else`, () => {
      const cron = manifests(apps, "CronJob");
      if (!env.workloads.dbt || (env.platform === "aws" && env.standbyOf && !env.failover)) {
        expect(cron).toEqual([]);
      } else {
        expect(cron.map((cronJob) => [cronJob.spec.schedule, cronJob.spec.concurrencyPolicy])).toEqual([
          [env.workloads.dbt.schedule, "Forbid"],
        ]);
      }
    });
  }

  it("prod has the seeds' shape: 3 executors up to 6, a 16 GiB coordinator heap, 3 ZooKeeper members", () => {
    const prod = synthAll().get("prod-apps")!;
    expect(sts(prod, "dremio-executor").spec.replicas).toBe(3);
    const hpa = Object.values(prod.resource?.kubernetes_horizontal_pod_autoscaler_v2 ?? {}).map((autoscaler: any) => [
      autoscaler.spec.scale_target_ref.name,
      autoscaler.spec.min_replicas,
      autoscaler.spec.max_replicas,
    ]);
    expect(hpa).toContainEqual(["dremio-executor", 3, 6]);
    const coord = sts(prod, "dremio-coordinator").spec.template.spec.containers[0];
    expect(coord.env.find((envVar: any) => envVar.name === "DREMIO_MAX_HEAP_MEMORY_SIZE_MB").value).toBe("16384");
    expect(sts(prod, "zookeeper").spec.replicas).toBe(3);
  });

  it("dev runs a single executor on MinIO", () => {
    const dev = synthAll().get("dev-apps")!;
    expect(sts(dev, "dremio-executor").spec.replicas).toBe(1);
    const conf = Object.values(dev.resource?.kubernetes_config_map_v1 ?? {})
      .map((configMap: any) => JSON.stringify(configMap.data))
      .join();
    expect(conf).toContain("minio.minio.svc.cluster.local");
    expect(conf).toContain("fs.s3a.path.style.access");
  });
});
