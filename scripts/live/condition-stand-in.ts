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
  for (const m of manifests) {
    const apiVersion: string = m.manifest?.apiVersion ?? "";
    const group = apiVersion.includes("/") ? apiVersion.split("/")[0]! : "";
    if (group === "" || /(^|\.)k8s\.io$/.test(group) || ["apps", "batch", "policy", "autoscaling"].includes(group))
      continue;
    for (const c of m.wait?.condition ?? [])
      out.set(`${apiVersion}/${m.manifest.kind}/${c.type}`, {
        apiVersion,
        kind: m.manifest.kind,
        type: c.type,
        status: c.status,
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
    for (const w of this.waits) {
      const [group, version] = w.apiVersion.split("/");
      const crd = crds.find((c) => c.spec.group === group && c.spec.names.kind === w.kind);
      if (!crd) continue;
      const hasStatus = crd.spec.versions.some((v: Json) => v.name === version && v.subresources?.status !== undefined);
      const base = `/apis/${w.apiVersion}`;
      for (const o of await this.api.list(`${base}/${crd.spec.names.plural}`)) {
        const conditions: Json[] = o.status?.conditions ?? [];
        if (conditions.some((c) => c.type === w.type && c.status === w.status)) continue;
        const ns = o.metadata.namespace ? `/namespaces/${o.metadata.namespace}` : "";
        const path = `${base}${ns}/${crd.spec.names.plural}/${o.metadata.name}${hasStatus ? "/status" : ""}`;
        const condition = {
          type: w.type,
          status: w.status,
          reason: "LiveTierStandIn",
          message: "set by the live tier: no operator runs on kwok",
          lastTransitionTime: new Date().toISOString(),
        };
        await this.api.mergePatch(path, {
          status: { conditions: [...conditions.filter((c) => c.type !== w.type), condition] },
        });
      }
    }
  }
}
