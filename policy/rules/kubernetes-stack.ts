// Kubernetes rules that look across the stack: every namespace the stack creates is closed by a
// default-deny NetworkPolicy, and every replicated or autoscaled workload has a disruption budget.
import { protectedTiers } from "../../config/schema";
import { allTiers, asArray, block, blocks, type PolicyContext, type PolicyResource, type PolicyRule } from "../rule";
import { namespaceName, refersTo } from "./refs";

/** The parts of a resource that matter here, from a typed resource (snake_case blocks) or a
 *  kubernetes_manifest of the given kind (camelCase manifest). */
interface K8sObject {
  namespace: unknown;
  name: unknown;
  spec: Record<string, any>;
}

/** Per stack context: the objects of each kind, computed once (rules ask for them per resource).
 *  Keyed by kind alone: each kind is always asked for with the same typed resource types. */
const objectCache = new WeakMap<PolicyContext, Map<string, K8sObject[]>>();

function objectsOf(ctx: PolicyContext, typed: readonly string[], kind: string): K8sObject[] {
  let byKind = objectCache.get(ctx);
  if (!byKind) objectCache.set(ctx, (byKind = new Map()));
  let objects = byKind.get(kind);
  if (objects) return objects;
  const fromTyped = typed
    .flatMap((t) => ctx.ofType(t))
    .map((r) => ({
      namespace: block(r.attrs.metadata)?.namespace,
      name: block(r.attrs.metadata)?.name,
      spec: block(r.attrs.spec) ?? {},
    }));
  const fromManifests = ctx
    .ofType("kubernetes_manifest")
    .map((r) => r.attrs.manifest)
    .filter((m) => m?.kind === kind)
    .map((m) => ({ namespace: m.metadata?.namespace, name: m.metadata?.name, spec: m.spec ?? {} }));
  objects = [...fromTyped, ...fromManifests];
  byKind.set(kind, objects);
  return objects;
}

/** Either spelling of a field: snake_case (typed resources) or camelCase (manifests). */
const field = (o: Record<string, any> | undefined, snake: string, camel: string) => o?.[snake] ?? o?.[camel];

// --- K8S-009 -------------------------------------------------------------------------------------

/** Which directions a NetworkPolicy denies for every pod of its namespace (empty selector, no rules). */
function deniedDirections(spec: Record<string, any>): string[] {
  const sel = block(field(spec, "pod_selector", "podSelector")) ?? {};
  const selectsAll =
    Object.keys(field(sel, "match_labels", "matchLabels") ?? {}).length === 0 &&
    blocks(field(sel, "match_expressions", "matchExpressions")).length === 0;
  if (!selectsAll) return [];
  const ingress = blocks(spec.ingress);
  const egress = blocks(spec.egress);
  // Kubernetes' default policyTypes: Ingress, plus Egress when egress rules are present.
  const types = asArray<string>(field(spec, "policy_types", "policyTypes"));
  const effective = types.length ? types : ["Ingress", ...(egress.length ? ["Egress"] : [])];
  return [
    effective.includes("Ingress") && ingress.length === 0 ? "Ingress" : "",
    effective.includes("Egress") && egress.length === 0 ? "Egress" : "",
  ].filter(Boolean);
}

const denying = new WeakMap<PolicyContext, (K8sObject & { denied: string[] })[]>();

/** The stack's NetworkPolicies that deny some direction to a whole namespace, once per stack. */
function denyingPolicies(ctx: PolicyContext): (K8sObject & { denied: string[] })[] {
  let list = denying.get(ctx);
  if (!list) {
    list = objectsOf(ctx, ["kubernetes_network_policy_v1", "kubernetes_network_policy"], "NetworkPolicy")
      .map((p) => ({ ...p, denied: deniedDirections(p.spec) }))
      .filter((p) => p.denied.length > 0);
    denying.set(ctx, list);
  }
  return list;
}

function createdNamespace(r: PolicyResource): string | undefined {
  if (r.type === "kubernetes_manifest")
    return r.attrs.manifest?.kind === "Namespace" ? r.attrs.manifest.metadata?.name : undefined;
  return block(r.attrs.metadata)?.name;
}

// --- K8S-010 -------------------------------------------------------------------------------------

/** Does a label selector (typed or manifest spelling) select pods with these labels? */
function selects(selector: Record<string, any> | undefined, labels: Record<string, string>): boolean {
  if (!selector) return false;
  const matchLabels: Record<string, string> = field(selector, "match_labels", "matchLabels") ?? {};
  if (!Object.entries(matchLabels).every(([k, v]) => labels[k] === v)) return false;
  return blocks(field(selector, "match_expressions", "matchExpressions")).every((e) => {
    const values = asArray<string>(e.values);
    switch (e.operator) {
      case "In":
        return values.includes(labels[e.key]!);
      case "NotIn":
        return !values.includes(labels[e.key]!);
      case "Exists":
        return e.key in labels;
      case "DoesNotExist":
        return !(e.key in labels);
      default:
        return false;
    }
  });
}

const hpaTypes = [
  "kubernetes_horizontal_pod_autoscaler_v2",
  "kubernetes_horizontal_pod_autoscaler_v2beta2",
  "kubernetes_horizontal_pod_autoscaler_v1",
  "kubernetes_horizontal_pod_autoscaler",
];
const pdbTypes = ["kubernetes_pod_disruption_budget_v1", "kubernetes_pod_disruption_budget"];

export const kubernetesStackRules: PolicyRule[] = [
  {
    id: "K8S-009",
    title: "Namespaces closed by default",
    message:
      "add a NetworkPolicy in the namespace with podSelector {} and policyTypes [Ingress, Egress] and no rules (PlatformNamespace does this), then allow flows explicitly",
    fix: { code: ["constructs/k8s/platform-namespace.ts"] },
    errorTiers: allTiers,
    resourceTypes: ["kubernetes_namespace_v1", "kubernetes_namespace", "kubernetes_manifest"],
    check: (ns, ctx) => {
      const name = createdNamespace(ns);
      if (name === undefined) return undefined;
      const denied = new Set(
        denyingPolicies(ctx)
          .filter((p) => refersTo(ctx, p.namespace, ns, [name]))
          .flatMap((p) => p.denied),
      );
      const open = ["Ingress", "Egress"].filter((d) => !denied.has(d));
      return open.length ? `no default-deny NetworkPolicy for ${open.join(" and ")} in namespace ${name}` : undefined;
    },
  },
  {
    id: "K8S-010",
    title: "Disruption budget for replicated workloads",
    message:
      "add a PodDisruptionBudget (maxUnavailable: 1) selecting the pods of every Deployment or StatefulSet with 2 or more replicas or an autoscaler",
    fix: { code: [] },
    errorTiers: protectedTiers,
    resourceTypes: ["kubernetes_manifest"],
    check: (r, ctx) => {
      const m = r.attrs.manifest;
      if (m?.kind !== "Deployment" && m?.kind !== "StatefulSet") return undefined;
      const ns = namespaceName(ctx, m.metadata?.namespace);
      const replicas = typeof m.spec?.replicas === "number" ? m.spec.replicas : 1;
      const autoscaled = objectsOf(ctx, hpaTypes, "HorizontalPodAutoscaler").some((h) => {
        const target = field(h.spec, "scale_target_ref", "scaleTargetRef");
        return (
          namespaceName(ctx, h.namespace) === ns &&
          block(target)?.kind === m.kind &&
          block(target)?.name === m.metadata?.name
        );
      });
      if (replicas < 2 && !autoscaled) return undefined;
      const labels: Record<string, string> = m.spec?.template?.metadata?.labels ?? {};
      const budgeted = objectsOf(ctx, pdbTypes, "PodDisruptionBudget").some(
        (p) => namespaceName(ctx, p.namespace) === ns && selects(block(p.spec.selector), labels),
      );
      return budgeted
        ? undefined
        : `${autoscaled ? "autoscaled" : `${replicas} replicas`} and no PodDisruptionBudget selects its pods`;
    },
  },
];
