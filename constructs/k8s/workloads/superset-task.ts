// A one-off Superset CLI Job's pod (the create-admin Job, the Dremio connection Job): the Superset
// image with its pinned drivers, the CLI's configuration and the metastore, hardened like the
// operator's own pods.
import type { ITerraformDependable } from "cdktf";
import { assertNoTemplateSequences } from "../../../lib/terraform-text";
import type { resources } from "../addons/common";
import type { EnvVarSource, PodSpec } from "../manifest-types";
import { restrictedContainerSecurity, restrictedPodSecurity, type Because } from "../pod-hardening";

type Resources = ReturnType<typeof resources>;

export type EnvVar = { readonly name: string; readonly value?: string; readonly valueFrom?: EnvVarSource };

/** What a one-off Superset CLI Job needs to run with the same image, drivers, configuration and
 *  metastore as the create-admin Job (see `supersetTaskPodSpec`). */
export interface SupersetTask {
  readonly namespace: string;
  /** Name of the Superset resource. */
  readonly instance: string;
  /** repository:tag of the Superset image. */
  readonly image: string;
  /** Shell installing the pinned drivers into the pod-local drivers directory ("" with a derived image). */
  readonly installDrivers: string;
  /** ConfigMap holding the CLI's superset_config.py (SECRET_KEY and metastore URI from the environment). */
  readonly configMapName: string;
  /** PYTHONPATH, the metastore URI and SECRET_KEY: the last two by secretKeyRef. */
  readonly env: readonly EnvVar[];
  readonly resources: Resources;
  /** What must exist before such a Job runs (its ConfigMap and Secrets, the namespace). */
  readonly dependsOn: readonly ITerraformDependable[];
}

// uid/gid of the `superset` user of the official image: numeric, so the kubelet can verify
// runAsNonRoot without trusting the image's USER line.
export const supersetUid = 1000;
// As upstream's production sample; everything else of the restricted profile applies.
export const supersetWritableRoot: Because = { because: "Superset writes under /app/superset_home and /tmp" };
// The lean image's venv (/app/.venv) belongs to root: drivers go to a pod-local directory on
// PYTHONPATH instead, set in the container environment so probes and `kubectl exec` see it too.
// /app/pythonpath stays first: the operator mounts the rendered superset_config.py there.
export const driversDir = "/app/drivers";
export const pythonPath = `/app/pythonpath:${driversDir}`;

/** Shell sourced by the operator before each component and lifecycle command: installs the pinned
 *  drivers once per pod into the `drivers` emptyDir. `--no-deps`: their dependencies (SQLAlchemy,
 *  pyarrow) are already in the image, and a second copy on PYTHONPATH would shadow Superset's pins. */
export function driverScript(drivers: readonly string[]): string {
  if (drivers.length === 0) return "";
  return [
    `if [ ! -f ${driversDir}/.installed ]; then`,
    `  uv pip install --quiet --no-cache --no-deps --python /app/.venv/bin/python --target ${driversDir} ${drivers.map((driver) => `'${driver}'`).join(" ")} || exit 1`,
    `  touch ${driversDir}/.installed`,
    "fi",
  ].join("\n");
}

/**
 * The pod spec of a one-off Superset CLI Job: the create-admin Job's image, hardening, drivers,
 * configuration and metastore, running `script` (which should install `task.installDrivers` first).
 */
export function supersetTaskPodSpec(
  task: SupersetTask,
  container: { readonly name: string; readonly script: string; readonly env?: readonly EnvVar[] },
): PodSpec {
  assertNoTemplateSequences(container.script, `${container.name} script`);
  return {
    restartPolicy: "Never",
    automountServiceAccountToken: false,
    enableServiceLinks: false,
    securityContext: restrictedPodSecurity({ uid: supersetUid, fsGroup: supersetUid }),
    containers: [
      {
        name: container.name,
        image: task.image,
        command: ["/bin/sh", "-c", container.script],
        env: [...task.env, ...(container.env ?? [])],
        resources: task.resources,
        securityContext: restrictedContainerSecurity({ writableRootFilesystem: supersetWritableRoot }),
        volumeMounts: [
          { name: "config", mountPath: "/app/pythonpath", readOnly: true },
          { name: "drivers", mountPath: driversDir },
        ],
      },
    ],
    volumes: [
      { name: "config", configMap: { name: task.configMapName } },
      { name: "drivers", emptyDir: { sizeLimit: "512Mi" } },
    ],
  };
}
