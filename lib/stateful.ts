// Resources whose loss loses data or breaks everything that references them: the address-lock
// test, policy rule STATE-001 and the CI plan summary (statefulTypes) read these lists.

/** Stateful by type: every resource of these types is locked, and the CI plan summary calls out
 *  its deletes and replaces. */
export const statefulTypes = [
  "aws_db_instance",
  "aws_s3_bucket",
  "aws_kms_key",
  "aws_eks_cluster",
  "aws_cloudwatch_log_group",
  "aws_secretsmanager_secret",
  "aws_vpc",
  // Kubernetes side: a release or namespace at a new address is uninstalled and recreated.
  "helm_release",
  "kubernetes_namespace_v1",
] as const;

/** Locked and guarded like the stateful types, though replacing one loses no data: the storage
 *  classes, whose reclaim policy decides what a deleted volume claim keeps. */
export const guardedTypes = ["kubernetes_storage_class_v1"] as const;

/** Stateful by content: kubernetes_manifest objects that hold data (a StatefulSet only with volume
 *  claims), as `kind` or `kind@apiGroup`. Their addresses are locked like the types above. */
export const statefulManifestKinds = [
  "StatefulSet",
  "PersistentVolumeClaim",
  "Elasticsearch@elasticsearch.k8s.elastic.co",
  "Cluster@postgresql.cnpg.io",
  "Tenant@minio.min.io",
] as const;

/** Charts whose release owns a data store's custom resource: uninstalling the release deletes it
 *  (ECK's Elasticsearch, CloudNativePG's Cluster, MinIO's Tenant). */
export const dataCharts = ["eck-elasticsearch", "cluster", "tenant"] as const;

/** Types whose deletion must be blocked by prevent_destroy in protected tiers (all AWS types but
 *  the VPC, which cannot be deleted while anything is in it). */
export const preventDestroyTypes = statefulTypes.filter((type) => type.startsWith("aws_") && type !== "aws_vpc");

/** Types that also carry the provider's own deletion protection in protected tiers. */
export const deletionProtectionTypes = ["aws_db_instance", "aws_eks_cluster"] as const;

export function isStatefulManifest(manifest: unknown): boolean {
  if (!manifest || typeof manifest !== "object") return false;
  const object = manifest as { kind?: unknown; apiVersion?: unknown; spec?: { volumeClaimTemplates?: unknown[] } };
  const group =
    typeof object.apiVersion === "string" && object.apiVersion.includes("/") ? object.apiVersion.split("/")[0] : "";
  const named = statefulManifestKinds.some((k) => k === object.kind || k === `${object.kind}@${group}`);
  if (!named) return false;
  return object.kind !== "StatefulSet" || (object.spec?.volumeClaimTemplates?.length ?? 0) > 0;
}

/** Whether a resource (type and synthesized attributes) is stateful: locked, and protected in
 *  protected tiers where `mustPreventDestroy` says so. */
export function isStateful(type: string, attrs: Record<string, any>): boolean {
  if ((statefulTypes as readonly string[]).includes(type) || (guardedTypes as readonly string[]).includes(type))
    return true;
  return type === "kubernetes_manifest" && isStatefulManifest(attrs.manifest);
}

/** Whether a resource must carry lifecycle.prevent_destroy in protected tiers: the AWS data
 *  stores and keys, the storage classes, the manifests that hold data and the data-store releases. */
export function mustPreventDestroy(type: string, attrs: Record<string, any>): boolean {
  if ((preventDestroyTypes as readonly string[]).includes(type)) return true;
  if ((guardedTypes as readonly string[]).includes(type)) return true;
  if (type === "kubernetes_manifest") return isStatefulManifest(attrs.manifest);
  return type === "helm_release" && (dataCharts as readonly string[]).includes(attrs.chart);
}

type StackJson = { resource?: Record<string, Record<string, unknown>> };

/** Every resource of a synthesized stack as [type, name, attrs]. */
export function resourcesOf(stack: StackJson): [string, string, Record<string, any>][] {
  return Object.entries(stack.resource ?? {}).flatMap(([type, byName]) =>
    Object.entries(byName ?? {}).map(
      ([name, attrs]) => [type, name, (attrs ?? {}) as Record<string, any>] as [string, string, Record<string, any>],
    ),
  );
}

/** The Terraform addresses of a synthesized stack's stateful resources, sorted. */
export function statefulAddresses(stack: StackJson): string[] {
  return resourcesOf(stack)
    .filter(([type, , attrs]) => isStateful(type, attrs))
    .map(([type, name]) => `${type}.${name}`)
    .sort();
}
