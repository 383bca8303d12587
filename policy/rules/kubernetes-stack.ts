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
    .flatMap((type) => ctx.ofType(type))
    .map((resource) => ({
      namespace: block(resource.attrs.metadata)?.namespace,
      name: block(resource.attrs.metadata)?.name,
      spec: block(resource.attrs.spec) ?? {},
    }));
  const fromManifests = ctx
    .ofType("kubernetes_manifest")
    .map((resource) => resource.attrs.manifest)
    .filter((manifest) => manifest?.kind === kind)
    .map((manifest) => ({
      namespace: manifest.metadata?.namespace,
      name: manifest.metadata?.name,
      spec: manifest.spec ?? {},
    }));
  objects = [...fromTyped, ...fromManifests];
  byKind.set(kind, objects);
  return objects;
}

/** Either spelling of a field: snake_case (typed resources) or camelCase (manifests). */
const field = (object: Record<string, any> | undefined, snake: string, camel: string) =>
  object?.[snake] ?? object?.[camel];

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
      .map((networkPolicy) => ({ ...networkPolicy, denied: deniedDirections(networkPolicy.spec) }))
      .filter((networkPolicy) => networkPolicy.denied.length > 0);
    denying.set(ctx, list);
  }
  return list;
}

function createdNamespace(resource: PolicyResource): string | undefined {
  if (resource.type === "kubernetes_manifest")
    return resource.attrs.manifest?.kind === "Namespace" ? resource.attrs.manifest.metadata?.name : undefined;
  return block(resource.attrs.metadata)?.name;
}

// --- K8S-010 -------------------------------------------------------------------------------------

/** Does a label selector (typed or manifest spelling) select pods with these labels? */
function selects(selector: Record<string, any> | undefined, labels: Record<string, string>): boolean {
  if (!selector) return false;
  const matchLabels: Record<string, string> = field(selector, "match_labels", "matchLabels") ?? {};
  if (!Object.entries(matchLabels).every(([k, value]) => labels[k] === value)) return false;
  return blocks(field(selector, "match_expressions", "matchExpressions")).every((expression) => {
    const values = asArray<string>(expression.values);
    switch (expression.operator) {
      case "In":
        return values.includes(labels[expression.key]!);
      case "NotIn":
        return !values.includes(labels[expression.key]!);
      case "Exists":
        return expression.key in labels;
      case "DoesNotExist":
        return !(expression.key in labels);
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
          .filter((networkPolicy) => refersTo(ctx, networkPolicy.namespace, ns, [name]))
          .flatMap((networkPolicy) => networkPolicy.denied),
      );
      const open = ["Ingress", "Egress"].filter((direction) => !denied.has(direction));
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
    check: (resource, ctx) => {
      const manifest = resource.attrs.manifest;
      if (manifest?.kind !== "Deployment" && manifest?.kind !== "StatefulSet") return undefined;
      const ns = namespaceName(ctx, manifest.metadata?.namespace);
      const replicas = typeof manifest.spec?.replicas === "number" ? manifest.spec.replicas : 1;
      const autoscaled = objectsOf(ctx, hpaTypes, "HorizontalPodAutoscaler").some((autoscaler) => {
        const target = field(autoscaler.spec, "scale_target_ref", "scaleTargetRef");
        return (
          namespaceName(ctx, autoscaler.namespace) === ns &&
          block(target)?.kind === manifest.kind &&
          block(target)?.name === manifest.metadata?.name
        );
      });
      if (replicas < 2 && !autoscaled) return undefined;
      const labels: Record<string, string> = manifest.spec?.template?.metadata?.labels ?? {};
      const budgeted = objectsOf(ctx, pdbTypes, "PodDisruptionBudget").some(
        (budget) => namespaceName(ctx, budget.namespace) === ns && selects(block(budget.spec.selector), labels),
      );
      return budgeted
        ? undefined
        : `${autoscaled ? "autoscaled" : `${replicas} replicas`} and no PodDisruptionBudget selects its pods`;
    },
  },
];
