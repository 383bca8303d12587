// The shape of a policy rule: a pure check over one resource's synthesized attributes.
import { tiers, type Tier } from "../config/schema";

/** One resource as the policy sees it: its Terraform type, address and snake_case attributes. */
export interface PolicyResource {
  type: string;
  /** `<type>.<logical id>`, as in the synthesized JSON and in Terraform plans. */
  address: string;
  /** Attributes as written to the stack's JSON: snake_case keys, references resolved to Terraform
   *  expressions such as `${aws_s3_bucket.x.id}` (cdktf's "//" metadata may be among them). */
  attrs: Record<string, any>;
}

/** What a rule may ask about the stack around the resource. */
export interface PolicyContext {
  tier: Tier;
  /** Resolves a token string (e.g. `bucket.id`) to Terraform text such as `${aws_s3_bucket.x.id}`. */
  resolve(value: unknown): unknown;
  /** Another resource of the same stack by address. */
  find(address: string): PolicyResource | undefined;
  /** Every resource of the stack with this Terraform type (for rules about the whole stack). */
  ofType(type: string): PolicyResource[];
  /** The resource a reference such as `${aws_s3_bucket.x.id}` (or its token) points at, in this stack. */
  referenced(value: unknown): PolicyResource | undefined;
}

/**
 * What decides the checked value, so a violation can say what to change. `config`: dotted paths of
 * the environment configuration (config/schema.ts; `<name>` stands for a key of a record, such as a
 * node group's name), which a test proves exist. `code`: no configuration key decides it (or not
 * alone): the code does, in the construct that declares the resource (found per violation) and in
 * the files listed here, relative to the project root.
 */
export type PolicyFix =
  | {
      readonly config: readonly string[];
      /** Whose configuration, when not the violating environment's own. */
      readonly of?: string;
      readonly code?: readonly string[];
    }
  | { readonly code: readonly string[] };

export interface PolicyRule {
  /** Stable id such as "S3-001"; waivers and reports name rules by it. */
  id: string;
  title: string;
  /** What to change to comply. */
  message: string;
  /** Where to change it: the configuration keys, or the code. */
  fix: PolicyFix;
  /** Tiers where a violation is an error; in the others it is a warning. */
  errorTiers: readonly Tier[];
  /** Terraform resource types the rule checks; "*" checks every resource. */
  resourceTypes: readonly string[];
  /** A description of the violation, or undefined when the resource complies. */
  check(resource: PolicyResource, ctx: PolicyContext): string | undefined;
}

export interface Waiver {
  rule: string;
  /** Resource address, `<type>.<logical id>`. */
  address: string;
  reason: string;
}

/** Every tier, as the schema declares them: a rule that is an error everywhere. */
export const allTiers: readonly Tier[] = tiers;

// Small helpers shared by the rules.

/** A nested block may synthesize as an object or a one-element list. */
export function block(value: unknown): Record<string, any> | undefined {
  if (Array.isArray(value)) return value[0] as Record<string, any> | undefined;
  return value && typeof value === "object" ? (value as Record<string, any>) : undefined;
}

export function blocks(value: unknown): Record<string, any>[] {
  if (Array.isArray(value)) return value as Record<string, any>[];
  return value && typeof value === "object" ? [value as Record<string, any>] : [];
}

/** Booleans may be written as true or "true" (some provider schemas type them as strings). */
export function isTrue(value: unknown): boolean {
  return value === true || value === "true";
}

export function isFalse(value: unknown): boolean {
  return value === false || value === "false";
}

export function asArray<T = unknown>(value: unknown): T[] {
  if (value === undefined || value === null) return [];
  return Array.isArray(value) ? (value as T[]) : [value as T];
}

/** Parses a JSON policy text; undefined when it is not literal JSON (a token or a data source). */
export function parseJson(value: unknown): any {
  if (typeof value === "object" && value !== null) return value;
  if (typeof value !== "string") return undefined;
  try {
    return JSON.parse(value);
  } catch {
    return undefined;
  }
}

/** True when a string contains an unresolved cdktf token or a Terraform interpolation. */
export function isUnresolved(value: unknown): boolean {
  return typeof value === "string" && (value.includes("${TfToken[") || value.includes("${"));
}
