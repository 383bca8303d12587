// Karpenter's spot pool is used: stateless pods that survive interruption tolerate its taint.
import { describe, expect, it } from "vitest";
import { statelessNodes } from "../../constructs/k8s/platform/karpenter-node-pools";
import { synthStack } from "../helpers";
import { manifests, releaseValues } from "../k8s/helpers";

const toleration = { key: statelessNodes.key, operator: "Equal", value: statelessNodes.value, effect: "NoSchedule" };

describe("interruptible work on the spot pool", () => {
  const aws = synthStack("staging-apps");
  const local = synthStack("dev-apps");

  it("the spot NodePool taints and labels its nodes with what the workloads tolerate and prefer", () => {
    const pool = manifests(aws, "NodePool").find((nodePool) => nodePool.spec.template.spec.taints.length > 0)!;
    expect(pool.spec.template.spec.taints).toEqual([{ ...statelessNodes, effect: "NoSchedule" }]);
    expect(pool.spec.template.metadata.labels).toEqual({ [statelessNodes.key]: statelessNodes.value });
  });

  it("Superset's web servers and Celery workers tolerate and prefer the spot nodes", () => {
    const spec = manifests(aws, "Superset")[0]!.spec;
    for (const component of [spec.webServer, spec.celeryWorker]) {
      expect(component.podTemplate.tolerations).toEqual([toleration]);
      expect(
        component.podTemplate.affinity.nodeAffinity.preferredDuringSchedulingIgnoredDuringExecution[0].preference
          .matchExpressions,
      ).toEqual([{ key: statelessNodes.key, operator: "In", values: [statelessNodes.value] }]);
    }
  });

  it("Airbyte's sync pods tolerate the spot nodes", () => {
    expect(releaseValues(aws).airbyte.global.jobs.kube.tolerations).toEqual([toleration]);
  });

  it("a plain cluster has no such nodes, and nothing tolerates them", () => {
    const spec = manifests(local, "Superset")[0]!.spec;
    expect(spec.webServer.podTemplate.tolerations).toBeUndefined();
    expect(releaseValues(local).airbyte.global.jobs).toBeUndefined();
  });
});
