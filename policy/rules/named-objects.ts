// Which objects the resources of a stack create, and which of them a resource names by a literal
// string: Kubernetes objects (namespace, Secret, ServiceAccount, ...) and an EKS cluster's name.
import { parseHelmValues } from "../../lib/secret-scan";
import { asArray, block, isUnresolved, type PolicyContext, type PolicyResource } from "../rule";

export interface NamedObject {
  kind: string;
  name: string;
  /** Undefined for cluster-scoped kinds (and for a use whose namespace cannot be told). */
  namespace?: string;
}
export interface Created extends NamedObject {
  address: string;
}
export interface NameUse extends NamedObject {
  /** Where the literal is, e.g. `manifest.spec.template.spec.serviceAccountName`. */
  path: string;
}

const clusterScoped = new Set([
  "Namespace",
  "StorageClass",
  "ClusterRole",
  "ClusterIssuer",
  "ClusterSecretStore",
  "GatewayClass",
  "EC2NodeClass",
  "NodePool",
  "aws_eks_cluster",
]);
const typedKinds: Record<string, string> = {
  namespace: "Namespace",
  secret: "Secret",
  service_account: "ServiceAccount",
  config_map: "ConfigMap",
  persistent_volume_claim: "PersistentVolumeClaim",
  storage_class: "StorageClass",
  role: "Role",
  cluster_role: "ClusterRole",
};
const typedKind = (type: string) => typedKinds[type.replace(/^kubernetes_/, "").replace(/_v1$/, "")];

const literal = (value: unknown): string | undefined =>
  typeof value === "string" && value !== "" && !isUnresolved(value) ? value : undefined;

/** A namespace as written: a literal, or a reference to a namespace the stack creates. */
function namespaceOf(ctx: PolicyContext, value: unknown): string | undefined {
  const written = literal(value);
  if (written !== undefined || value === undefined) return written;
  const resource = ctx.referenced(value);
  return resource ? created(ctx, resource).find((object) => object.kind === "Namespace")?.name : undefined;
}

/** The objects one resource creates. */
export function created(ctx: PolicyContext, resource: PolicyResource): Created[] {
  const out: Created[] = [];
  const add = (kind: string, name: unknown, namespace: unknown) => {
    const literalName = literal(name);
    if (literalName !== undefined)
      out.push({
        kind,
        name: literalName,
        address: resource.address,
        ...(clusterScoped.has(kind) ? {} : { namespace: namespaceOf(ctx, namespace) ?? "default" }),
      });
  };
  const attrs = resource.attrs;
  if (resource.type === "kubernetes_manifest") {
    const manifest = attrs.manifest ?? {};
    add(manifest.kind, manifest.metadata?.name, manifest.metadata?.namespace);
    // Controllers that create a Secret: external-secrets and cert-manager.
    if (manifest.kind === "ExternalSecret")
      add("Secret", manifest.spec?.target?.name ?? manifest.metadata?.name, manifest.metadata?.namespace);
    if (manifest.kind === "Certificate") add("Secret", manifest.spec?.secretName, manifest.metadata?.namespace);
  } else if (resource.type === "helm_release") {
    if (attrs.create_namespace === true || attrs.create_namespace === "true")
      add("Namespace", attrs.namespace, undefined);
  } else if (resource.type === "aws_eks_cluster") add("aws_eks_cluster", attrs.name, undefined);
  else {
    const kind = typedKind(resource.type);
    if (kind) add(kind, block(attrs.metadata)?.name, block(attrs.metadata)?.namespace);
  }
  return out;
}

/** Keys whose literal value names an object of a kind (Maps: a key such as "constructor" is data). */
const scalarKeys = new Map(
  Object.entries({
    namespace: "Namespace",
    secretName: "Secret",
    secret_name: "Secret",
    existingSecret: "Secret",
    serviceAccountName: "ServiceAccount",
    service_account_name: "ServiceAccount",
    storageClassName: "StorageClass",
    storage_class_name: "StorageClass",
    claimName: "PersistentVolumeClaim",
    claim_name: "PersistentVolumeClaim",
    gatewayClassName: "GatewayClass",
    "cert-manager.io/cluster-issuer": "ClusterIssuer",
    "cert-manager.io/issuer": "Issuer",
  }),
);
/** Keys whose value is `{ name, namespace?, kind? }` (or a list of them); the kind when it has none. */
const refKeys = new Map(
  Object.entries({
    secretRef: "Secret",
    secretKeyRef: "Secret",
    secret_ref: "Secret",
    secret_key_ref: "Secret",
    imagePullSecrets: "Secret",
    image_pull_secrets: "Secret",
    certificateRefs: "Secret",
    configMap: "ConfigMap",
    configMapRef: "ConfigMap",
    configMapKeyRef: "ConfigMap",
    config_map: "ConfigMap",
    config_map_ref: "ConfigMap",
    config_map_key_ref: "ConfigMap",
    serviceAccount: "ServiceAccount",
    issuerRef: "Issuer",
    secretStoreRef: "SecretStore",
    roleRef: "Role",
    role_ref: "Role",
    subjects: "ServiceAccount",
    subject: "ServiceAccount",
    parentRefs: "Gateway",
    nodeClassRef: "EC2NodeClass",
    generatorRef: "Password",
    caProvider: "ConfigMap",
  }),
);
/** Free-form maps: their keys and values are data, not names (label values, file contents). */
const skipped = new Set(["labels", "matchLabels", "match_labels", "data", "binary_data", "stringData", "string_data"]);
/** Terraform's meta-arguments and cdktf's metadata, at the top of a resource. */
const metaArguments = new Set(["//", "depends_on", "lifecycle", "provider", "count", "for_each"]);

/** Every literal name of an object this resource uses (the objects it creates are not uses). */
export function nameUses(ctx: PolicyContext, resource: PolicyResource): NameUse[] {
  const attrs = resource.attrs;
  const out: NameUse[] = [];
  // The path is kept as segments and spelled out only for a use: most attributes are none.
  const path: string[] = [];
  const at = (...more: string[]) =>
    [...path, ...more].map((segment, i) => (i === 0 || segment.startsWith("[") ? segment : `.${segment}`)).join("");
  const use = (kind: string, name: unknown, namespace: string | undefined, where: () => string) => {
    const literalName = literal(name);
    if (literalName !== undefined)
      out.push({
        kind,
        name: literalName,
        path: where(),
        ...(clusterScoped.has(kind) ? {} : namespace !== undefined ? { namespace } : {}),
      });
  };
  const walk = (value: unknown, ns: string | undefined, inChart: boolean): void => {
    if (Array.isArray(value)) {
      value.forEach((child, i) => (path.push(`[${i}]`), walk(child, ns, inChart), path.pop()));
      return;
    }
    if (!value || typeof value !== "object") return;
    for (const [k, child] of Object.entries(value)) {
      if (skipped.has(k) || (path.length === 0 && metaArguments.has(k))) continue;
      const scalarKind = scalarKeys.get(k);
      if (scalarKind && typeof child === "string") use(scalarKind, child, ns, () => at(k));
      // A chart's `serviceAccount: { create, name }` is one the chart creates, not a use.
      const refKind = refKeys.get(k);
      if (refKind && !(inChart && k === "serviceAccount")) {
        asArray<Record<string, any>>(child).forEach((ref, i) => {
          if (!ref || typeof ref !== "object") return;
          if ((k === "subject" || k === "subjects") && ref.kind !== "ServiceAccount") return;
          const kind = k === "caProvider" ? (ref.type ?? refKind) : (ref.kind ?? refKind);
          use(kind, ref.name, namespaceOf(ctx, ref.namespace) ?? ns, () =>
            Array.isArray(child) ? at(k, `[${i}]`, "name") : at(k, "name"),
          );
        });
      }
      path.push(k);
      walk(child, ns, inChart);
      path.pop();
    }
  };
  const under = (root: string, value: unknown, ns: string | undefined, inChart: boolean) => {
    path.push(root);
    walk(value, ns, inChart);
    path.pop();
  };
  if (resource.type === "kubernetes_manifest") {
    const manifest = attrs.manifest ?? {};
    under(
      "manifest",
      {
        metadata: { namespace: manifest.metadata?.namespace, annotations: manifest.metadata?.annotations },
        spec: manifest.spec,
      },
      namespaceOf(ctx, manifest.metadata?.namespace),
      false,
    );
    if (manifest.kind === "ExternalSecret") out.push(...storeReads(ctx, manifest));
  } else if (resource.type === "helm_release") {
    use("Namespace", attrs.namespace, undefined, () => "namespace");
    under("values", parseHelmValues(attrs.values), namespaceOf(ctx, attrs.namespace), true);
  } else if (resource.type.startsWith("kubernetes_")) {
    walk(attrs, namespaceOf(ctx, block(attrs.metadata)?.namespace), false);
  } else if (resource.type.startsWith("aws_"))
    use("aws_eks_cluster", attrs.cluster_name, undefined, () => "cluster_name");
  return out;
}

/** An ExternalSecret reading from a store of the stack that serves Secrets of one namespace of the
 *  cluster (the kubernetes provider): each remote key names a Secret there. */
function storeReads(ctx: PolicyContext, manifest: Record<string, any>): NameUse[] {
  const ref = manifest.spec?.secretStoreRef ?? {};
  const storeKind = ref.kind ?? "SecretStore";
  const store = ctx
    .ofType("kubernetes_manifest")
    .map((resource) => resource.attrs.manifest)
    .find((candidate) => candidate?.kind === storeKind && candidate.metadata?.name === ref.name);
  const remote = literal(store?.spec?.provider?.kubernetes?.remoteNamespace);
  if (remote === undefined) return [];
  const keys = [
    ...asArray<Record<string, any>>(manifest.spec?.data).map(
      (entry, i) => [entry.remoteRef?.key, `manifest.spec.data[${i}].remoteRef.key`] as const,
    ),
    ...asArray<Record<string, any>>(manifest.spec?.dataFrom).map(
      (entry, i) => [entry.extract?.key, `manifest.spec.dataFrom[${i}].extract.key`] as const,
    ),
  ];
  return keys.flatMap(([key, path]) =>
    literal(key) !== undefined ? [{ kind: "Secret", name: key as string, namespace: remote, path }] : [],
  );
}
