// Each element's resolved Terraform, computed once per synthesis. The policy aspect reads every
// resource during synthesis, and the stack reads it again a moment later to write the JSON: the
// aspect's result is kept here until the stack takes it. Nothing changes a resource between the
// two (aspects run right before the stack is written; the policy rules only read), and a result is
// used once, so a later change to the resource is never hidden.
//
// A plain resource (no override, move, import, provisioner, count, for_each or connection: almost
// all of them) skips cdktf's toTerraform(), which deep-copies its attributes once more and
// snake-cases its meta-arguments with three regular expressions per key; its attributes are
// resolved in one walk (test/fast-resolve.test.ts: the same output as cdktf's for every element).
// A provider is written as cdktf's toTerraform() writes it, but with snake_case names remembered.
import { TerraformElement, TerraformProvider, TerraformResource, TerraformStack, Tokenization } from "cdktf";
import type { IConstruct } from "constructs";
import { deepMerge, processDynamicAttributes, snakeCase } from "cdktf/lib/util";
import { StackResolver } from "./fast-resolve";

const pending = new WeakMap<TerraformElement, Resolved>();
// cdktf's package index exports its classes through getter functions: read once, not per element.
const { isTerraformElement } = TerraformElement;
const { isStack } = TerraformStack;
const { isTerraformResource } = TerraformResource;
const resourceToTerraform = TerraformResource.prototype.toTerraform;
const { isTerraformProvider } = TerraformProvider;
const providerToTerraform = TerraformProvider.prototype.toTerraform;
const { isResolvable } = Tokenization;

/** The Terraform elements of a stack, in construct order, without those of stacks nested in it. */
export function elementsOf(node: IConstruct, into: TerraformElement[] = []): TerraformElement[] {
  if (isTerraformElement(node)) into.push(node);
  return elementsUnder(node, into);
}

function elementsUnder(node: IConstruct, into: TerraformElement[]): TerraformElement[] {
  for (const child of node.node.children) {
    if (isTerraformElement(child)) into.push(child);
    else if (isStack(child)) continue; // an element is never a stack: one test for most children
    elementsUnder(child, into);
  }
  return into;
}
const resolvers = new WeakMap<TerraformStack, StackResolver>();

/** The resolver of a stack's current synthesis (see endSynthesis). */
export function resolverOf(stack: TerraformStack): StackResolver {
  let r = resolvers.get(stack);
  if (!r) {
    r = new StackResolver(stack);
    resolvers.set(stack, r);
  }
  return r;
}

/** Forgets the stack's resolved strings: the next synthesis starts afresh. */
export function endSynthesis(stack: TerraformStack): void {
  resolvers.delete(stack);
}

/**
 * An element's resolved toTerraform(), keys sorted. A plain resource comes as its type, name and
 * attributes rather than as `{ resource: { [type]: { [name]: attributes } } }`: an object literal
 * with a computed key that is new each time gets a hidden class of its own, and building one per
 * resource was a twentieth of resolving it.
 */
export type Resolved = { type: string; name: string; attrs: Record<string, any> } | { tf: Record<string, any> };

/** The element's resolved Terraform, computed once until the stack takes it. */
export function peekResolved(element: TerraformElement, stack: TerraformStack = TerraformStack.of(element)): Resolved {
  let r = pending.get(element);
  if (r === undefined) {
    r = resolvedTerraform(element, stack);
    pending.set(element, r);
  }
  return r;
}

/** The element's resolved Terraform for writing the stack: the kept result if any (then forgotten). */
export function takeResolved(element: TerraformElement, stack: TerraformStack): Resolved {
  const r = pending.get(element);
  if (r === undefined) return resolvedTerraform(element, stack);
  pending.delete(element);
  return r;
}

/** The element's resolved toTerraform() document, as cdktf's own shape. */
export function resolvedDocument(r: Resolved): Record<string, any> {
  return "tf" in r ? r.tf : { resource: { [r.type]: { [r.name]: r.attrs } } };
}

function resolvedTerraform(element: TerraformElement, stack: TerraformStack): Resolved {
  const resolver = resolverOf(stack);
  if (isPlainResource(element)) return { type: element.terraformResourceType, name: element.friendlyUniqueId, attrs: plainResourceAttributes(element, resolver) };
  if (isTerraformProvider(element) && element.toTerraform === providerToTerraform) return { tf: resolver.resolve(providerTerraform(element)) };
  return { tf: resolver.resolve(element.toTerraform()) };
}

/** cdktf's TerraformProvider.toTerraform(), step for step, with snakeKeys for keysToSnakeCase. */
function providerTerraform(p: TerraformProvider): Record<string, any> {
  // Protected in cdktf's typings; read as its own toTerraform() does.
  const internals = p as unknown as { synthesizeAttributes(): Record<string, any>; rawOverrides: object; metaAttributes: object };
  return {
    terraform: {
      required_providers: {
        [p.terraformResourceType]: { version: p.terraformGeneratorMetadata?.providerVersion || p.terraformGeneratorMetadata?.providerVersionConstraint, source: p.terraformProviderSource },
      },
    },
    provider: { [p.terraformResourceType]: [deepMerge(snakeKeys(processDynamicAttributes(internals.synthesizeAttributes())), internals.rawOverrides, internals.metaAttributes)] },
  };
}

/** snake_case forms of the keys seen so far (see snakeKeys). */
const snakeNames: Record<string, string> = Object.create(null);

/**
 * cdktf's keysToSnakeCase (cdktf/lib/util), step for step, with each key's snake_case form
 * remembered: a provider's generated attributes are dozens of keys, and cdktf cases each with three
 * regular expressions on every synthesis.
 */
function snakeKeys(object: any): any {
  if (isResolvable(object)) return object;
  if (Array.isArray(object)) return object.map((e) => (typeof e === "object" ? snakeKeys(e) : e));
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(object)) {
    if (key === "tags" || key === "environment") {
      out[key] = object[key];
      continue;
    }
    let value = object[key];
    if (typeof value === "object") value = snakeKeys(value);
    if (Array.isArray(value)) value = value.map((e: unknown) => (typeof e === "object" ? snakeKeys(e) : e));
    out[(snakeNames[key] ??= snakeCase(key))] = value;
  }
  return out;
}

/** cdktf internals read to decide whether a resource is plain; absent fields mean "not used". */
interface ResourceInternals {
  _hasMoved?: boolean;
  _movedByTarget?: unknown;
  _movedById?: unknown;
  _imported?: unknown;
  rawOverrides: Record<string, unknown>;
}

function isPlainResource(e: TerraformElement): e is TerraformResource {
  if (!isTerraformResource(e) || e.toTerraform !== resourceToTerraform) return false;
  const r = e as TerraformResource;
  const internals = r as unknown as ResourceInternals;
  return (
    isEmpty(internals.rawOverrides) &&
    !internals._hasMoved &&
    internals._movedByTarget === undefined &&
    internals._movedById === undefined &&
    internals._imported === undefined &&
    !r.provisioners?.length &&
    r.count === undefined &&
    r.forEach === undefined &&
    r.connection === undefined
  );
}

/** True for an object without enumerable keys (no array of keys built to tell). */
export function isEmpty(o: object): boolean {
  for (const _ in o) return false;
  return true;
}

/** Meta-arguments a plain resource may have, with their snake_case names. */
const metaArguments = [
  ["dependsOn", "depends_on"],
  ["count", "count"],
  ["provider", "provider"],
  ["lifecycle", "lifecycle"],
  ["forEach", "for_each"],
  ["connection", "connection"],
] as const;

/** cdktf's toTerraform() attributes for a plain resource, resolved. */
function plainResourceAttributes(r: TerraformResource, resolver: StackResolver): Record<string, any> {
  // A new object on every call (generated code returns a literal): changed in place.
  const attributes: Record<string, any> = (r as unknown as { synthesizeAttributes(): Record<string, any> }).synthesizeAttributes();
  // deepMerge(attributes, keysToSnakeCase(meta), { provisioner: undefined }): an undefined value deletes.
  const meta = r.terraformMetaArguments as Record<(typeof metaArguments)[number][0], unknown>;
  for (const [key, name] of metaArguments) {
    const value = meta[key];
    if (value === undefined) delete attributes[name];
    else deepMerge(attributes, { [name]: value !== null && typeof value === "object" ? snakeKeys(value) : value });
  }
  delete attributes.provisioner;
  attributes["//"] = { ...(attributes["//"] ?? {}), ...(r as unknown as { constructNodeMetadata: Record<string, unknown> }).constructNodeMetadata };
  return resolver.attributes(attributes);
}
