// cdktf resolves a stack by walking every value through its generic token resolver, which builds
// a closure-laden context per key and runs several regular expressions per string: about half of
// synthesis time, although almost everything it walks is plain data (Helm values, manifests,
// policies). This walker copies plain data itself and hands every subtree that can hold a token
// to cdktf's own resolver, so the output is the same data (test/fast-resolve.test.ts compares
// both on every committed stack). Every object it returns has its keys in sorted order, the order
// the stack's JSON is written in, so writing it needs no second copy (lib/sorted-json.ts).
import { DefaultTokenResolver, StringConcat, Token, Tokenization } from "cdktf";
import { TerraformDynamicBlock } from "cdktf/lib/terraform-dynamic-block";
import { dependable, ref } from "cdktf/lib/tfExpression";
import { TokenMap } from "cdktf/lib/tokens/private/token-map";
import type { IConstruct } from "constructs";
import { sorted, sortKeys } from "./sorted-json";
import { noteResolvedText } from "./yaml-text";

const resolver = new DefaultTokenResolver(new StringConcat());

// cdktf's package index exports through getter functions: values used on every string are read once.
const { STRING_MAP_TOKEN_VALUE, ANY_MAP_TOKEN_VALUE, NUMBER_MAP_TOKEN_VALUE } = Token;

/** Encoded token numbers are doubles of magnitude ~1e289 and more; real values never come close. */
const TOKEN_NUMBER_FLOOR = 1e200;

/**
 * True when a string may carry a token: string, list and map tokens contain "TfToken[", encoded
 * numbers concatenated into a string print with an "e+" exponent, and the two map placeholders
 * make cdktf throw its own error.
 */
function mayHoldToken(s: string): boolean {
  return s.includes("TfToken[") || s.includes("e+") || s === STRING_MAP_TOKEN_VALUE || s === ANY_MAP_TOKEN_VALUE;
}

function isPlainNumber(n: number): boolean {
  return Number.isFinite(n) && Math.abs(n) < TOKEN_NUMBER_FLOOR && n !== NUMBER_MAP_TOKEN_VALUE;
}

/** False when a string or number cannot be a token, without cdktf's slower Token.isUnresolved(),
 *  which decides the rest. */
export function mayBeToken(v: string | number): boolean {
  return typeof v === "string" ? mayHoldToken(v) : !isPlainNumber(v);
}

/** cdktf's classes for references to resources and their attributes (not exported by themselves). */
const singleToken = /^\$\{TfToken\[(TOKEN\.\d+)\]\}$/;
const tokenOf = (s: string) => TokenMap.instance().lookupToken(singleToken.exec(s)![1]!);
const Reference = (ref("x") as object).constructor;
const Dependable = tokenOf(dependable({ fqn: "x" })).constructor;

/**
 * The resolved text of a string that is exactly one reference, as cdktf's resolver writes it
 * outside a cross-stack reference (this program has none: stacks/platform-stack.ts): an
 * attribute such as a bucket's id gives `${aws_s3_bucket.x.id}`, and an entry of depends_on gives
 * `aws_s3_bucket.x`. Undefined for anything else, which goes through cdktf's resolver. Most tokens
 * of a stack are such references.
 */
function plainReference(x: string, braces = true): string | undefined {
  const m = singleToken.exec(x);
  if (!m) return undefined;
  const token = TokenMap.instance().lookupToken(m[1]!) as { constructor: unknown; identifier?: unknown; crossStackIdentifier?: object; dependable?: { fqn?: unknown } };
  if (token.constructor === Dependable) return braces && typeof token.dependable?.fqn === "string" ? plainReference(token.dependable.fqn, false) : undefined;
  if (token.constructor !== Reference || typeof token.identifier !== "string" || Object.keys(token.crossStackIdentifier ?? {}).length > 0) return undefined;
  if (mayHoldToken(token.identifier) || token.identifier.includes("${")) return undefined;
  return braces ? `\${${token.identifier}}` : token.identifier;
}

const embeddedToken = /\$\{TfToken\[TOKEN\.\d+\]\}/g;

/**
 * The resolved text of a string with references inside (an ARN pattern, a JSON policy, Helm values
 * text), each written as cdktf writes it there: `arn:${aws_s3_bucket.x.arn}/*`. Undefined when the
 * string holds anything else that cdktf treats specially: another kind of token, an encoded number,
 * or literal `${` / `%{` text (cdktf drops a reference's braces inside an expression it opens).
 */
function embeddedReferences(x: string): string | undefined {
  let out = "";
  let last = 0;
  for (const m of x.matchAll(embeddedToken)) {
    const ref = plainReference(m[0]);
    if (ref === undefined) return undefined;
    out += x.slice(last, m.index) + ref;
    last = m.index + m[0].length;
  }
  if (last === 0) return undefined;
  out += x.slice(last);
  const literal = x.replace(embeddedToken, "");
  return mayHoldToken(literal) || literal.includes("${") || literal.includes("%{") ? undefined : out;
}

/** A list cdktf must expand itself: it holds an encoded list token or an encoded number. */
function isTokenList(x: unknown[]): boolean {
  for (const e of x) if ((typeof e === "string" && e.includes("#{TfToken[")) || (typeof e === "number" && !isPlainNumber(e))) return true;
  return false;
}

/**
 * Resolves values within one stack exactly as `Tokenization.resolve` with cdktf's default resolver
 * would (keys sorted). One resolver serves one synthesis of its stack: the same reference (a
 * namespace's name, a role's ARN) appears many times, and its resolved string is kept.
 */
export class StackResolver {
  private readonly strings = new Map<string, unknown>();

  constructor(private readonly scope: IConstruct) {}

  resolve(x: unknown): any {
    if (x === undefined || x === null || typeof x === "boolean") return x;
    if (typeof x === "string") return mayHoldToken(x) ? this.slowString(x) : x;
    if (typeof x === "number") return isPlainNumber(x) ? x : this.slow(x);
    if (typeof x !== "object") return this.slow(x); // functions and the like: cdktf reports them
    if (x instanceof Date) return x;
    if (Array.isArray(x)) return isTokenList(x) ? this.slow(x) : this.list(x);
    return this.object(x as Record<string, unknown>, false);
  }

  /**
   * A resource's attributes: cdktf first moves dynamic blocks found through plain objects (not
   * lists) under a `dynamic` key (util.processDynamicAttributes), then resolves; done in one walk.
   */
  attributes(attrs: Record<string, unknown>): Record<string, any> {
    return this.object(attrs, true);
  }

  private list(x: unknown[]): unknown[] {
    const out: unknown[] = [];
    for (const e of x) {
      const r = this.resolve(e);
      if (r !== undefined) out.push(r);
    }
    return out;
  }

  private object(o: Record<string, unknown>, dynamicScope: boolean): any {
    // Tokens, constructs (an error in cdktf) and maps with token keys go to cdktf whole. A plain
    // object can only look like either through its own keys, which the key pass below sees
    // (reading absent properties of every object was a tenth of resolving).
    const plain = Object.getPrototypeOf(o) === Object.prototype;
    if (!plain && (typeof o.resolve === "function" || (o._children !== undefined && o._metadata !== undefined))) return this.slow(o);
    const keys = Object.keys(o);
    // One pass over the keys: token keys, dynamic blocks, and the keys to write (cdktf drops
    // undefined values; generated attributes are mostly undefined).
    let n = 0;
    let constructKeys = 0;
    for (let i = 0; i < keys.length; i++) {
      const k = keys[i]!;
      if (mayHoldToken(k)) return this.slow(o);
      const v = o[k];
      if (v === undefined) continue;
      if (plain && (k === "resolve" ? typeof v === "function" : (k === "_children" || k === "_metadata") && ++constructKeys === 2)) return this.slow(o);
      if (dynamicScope && typeof v === "object" && v !== null && TerraformDynamicBlock.isTerraformDynamicBlock(v)) return this.object(this.withDynamicBlocks(o, Object.keys(o)), false);
      keys[n++] = k;
    }
    keys.length = n;
    sortKeys(keys);
    const out: Record<string, unknown> = {};
    for (const k of keys) {
      const v = o[k];
      const r = dynamicScope && v !== null && typeof v === "object" && (v as object).constructor === Object ? this.object(v as Record<string, unknown>, true) : this.resolve(v);
      if (r !== undefined) out[k] = r;
    }
    return out;
  }

  /** processDynamicAttributes' result for `o`. */
  private withDynamicBlocks(o: Record<string, unknown>, keys: string[]): Record<string, unknown> {
    const result: Record<string, any> = {};
    for (const k of keys) {
      const v = o[k];
      if (TerraformDynamicBlock.isTerraformDynamicBlock(v)) (result.dynamic ??= {})[k] = (v as TerraformDynamicBlock).toTerraformDynamicBlockJson();
      else result[k] = v !== null && typeof v === "object" && (v as object).constructor === Object ? this.withDynamicBlocks(v as Record<string, unknown>, Object.keys(v as object)) : v;
    }
    return result;
  }

  private slow(x: unknown): unknown {
    const r = Tokenization.resolve(x, { scope: this.scope, preparing: false, resolver });
    return r !== null && typeof r === "object" ? sorted(r) : r;
  }

  private slowString(x: string): unknown {
    if (this.strings.has(x)) return this.strings.get(x);
    const r = plainReference(x) ?? embeddedReferences(x) ?? this.slow(x);
    this.strings.set(x, r);
    if (typeof r === "string") noteResolvedText(x, r);
    return r;
  }
}
