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

const literal = (v: unknown): string | undefined =>
  typeof v === "string" && v !== "" && !isUnresolved(v) ? v : undefined;

/** A namespace as written: a literal, or a reference to a namespace the stack creates. */
function namespaceOf(ctx: PolicyContext, v: unknown): string | undefined {
  const l = literal(v);
  if (l !== undefined || v === undefined) return l;
  const r = ctx.referenced(v);
  return r ? created(ctx, r).find((c) => c.kind === "Namespace")?.name : undefined;
}

/** The objects one resource creates. */
export function created(ctx: PolicyContext, r: PolicyResource): Created[] {
  const out: Created[] = [];
  const add = (kind: string, name: unknown, namespace: unknown) => {
    const n = literal(name);
    if (n !== undefined)
      out.push({
        kind,
        name: n,
        address: r.address,
        ...(clusterScoped.has(kind) ? {} : { namespace: namespaceOf(ctx, namespace) ?? "default" }),
      });
  };
  const a = r.attrs;
  if (r.type === "kubernetes_manifest") {
    const m = a.manifest ?? {};
    add(m.kind, m.metadata?.name, m.metadata?.namespace);
    // Controllers that create a Secret: external-secrets and cert-manager.
    if (m.kind === "ExternalSecret") add("Secret", m.spec?.target?.name ?? m.metadata?.name, m.metadata?.namespace);
    if (m.kind === "Certificate") add("Secret", m.spec?.secretName, m.metadata?.namespace);
  } else if (r.type === "helm_release") {
    if (a.create_namespace === true || a.create_namespace === "true") add("Namespace", a.namespace, undefined);
  } else if (r.type === "aws_eks_cluster") add("aws_eks_cluster", a.name, undefined);
  else {
    const kind = typedKind(r.type);
    if (kind) add(kind, block(a.metadata)?.name, block(a.metadata)?.namespace);
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
export function nameUses(ctx: PolicyContext, r: PolicyResource): NameUse[] {
  const a = r.attrs;
  const out: NameUse[] = [];
  // The path is kept as segments and spelled out only for a use: most attributes are none.
  const path: string[] = [];
  const at = (...more: string[]) =>
    [...path, ...more].map((p, i) => (i === 0 || p.startsWith("[") ? p : `.${p}`)).join("");
  const use = (kind: string, name: unknown, namespace: string | undefined, where: () => string) => {
    const n = literal(name);
    if (n !== undefined)
      out.push({
        kind,
        name: n,
        path: where(),
        ...(clusterScoped.has(kind) ? {} : namespace !== undefined ? { namespace } : {}),
      });
  };
  const walk = (v: unknown, ns: string | undefined, inChart: boolean): void => {
    if (Array.isArray(v)) {
      v.forEach((x, i) => (path.push(`[${i}]`), walk(x, ns, inChart), path.pop()));
      return;
    }
    if (!v || typeof v !== "object") return;
    for (const [k, x] of Object.entries(v)) {
      if (skipped.has(k) || (path.length === 0 && metaArguments.has(k))) continue;
      const scalarKind = scalarKeys.get(k);
      if (scalarKind && typeof x === "string") use(scalarKind, x, ns, () => at(k));
      // A chart's `serviceAccount: { create, name }` is one the chart creates, not a use.
      const refKind = refKeys.get(k);
      if (refKind && !(inChart && k === "serviceAccount")) {
        asArray<Record<string, any>>(x).forEach((ref, i) => {
          if (!ref || typeof ref !== "object") return;
          if ((k === "subject" || k === "subjects") && ref.kind !== "ServiceAccount") return;
          const kind = k === "caProvider" ? (ref.type ?? refKind) : (ref.kind ?? refKind);
          use(kind, ref.name, namespaceOf(ctx, ref.namespace) ?? ns, () =>
            Array.isArray(x) ? at(k, `[${i}]`, "name") : at(k, "name"),
          );
        });
      }
      path.push(k);
      walk(x, ns, inChart);
      path.pop();
    }
  };
  const under = (root: string, v: unknown, ns: string | undefined, inChart: boolean) => {
    path.push(root);
    walk(v, ns, inChart);
    path.pop();
  };
  if (r.type === "kubernetes_manifest") {
    const m = a.manifest ?? {};
    under(
      "manifest",
      { metadata: { namespace: m.metadata?.namespace, annotations: m.metadata?.annotations }, spec: m.spec },
      namespaceOf(ctx, m.metadata?.namespace),
      false,
    );
    if (m.kind === "ExternalSecret") out.push(...storeReads(ctx, m));
  } else if (r.type === "helm_release") {
    use("Namespace", a.namespace, undefined, () => "namespace");
    under("values", parseHelmValues(a.values), namespaceOf(ctx, a.namespace), true);
  } else if (r.type.startsWith("kubernetes_")) {
    walk(a, namespaceOf(ctx, block(a.metadata)?.namespace), false);
  } else if (r.type.startsWith("aws_")) use("aws_eks_cluster", a.cluster_name, undefined, () => "cluster_name");
  return out;
}

/** An ExternalSecret reading from a store of the stack that serves Secrets of one namespace of the
 *  cluster (the kubernetes provider): each remote key names a Secret there. */
function storeReads(ctx: PolicyContext, m: Record<string, any>): NameUse[] {
  const ref = m.spec?.secretStoreRef ?? {};
  const storeKind = ref.kind ?? "SecretStore";
  const store = ctx
    .ofType("kubernetes_manifest")
    .map((s) => s.attrs.manifest)
    .find((s) => s?.kind === storeKind && s.metadata?.name === ref.name);
  const remote = literal(store?.spec?.provider?.kubernetes?.remoteNamespace);
  if (remote === undefined) return [];
  const keys = [
    ...asArray<Record<string, any>>(m.spec?.data).map(
      (d, i) => [d.remoteRef?.key, `manifest.spec.data[${i}].remoteRef.key`] as const,
    ),
    ...asArray<Record<string, any>>(m.spec?.dataFrom).map(
      (d, i) => [d.extract?.key, `manifest.spec.dataFrom[${i}].extract.key`] as const,
    ),
  ];
  return keys.flatMap(([key, path]) =>
    literal(key) !== undefined ? [{ kind: "Secret", name: key as string, namespace: remote, path }] : [],
  );
}
