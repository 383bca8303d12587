// Hardened pod and container settings, topology spread and probes, built once for every workload in
// Kubernetes API types (the Pod Security "restricted" profile). Charts that take these under other
// keys or in another order map from this output (see `inChartOrder`).
import type { PodSecurityContext, Probe, SecurityContext, TopologySpreadConstraint } from "kubernetes-types/core/v1";

export const zoneTopologyKey = "topology.kubernetes.io/zone";
export const hostTopologyKey = "kubernetes.io/hostname";

/** A reason, in words, for relaxing one setting of the restricted profile; an empty one is refused. */
export interface Because {
  readonly because: string;
}

export interface PodSecurityOptions {
  /** Numeric uid, so the kubelet can verify runAsNonRoot without trusting the image's USER line.
   *  @default the image's user (runAsNonRoot is still enforced) */
  readonly uid?: number;
  /** @default uid */
  readonly gid?: number;
  /** Group that owns the pod's writable volumes. @default none */
  readonly fsGroup?: number;
  /** "OnRootMismatch" skips the recursive chown of a large volume that is already right. @default the kubelet's ("Always") */
  readonly fsGroupChangePolicy?: "OnRootMismatch" | "Always";
}

/** Pod-level restricted profile: non-root and the RuntimeDefault seccomp profile. */
export function restrictedPodSecurity(options: PodSecurityOptions = {}): PodSecurityContext {
  if (options.gid !== undefined && options.uid === undefined)
    throw new Error("restrictedPodSecurity: a gid needs a uid");
  return {
    runAsNonRoot: true,
    ...(options.uid !== undefined ? { runAsUser: options.uid, runAsGroup: options.gid ?? options.uid } : {}),
    ...(options.fsGroup !== undefined ? { fsGroup: options.fsGroup } : {}),
    ...(options.fsGroupChangePolicy ? { fsGroupChangePolicy: options.fsGroupChangePolicy } : {}),
    seccompProfile: { type: "RuntimeDefault" },
  };
}

export interface ContainerSecurityOptions {
  /** @default the pod's user */
  readonly uid?: number;
  /** @default uid */
  readonly gid?: number;
  /** Where runAsNonRoot is stated: on the container, or only in the pod's context (which it inherits).
   *  @default "container" */
  readonly nonRootStatedIn?: "container" | "pod";
  /** Run as root, with the reason (e.g. reading root-owned host files); nothing else is relaxed. @default non-root */
  readonly root?: Because;
  /** Keep the root file system writable, with the reason (what the image writes where). @default read-only */
  readonly writableRootFilesystem?: Because;
  /** Repeat the RuntimeDefault seccomp profile on the container, for charts whose pod context may be dropped. @default false */
  readonly seccomp?: boolean;
}

/** Container-level restricted profile: no privilege escalation, every capability dropped, a
 *  read-only root file system unless the caller says why not. */
export function restrictedContainerSecurity(options: ContainerSecurityOptions = {}): SecurityContext {
  for (const [what, relaxation] of [
    ["writableRootFilesystem", options.writableRootFilesystem],
    ["root", options.root],
  ] as const) {
    if (relaxation !== undefined && !(typeof relaxation.because === "string" && relaxation.because.trim().length > 0)) {
      throw new Error(`restrictedContainerSecurity: ${what} needs a reason ({ because: "..." })`);
    }
  }
  // Settings of the profile are not options: relaxing one is a named option with a reason.
  for (const key of [
    "readOnlyRootFilesystem",
    "allowPrivilegeEscalation",
    "privileged",
    "capabilities",
    "runAsNonRoot",
  ]) {
    if (key in options)
      throw new Error(`restrictedContainerSecurity: ${key} is not an option (relax the profile with a reason instead)`);
  }
  if (options.root && (options.uid !== undefined || options.nonRootStatedIn !== undefined))
    throw new Error("restrictedContainerSecurity: root excludes uid and nonRootStatedIn");
  if (options.gid !== undefined && options.uid === undefined)
    throw new Error("restrictedContainerSecurity: a gid needs a uid");
  return {
    allowPrivilegeEscalation: false,
    readOnlyRootFilesystem: !options.writableRootFilesystem,
    ...(options.root || options.nonRootStatedIn === "pod" ? {} : { runAsNonRoot: true }),
    ...(options.uid !== undefined ? { runAsUser: options.uid, runAsGroup: options.gid ?? options.uid } : {}),
    capabilities: { drop: ["ALL"] },
    ...(options.seccomp ? { seccompProfile: { type: "RuntimeDefault" } } : {}),
  };
}

export interface SpreadOptions {
  /** "DoNotSchedule" for replicas that must not share a failure domain; "ScheduleAnyway" to prefer. */
  readonly whenUnsatisfiable: "DoNotSchedule" | "ScheduleAnyway";
  /** Pod labels whose values also select (e.g. "pod-template-hash": only the current rollout counts). @default none */
  readonly matchLabelKeys?: readonly string[];
  /** @default 1 */
  readonly maxSkew?: number;
}

/** Spread the pods matching `matchLabels` across zones or hosts. */
export function spreadAcross(
  domain: "zone" | "host",
  matchLabels: Readonly<Record<string, string>>,
  options: SpreadOptions,
): TopologySpreadConstraint {
  return {
    maxSkew: options.maxSkew ?? 1,
    topologyKey: domain === "zone" ? zoneTopologyKey : hostTopologyKey,
    whenUnsatisfiable: options.whenUnsatisfiable,
    labelSelector: { matchLabels: { ...matchLabels } },
    ...(options.matchLabelKeys ? { matchLabelKeys: [...options.matchLabelKeys] } : {}),
  };
}

/** When and how often a probe runs; Kubernetes' defaults apply to what is left out. */
export type ProbeTiming = Pick<
  Probe,
  "initialDelaySeconds" | "periodSeconds" | "timeoutSeconds" | "failureThreshold" | "successThreshold"
>;

export function httpProbe(
  path: string,
  port: number | string,
  timing: ProbeTiming = {},
  scheme?: "HTTP" | "HTTPS",
): Probe {
  return { httpGet: { path, port, ...(scheme ? { scheme } : {}) }, ...timing };
}

export function tcpProbe(port: number | string, timing: ProbeTiming = {}): Probe {
  return { tcpSocket: { port }, ...timing };
}

export function execProbe(command: readonly string[], timing: ProbeTiming = {}): Probe {
  return { exec: { command: [...command] }, ...timing };
}

/** The same settings with the keys in the order a chart's values list them (Helm values are
 *  written in insertion order: a reordering would change the release's values for nothing).
 *  Every key of `value` must be listed or named in `omit` (with the reason at the call site). */
export function inChartOrder<T extends object>(
  value: T,
  order: readonly (keyof T)[],
  omit: readonly (keyof T)[] = [],
): Partial<T> {
  const unlisted = Object.keys(value).filter((k) => !order.includes(k as keyof T) && !omit.includes(k as keyof T));
  if (unlisted.length) throw new Error(`inChartOrder: ${unlisted.join(", ")} neither ordered nor omitted`);
  const out: Partial<T> = {};
  for (const key of order) if (value[key] !== undefined) out[key] = value[key];
  return out;
}
