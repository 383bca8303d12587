// Helpers for rules that look across the stack: does one resource's attribute point at another?
import { block, isUnresolved, type PolicyContext, type PolicyResource } from "../rule";

/** True when `value` is a reference to `target` (any of its attributes), or one of the literal
 *  spellings of it (a bucket name, an ARN) the caller lists. */
export function refersTo(
  ctx: PolicyContext,
  value: unknown,
  target: PolicyResource,
  literals: readonly unknown[] = [],
): boolean {
  if (value === undefined || value === null) return false;
  if (typeof value === "string" && !isUnresolved(value))
    return literals.some((literal) => literal !== undefined && literal === value);
  return ctx.referenced(value)?.address === target.address;
}

/** The other resources of these types in the stack (the check's own resource is never included). */
export function others(ctx: PolicyContext, types: readonly string[], self?: PolicyResource): PolicyResource[] {
  return types.flatMap((type) => ctx.ofType(type)).filter((resource) => resource.address !== self?.address);
}

const namespaceTypes = ["kubernetes_namespace_v1", "kubernetes_namespace"];

/** A Kubernetes namespace name as written: a literal, or a reference to a namespace resource of
 *  the stack (resolved to that resource's metadata.name). Undefined when it cannot be told. */
export function namespaceName(ctx: PolicyContext, value: unknown): string | undefined {
  if (typeof value === "string" && !isUnresolved(value)) return value;
  const ns = ctx.referenced(value);
  if (ns && namespaceTypes.includes(ns.type)) {
    const name = block(ns.attrs.metadata)?.name;
    return typeof name === "string" && !isUnresolved(name) ? name : undefined;
  }
  return undefined;
}
