// Types of the objects written as kubernetes_manifest, so a misspelt or mistyped field fails the
// type check. Built-in kinds: kubernetes-types 1.30.0, the newest version published on npm (the
// cluster runs 1.35; no field used here changed since). Custom resources: custom-resource-types.ts.
import { Manifest, type ManifestConfig } from "@cdktf/provider-kubernetes/lib/manifest";
import type { Deployment, StatefulSet } from "kubernetes-types/apps/v1";
import type { CronJob, Job } from "kubernetes-types/batch/v1";
import type { Service } from "kubernetes-types/core/v1";
import type { Construct } from "constructs";
import type { CustomObject } from "./custom-resource-types";

export type { Deployment, StatefulSet } from "kubernetes-types/apps/v1";
export type { CronJob, Job, JobSpec } from "kubernetes-types/batch/v1";
export type {
  Affinity,
  Container,
  ContainerPort,
  EnvVar,
  EnvVarSource,
  PersistentVolumeClaim,
  PodSpec,
  PodTemplateSpec,
  Probe,
  Service,
  Taint,
  Toleration,
  TopologySpreadConstraint,
  Volume,
} from "kubernetes-types/core/v1";
export type { ObjectMeta } from "kubernetes-types/meta/v1";
export type * from "./custom-resource-types";

/** A built-in kind with the apiVersion and kind every manifest must carry. */
type Typed<T extends { apiVersion?: string; kind?: string }> = T & Required<Pick<T, "apiVersion" | "kind">>;

export type KubernetesObject =
  Typed<Deployment> | Typed<StatefulSet> | Typed<Job> | Typed<CronJob> | Typed<Service> | CustomObject;

export type TypedManifestConfig = Omit<ManifestConfig, "manifest"> & { manifest: KubernetesObject };

/** A kubernetes_manifest whose object is checked against its kind's type. */
export function typedManifest(scope: Construct, id: string, config: TypedManifestConfig): Manifest {
  return new Manifest(scope, id, config as ManifestConfig);
}
