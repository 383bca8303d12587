// Kubernetes workloads declared as kubernetes_manifest, namespaces, and Helm releases.
import {
  allTiers,
  asArray,
  block,
  isFalse,
  isTrue,
  type PolicyFix,
  type PolicyResource,
  type PolicyRule,
} from "../rule";

const workloadKinds = ["Deployment", "StatefulSet", "DaemonSet", "Job", "CronJob"];
/** A chart mirror on the machine that runs Terraform (the live tier's). */
const loopbackHttp = /^http:\/\/(127\.0\.0\.1|localhost|\[::1\])(:\d+)?(\/|$)/;

/** Workloads whose pods are meant to keep running (probed, budgeted). */
export const longRunningKinds = ["Deployment", "StatefulSet", "DaemonSet"];

interface Pod {
  spec: Record<string, any>;
  containers: Record<string, any>[];
}

/** The pod template of a workload manifest, or undefined for other kinds. */
export function podOf(resource: PolicyResource): Pod | undefined {
  const manifest = resource.attrs.manifest;
  if (!manifest || !workloadKinds.includes(manifest.kind)) return undefined;
  const spec =
    manifest.kind === "CronJob" ? manifest.spec?.jobTemplate?.spec?.template?.spec : manifest.spec?.template?.spec;
  if (!spec) return { spec: {}, containers: [] };
  return {
    spec,
    containers: [
      ...asArray<Record<string, any>>(spec.initContainers),
      ...asArray<Record<string, any>>(spec.containers),
    ],
  };
}

/** A rule over each container of a workload manifest; `bad` names what is wrong with one. */
function containerRule(
  id: string,
  title: string,
  message: string,
  fix: PolicyFix,
  bad: (c: Record<string, any>, pod: Record<string, any>) => string | undefined,
): PolicyRule {
  return {
    id,
    title,
    message,
    fix,
    errorTiers: allTiers,
    resourceTypes: ["kubernetes_manifest"],
    check: (resource) => {
      const pod = podOf(resource);
      if (!pod) return undefined;
      const out = pod.containers.flatMap((container) => {
        const why = bad(container, pod.spec);
        return why ? [`${container.name ?? "?"}: ${why}`] : [];
      });
      return out.length ? out.join("; ") : undefined;
    },
  };
}

export const kubernetesRules: PolicyRule[] = [
  containerRule(
    "K8S-001",
    "Memory requests and limits",
    "set resources.requests.memory and resources.limits.memory on every container",
    { code: [] },
    (container) => {
      const missing = [
        container.resources?.requests?.memory ? "" : "requests.memory",
        container.resources?.limits?.memory ? "" : "limits.memory",
      ].filter(Boolean);
      return missing.length ? `missing ${missing.join(", ")}` : undefined;
    },
  ),
  containerRule(
    "K8S-002",
    "Runs as non-root",
    "set securityContext.runAsNonRoot = true (pod or container)",
    { code: ["constructs/k8s/pod-hardening.ts"] },
    (container, pod) => {
      const sc = container.securityContext ?? {};
      if (isTrue(sc.runAsNonRoot) || (typeof sc.runAsUser === "number" && sc.runAsUser > 0)) return undefined;
      if (sc.runAsNonRoot === undefined && sc.runAsUser === undefined) {
        const psc = pod.securityContext ?? {};
        if (isTrue(psc.runAsNonRoot) || (typeof psc.runAsUser === "number" && psc.runAsUser > 0)) return undefined;
      }
      return "may run as root";
    },
  ),
  containerRule(
    "K8S-003",
    "No privilege escalation",
    "set securityContext.allowPrivilegeEscalation = false",
    { code: ["constructs/k8s/pod-hardening.ts"] },
    (container) =>
      isFalse(container.securityContext?.allowPrivilegeEscalation) ? undefined : "allowPrivilegeEscalation not false",
  ),
  containerRule(
    "K8S-004",
    "Not privileged",
    "remove securityContext.privileged = true",
    { code: ["constructs/k8s/pod-hardening.ts"] },
    (container) => (isTrue(container.securityContext?.privileged) ? "privileged" : undefined),
  ),
  containerRule(
    "K8S-005",
    "Image pinned",
    "pin the image to a version tag or digest, never :latest",
    { config: ["workloads.dbt.image"], code: ["config/versions.ts"] },
    (container) => {
      const image = container.image;
      if (typeof image !== "string") return "no image";
      if (image.includes("@sha256:")) return undefined;
      const last = image.split("/").pop() ?? image;
      const tag = last.includes(":") ? last.split(":").pop() : undefined;
      return tag === undefined || tag === "latest" ? `image ${image} is not pinned` : undefined;
    },
  ),
  {
    id: "K8S-006",
    title: "Not in the default namespace",
    message: "put the resource in a platform namespace, not default",
    fix: { code: [] },
    errorTiers: allTiers,
    resourceTypes: ["kubernetes_manifest", "kubernetes_namespace_v1", "kubernetes_namespace"],
    check: (resource) => {
      if (resource.type !== "kubernetes_manifest") {
        const name = block(resource.attrs.metadata)?.name;
        return name === "default" ? "manages the default namespace" : undefined;
      }
      if (!podOf(resource)) return undefined;
      const ns = resource.attrs.manifest.metadata?.namespace;
      return ns === undefined || ns === "default" ? `namespace is ${ns ?? "unset (default)"}` : undefined;
    },
  },
  containerRule(
    "K8S-007",
    "CPU requests",
    "set resources.requests.cpu on every container (the scheduler and the autoscalers need it)",
    { code: [] },
    (container) => (container.resources?.requests?.cpu ? undefined : "missing requests.cpu"),
  ),
  {
    id: "K8S-008",
    title: "Readiness and liveness probes",
    message: "set readinessProbe and livenessProbe on every container of a Deployment, StatefulSet or DaemonSet",
    fix: { code: ["constructs/k8s/pod-hardening.ts"] },
    errorTiers: allTiers,
    resourceTypes: ["kubernetes_manifest"],
    check: (resource) => {
      // Jobs and CronJobs run to completion, and init containers exit: neither is probed.
      if (!longRunningKinds.includes(resource.attrs.manifest?.kind)) return undefined;
      const out = asArray<Record<string, any>>(podOf(resource)?.spec.containers).flatMap((container) => {
        const missing = [
          container.readinessProbe ? "" : "readinessProbe",
          container.livenessProbe ? "" : "livenessProbe",
        ].filter(Boolean);
        return missing.length ? [`${container.name ?? "?"}: missing ${missing.join(", ")}`] : [];
      });
      return out.length ? out.join("; ") : undefined;
    },
  },
  {
    id: "K8S-011",
    title: "No host namespaces",
    message: "remove hostNetwork, hostPID and hostIPC from the pod spec",
    fix: { code: ["constructs/k8s/pod-hardening.ts"] },
    errorTiers: allTiers,
    resourceTypes: ["kubernetes_manifest"],
    check: (resource) => {
      const spec = podOf(resource)?.spec ?? {};
      const on = ["hostNetwork", "hostPID", "hostIPC"].filter((k) => isTrue(spec[k]));
      return on.length ? `${on.join(", ")} true` : undefined;
    },
  },
  {
    id: "K8S-013",
    title: "Terraform-managed Jobs are kept",
    message:
      "remove spec.ttlSecondsAfterFinished from the Job (name it after its inputs instead, constructs/k8s/job-manifest.ts)",
    fix: { code: ["constructs/k8s/job-manifest.ts"] },
    errorTiers: allTiers,
    resourceTypes: ["kubernetes_manifest"],
    check: (resource) => {
      // Kubernetes deletes a finished Job after its TTL, and every later plan creates it again. A
      // CronJob's Jobs are the CronJob's, not Terraform's: their TTL is fine.
      const manifest = resource.attrs.manifest;
      if (manifest?.kind !== "Job" || manifest.spec?.ttlSecondsAfterFinished === undefined) return undefined;
      return `spec.ttlSecondsAfterFinished is ${JSON.stringify(manifest.spec.ttlSecondsAfterFinished)}: Kubernetes deletes the Job and every later plan recreates it`;
    },
  },
  {
    id: "HELM-001",
    title: "Chart version pinned",
    message: "set version to an exact chart version",
    fix: { code: ["config/versions.ts"] },
    errorTiers: allTiers,
    resourceTypes: ["helm_release"],
    check: ({ attrs }) => (typeof attrs.version === "string" && attrs.version !== "" ? undefined : "version is unset"),
  },
  {
    id: "HELM-002",
    title: "Atomic or waited release",
    message: "set atomic = true (or leave wait at true)",
    fix: { code: ["constructs/k8s/helm-chart.ts"] },
    errorTiers: allTiers,
    resourceTypes: ["helm_release"],
    check: ({ attrs }) =>
      isTrue(attrs.atomic) || !isFalse(attrs.wait) ? undefined : "atomic is unset and wait is false",
  },
  {
    id: "HELM-003",
    title: "Chart fetched over TLS",
    message:
      "set repository to an https:// or oci:// address (plain http only on loopback, where nothing crosses a network)",
    fix: { config: ["chartMirror"], code: ["config/versions.ts"] },
    errorTiers: allTiers,
    resourceTypes: ["helm_release"],
    check: ({ attrs }) => {
      const repo =
        attrs.repository ??
        (typeof attrs.chart === "string" && /^[a-z]+:\/\//.test(attrs.chart) ? attrs.chart : undefined);
      if (repo === undefined) return undefined; // a chart from the local file system
      return typeof repo === "string" && (/^(https|oci):\/\//.test(repo) || loopbackHttp.test(repo))
        ? undefined
        : `repository is ${repo}`;
    },
  },
];
