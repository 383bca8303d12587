// The live tier's dev phase: dev's two stacks applied with the real kubernetes and helm providers
// to a kwok cluster shaped like a fresh kind cluster, then a no-op plan, the pods and Jobs checked,
// both stacks destroyed and the cluster checked for anything the platform left behind.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { environmentInputs } from "../../config";
import type { EnginePaths } from "../engines/paths";
import { projectRoot } from "../engines/paths";
import { synthesize } from "../run-synth";
import { startChartMirror } from "./chart-mirror";
import { ConditionStandIn, conditionWaits } from "./condition-stand-in";
import { startControlPlane } from "./control-plane";
import { createKindBaseline, inventory, type Capacity } from "./kind-baseline";
import type { KubeApi } from "./kube-api";
import { Provisioner } from "./provisioner";
import type { Check, LivePhases } from "./report";
import { errorSummary, terraformEnv, tf, writeProviderOverride } from "./terraform";

/** The capacity README tells users to give their local cluster ("about N CPUs and M GiB"). */
export function readmeCapacity(): Capacity {
  const text = readFileSync(join(projectRoot, "README.md"), "utf8");
  const match = /about (\d+) CPUs and (\d+) GiB/.exec(text);
  if (!match)
    throw new Error(
      'README.md no longer says "about N CPUs and M GiB" for the local cluster: the live tier sizes its node from that sentence',
    );
  return { cpu: Number(match[1]), memoryGiB: Number(match[2]) };
}

interface DevEnv {
  cluster: { kubeconfigPath: string; context: string; storageProvisioner: string };
  [k: string]: unknown;
}

async function pendingPods(api: KubeApi): Promise<string[]> {
  return (await api.list("/api/v1/pods"))
    .filter((pod) => pod.status?.phase === "Pending")
    .map(
      (pod) =>
        `${pod.metadata.namespace}/${pod.metadata.name}${pod.status?.conditions?.[0]?.message ? ` (${pod.status.conditions[0].message})` : ""}`,
    );
}

async function incompleteJobs(api: KubeApi): Promise<string[]> {
  return (await api.list("/apis/batch/v1/jobs"))
    .filter(
      (j) =>
        !(j.status?.conditions ?? []).some(
          (condition: { type: string; status: string }) => condition.type === "Complete" && condition.status === "True",
        ),
    )
    .map((j) => `${j.metadata.namespace}/${j.metadata.name}`);
}

/** Custom resources still present for any of the stand-in charts' CRDs. */
async function leftoverCustomResources(api: KubeApi, crdNames: string[]): Promise<string[]> {
  const out: string[] = [];
  for (const crd of await api.list("/apis/apiextensions.k8s.io/v1/customresourcedefinitions")) {
    if (!crdNames.includes(crd.metadata.name)) continue;
    const version = crd.spec.versions.find((candidate: { storage: boolean }) => candidate.storage).name;
    for (const object of await api.list(`/apis/${crd.spec.group}/${version}/${crd.spec.names.plural}`))
      out.push(`${crd.spec.names.kind} ${object.metadata.namespace ?? ""}/${object.metadata.name}`);
  }
  return out;
}

/** Runs the dev phase; `record` receives its timings when apply, plan and destroy have all run. */
export async function liveDev(
  paths: EnginePaths,
  sharedDir: string,
  workdir: string,
  checks: Check[],
  record?: (p: LivePhases) => void,
): Promise<string> {
  const dev = structuredClone(environmentInputs.dev) as DevEnv;
  const context = dev.cluster.context;
  const clusterName = context.replace(/^kind-/, "");
  const capacity = readmeCapacity();
  const cp = await startControlPlane(paths, join(workdir, "cluster"), context);
  const provisioner = new Provisioner(cp.api, [dev.cluster.storageProvisioner]);
  const mirror = await startChartMirror(paths.helm, sharedDir, workdir);
  const timings: Record<string, number> = {};
  let standIn: ConditionStandIn | undefined;
  try {
    await createKindBaseline(cp.api, clusterName, capacity, dev.cluster.storageProvisioner);
    provisioner.start();
    const before = await inventory(cp.api);

    // dev as the user configured it, pointed at this cluster, its state and the chart mirror.
    const input = {
      ...dev,
      cluster: { ...dev.cluster, kubeconfigPath: cp.kubeconfig },
      backend: { type: "local", directory: join(workdir, "state") },
      chartMirror: mirror.url,
    };
    const out = join(workdir, "dev-out");
    const synth = synthesize({ dev: input }, out);
    checks.push({
      name: "dev: synthesize with the chart mirror",
      ok: synth.ok,
      detail: synth.ok ? undefined : synth.lines.join("\n"),
    });
    if (!synth.ok) return "live: dev not synthesized";
    const env = terraformEnv(paths, {
      KUBE_CONFIG_PATH: cp.kubeconfig,
      HELM_REPOSITORY_CACHE: join(workdir, "helm-cache"),
      HELM_REPOSITORY_CONFIG: join(workdir, "helm-repos.yaml"),
    });
    const stackDir = (stack: string) => join(out, "stacks", stack);
    const order = ["dev-addons", "dev-apps"];
    const waits = order.flatMap((stack) =>
      conditionWaits(JSON.parse(readFileSync(join(stackDir(stack), "cdk.tf.json"), "utf8"))),
    );
    standIn = new ConditionStandIn(cp.api, waits);
    standIn.start();
    let resources = 0;
    let applied = true;
    const t0 = Date.now();
    for (const stack of order) {
      writeProviderOverride(stackDir(stack), ["kubernetes", "helm"]);
      const log = join(workdir, `${stack}.log`);
      const init = await tf(stackDir(stack), ["init", "-input=false", "-no-color"], { env, log });
      const apply =
        init.code === 0
          ? await tf(stackDir(stack), ["apply", "-auto-approve", "-input=false", "-no-color"], {
              env,
              log,
              timeoutMs: 20 * 60_000,
            })
          : init;
      const match = /Apply complete! Resources: (\d+) added/.exec(apply.output);
      resources += match ? Number(match[1]) : 0;
      const ok = init.code === 0 && apply.code === 0;
      checks.push({
        name: `dev: apply ${stack} from empty`,
        ok,
        detail: ok ? undefined : `${errorSummary(apply.output)}\n(log: ${log})`,
      });
      if (!ok) {
        applied = false;
        break;
      }
    }
    timings.apply = (Date.now() - t0) / 1000;

    let changes = 0;
    let pendingCount = 0;
    const t1 = Date.now();
    if (applied) {
      for (const stack of order) {
        const plan = await tf(stackDir(stack), ["plan", "-detailed-exitcode", "-input=false", "-no-color"], {
          env,
          log: join(workdir, `${stack}.log`),
        });
        const match = /Plan: (\d+) to add, (\d+) to change, (\d+) to destroy/.exec(plan.output);
        const changeCount = match ? Number(match[1]) + Number(match[2]) + Number(match[3]) : plan.code === 0 ? 0 : 1;
        changes += changeCount;
        const ok = plan.code === 0;
        checks.push({
          name: `dev: ${stack} plans no changes right after apply`,
          ok,
          detail: ok ? undefined : errorSummary(plan.output, 30),
        });
      }
      timings.plan = (Date.now() - t1) / 1000;
      // Give the scheduler and kwok a moment to settle what the last apply created.
      await new Promise((resolve) => setTimeout(resolve, 5000));
      const pending = await pendingPods(cp.api);
      pendingCount = pending.length;
      const provisionerError = provisioner.loop.lastError
        ? [`(the test's volume provisioner last failed: ${provisioner.loop.lastError})`]
        : [];
      checks.push({
        name: "dev: every pod scheduled on the documented capacity",
        ok: pending.length === 0,
        detail: [...pending, ...(pending.length ? provisionerError : [])].join("\n") || undefined,
      });
      const jobs = await incompleteJobs(cp.api);
      checks.push({ name: "dev: every Job completed", ok: jobs.length === 0, detail: jobs.join("\n") || undefined });
    }
    timings.plan ??= (Date.now() - t1) / 1000;

    const t2 = Date.now();
    let destroyed = true;
    for (const stack of [...order].reverse()) {
      const log = join(workdir, `${stack}.log`);
      // A stack whose apply never started has no working directory yet: init it, then destroy.
      await tf(stackDir(stack), ["init", "-input=false", "-no-color"], { env, log });
      const destroy = await tf(stackDir(stack), ["destroy", "-auto-approve", "-input=false", "-no-color"], {
        env,
        log,
        timeoutMs: 20 * 60_000,
      });
      checks.push({
        name: `dev: destroy ${stack}`,
        ok: destroy.code === 0,
        detail: destroy.code === 0 ? undefined : errorSummary(destroy.output),
      });
      destroyed &&= destroy.code === 0;
    }
    timings.destroy = (Date.now() - t2) / 1000;
    if (applied)
      record?.({
        resources,
        applySeconds: timings.apply!,
        planSeconds: timings.plan!,
        planChanges: changes,
        destroySeconds: timings.destroy,
      });
    if (destroyed) {
      await new Promise((resolve) => setTimeout(resolve, 3000));
      const after = await inventory(cp.api);
      const left = [
        ...[...after.namespaces].filter((name) => !before.namespaces.has(name)).map((name) => `namespace ${name}`),
        ...[...after.webhooks]
          .filter((name) => !before.webhooks.has(name))
          .map((name) => `webhook configuration ${name}`),
        ...(await cp.api.list("/api/v1/persistentvolumeclaims")).map(
          (claim) => `volume claim ${claim.metadata.namespace}/${claim.metadata.name}`,
        ),
        ...(await leftoverCustomResources(cp.api, mirror.crds)),
      ];
      checks.push({
        name: "dev: destroy leaves nothing of the platform",
        ok: left.length === 0,
        detail: left.join("\n") || undefined,
      });
    }
    return `live: dev applied ${resources} resources in ${timings.apply!.toFixed(0)} s; no-op plan ${changes} changes in ${timings.plan!.toFixed(0)} s; ${pendingCount} pods pending; destroyed in ${timings.destroy!.toFixed(0)} s`;
  } finally {
    standIn?.stop();
    provisioner.stop();
    await mirror.stop();
    await cp.stop();
  }
}
