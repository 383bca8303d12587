// The operators' part that a plan waits on: no operator runs on kwok, so a custom resource whose
// kubernetes_manifest waits for a status condition (an ExternalSecret's Ready) would hold the
// apply until its timeout. For each such wait found in the synthesized stacks, this sets that
// condition on every object of that kind, as the operator would once it had reconciled it.
import { PollingLoop, type KubeApi } from "./kube-api";

export interface ConditionWait {
  apiVersion: string;
  kind: string;
  type: string;
  status: string;
}

type Json = Record<string, any>;

/** The condition waits on custom resources (built-in kinds have real controllers here). */
export function conditionWaits(stack: Json): ConditionWait[] {
  const manifests = Object.values<Json>(stack.resource?.kubernetes_manifest ?? {});
  const out = new Map<string, ConditionWait>();
  for (const manifest of manifests) {
    const apiVersion: string = manifest.manifest?.apiVersion ?? "";
    const group = apiVersion.includes("/") ? apiVersion.split("/")[0]! : "";
    if (group === "" || /(^|\.)k8s\.io$/.test(group) || ["apps", "batch", "policy", "autoscaling"].includes(group))
      continue;
    for (const condition of manifest.wait?.condition ?? [])
      out.set(`${apiVersion}/${manifest.manifest.kind}/${condition.type}`, {
        apiVersion,
        kind: manifest.manifest.kind,
        type: condition.type,
        status: condition.status,
      });
  }
  return [...out.values()];
}

export class ConditionStandIn {
  readonly loop = new PollingLoop(() => this.tick());

  constructor(
    private readonly api: KubeApi,
    private readonly waits: readonly ConditionWait[],
  ) {}

  start(): void {
    this.loop.start();
  }

  stop(): void {
    this.loop.stop();
  }

  private async tick(): Promise<void> {
    const crds = await this.api.list("/apis/apiextensions.k8s.io/v1/customresourcedefinitions");
    for (const wait of this.waits) {
      const [group, version] = wait.apiVersion.split("/");
      const crd = crds.find((candidate) => candidate.spec.group === group && candidate.spec.names.kind === wait.kind);
      if (!crd) continue;
      const hasStatus = crd.spec.versions.some(
        (crdVersion: Json) => crdVersion.name === version && crdVersion.subresources?.status !== undefined,
      );
      const base = `/apis/${wait.apiVersion}`;
      for (const object of await this.api.list(`${base}/${crd.spec.names.plural}`)) {
        const conditions: Json[] = object.status?.conditions ?? [];
        if (conditions.some((condition) => condition.type === wait.type && condition.status === wait.status)) continue;
        const ns = object.metadata.namespace ? `/namespaces/${object.metadata.namespace}` : "";
        const path = `${base}${ns}/${crd.spec.names.plural}/${object.metadata.name}${hasStatus ? "/status" : ""}`;
        const condition = {
          type: wait.type,
          status: wait.status,
          reason: "LiveTierStandIn",
          message: "set by the live tier: no operator runs on kwok",
          lastTransitionTime: new Date().toISOString(),
        };
        await this.api.mergePatch(path, {
          status: { conditions: [...conditions.filter((existing) => existing.type !== wait.type), condition] },
        });
      }
    }
  }
}
