// Types of the objects written as kubernetes_manifest, so a misspelt or mistyped field fails the
// type check. Built-in kinds: kubernetes-types 1.30.0, the newest version published on npm (the
// cluster runs 1.35; no field used here changed since). Custom resources have no such package: the
// interfaces below declare only the fields this project sets, as the pinned charts' CRDs
// (../shared/crds) define them; test/k8s/manifest-types.test.ts checks every one synthesized.
import { Manifest, type ManifestConfig } from "@cdktf/provider-kubernetes/lib/manifest";
import type { Deployment, StatefulSet } from "kubernetes-types/apps/v1";
import type { CronJob, Job } from "kubernetes-types/batch/v1";
import type { Service } from "kubernetes-types/core/v1";
import type { ObjectMeta } from "kubernetes-types/meta/v1";
import type { Construct } from "constructs";

export type { Deployment, StatefulSet } from "kubernetes-types/apps/v1";
export type { CronJob, Job, JobSpec } from "kubernetes-types/batch/v1";
export type {
  Container,
  ContainerPort,
  EnvVar,
  EnvVarSource,
  PersistentVolumeClaim,
  PodSpec,
  PodTemplateSpec,
  Probe,
  Service,
  TopologySpreadConstraint,
  Volume,
} from "kubernetes-types/core/v1";
export type { ObjectMeta } from "kubernetes-types/meta/v1";

/** A namespaced custom resource: the fields every object here sets. */
interface CustomResource<ApiVersion extends string, Kind extends string, Spec> {
  apiVersion: ApiVersion;
  kind: Kind;
  metadata: ObjectMeta;
  spec: Spec;
}

// ---- monitoring.coreos.com/v1 (kube-prometheus-stack 88.5.3) ------------------------------------

/** An endpoint of a ServiceMonitor (`endpoints[]`) or PodMonitor (`podMetricsEndpoints[]`). */
export interface ScrapeEndpoint {
  port?: string;
  targetPort?: number | string;
  path?: string;
  scheme?: "http" | "https" | "HTTP" | "HTTPS";
  interval?: string;
  scrapeTimeout?: string;
  authorization?: { type?: string; credentials?: { name?: string; key: string; optional?: boolean } };
}

interface MonitorSelection {
  selector: { matchLabels?: Record<string, string> };
  namespaceSelector?: { any?: boolean; matchNames?: string[] };
}

export type ServiceMonitor = CustomResource<"monitoring.coreos.com/v1", "ServiceMonitor", MonitorSelection & { endpoints: ScrapeEndpoint[] }>;
export type PodMonitor = CustomResource<"monitoring.coreos.com/v1", "PodMonitor", MonitorSelection & { podMetricsEndpoints: ScrapeEndpoint[] }>;

/** A rule of a PrometheusRule group: an alert or a recording rule. */
export interface PrometheusRuleRule {
  alert?: string;
  record?: string;
  expr: string | number;
  for?: string;
  keep_firing_for?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
}
export type PrometheusRule = CustomResource<"monitoring.coreos.com/v1", "PrometheusRule", { groups: { name: string; interval?: string; rules: PrometheusRuleRule[] }[] }>;

// ---- Every object typed so far ------------------------------------------------------------------

/** A built-in kind with the apiVersion and kind every manifest must carry. */
type Typed<T extends { apiVersion?: string; kind?: string }> = T & Required<Pick<T, "apiVersion" | "kind">>;

export type KubernetesObject =
  | Typed<Deployment>
  | Typed<StatefulSet>
  | Typed<Job>
  | Typed<CronJob>
  | Typed<Service>
  | ServiceMonitor
  | PodMonitor
  | PrometheusRule;

export type TypedManifestConfig = Omit<ManifestConfig, "manifest"> & { manifest: KubernetesObject };

/** A kubernetes_manifest whose object is checked against its kind's type. */
export function typedManifest(scope: Construct, id: string, config: TypedManifestConfig): Manifest {
  return new Manifest(scope, id, config as ManifestConfig);
}
