// cdktf resolves a stack by walking every value through its generic token resolver, which builds
// a closure-laden context per key and runs several regular expressions per string: about half of
// synthesis time, although almost everything it walks is plain data (Helm values, manifests,
// policies). This walker copies plain data itself and hands every subtree that can hold a token
// to cdktf's own resolver, so the output is the same (test/fast-resolve.test.ts compares both on
// every committed stack).
import { DefaultTokenResolver, StringConcat, Token, Tokenization } from "cdktf";
import type { IConstruct } from "constructs";

const resolver = new DefaultTokenResolver(new StringConcat());

/** Encoded token numbers are doubles of magnitude ~1e289 and more; real values never come close. */
const TOKEN_NUMBER_FLOOR = 1e200;

/**
 * True when a string may carry a token: string, list and map tokens contain "TfToken[", encoded
 * numbers concatenated into a string print with an "e+" exponent, and the two map placeholders
 * make cdktf throw its own error.
 */
function mayHoldToken(s: string): boolean {
  return s.includes("TfToken[") || s.includes("e+") || s === Token.STRING_MAP_TOKEN_VALUE || s === Token.ANY_MAP_TOKEN_VALUE;
}

function isPlainNumber(n: number): boolean {
  return Number.isFinite(n) && Math.abs(n) < TOKEN_NUMBER_FLOOR && n !== Token.NUMBER_MAP_TOKEN_VALUE;
}

/**
 * Resolves `obj` exactly as `Tokenization.resolve` with cdktf's default resolver would. `strings`
 * may carry resolved token strings from one call to the next within one stack's synthesis: the
 * same reference (a namespace's name, a role's ARN) appears many times, and resolving it is the
 * same each time.
 */
export function resolveFast(scope: IConstruct, obj: unknown, strings?: Map<string, unknown>): any {
  const slow = (x: unknown) => Tokenization.resolve(x, { scope, preparing: false, resolver });
  const slowString = (x: string) => {
    if (!strings) return slow(x);
    if (strings.has(x)) return strings.get(x);
    const r = slow(x);
    strings.set(x, r);
    return r;
  };
  const walk = (x: unknown): unknown => {
    if (x === undefined || x === null || typeof x === "boolean") return x;
    if (typeof x === "string") return mayHoldToken(x) ? slowString(x) : x;
    if (typeof x === "number") return isPlainNumber(x) ? x : slow(x);
    if (typeof x !== "object") return slow(x); // functions and the like: cdktf reports them
    if (x instanceof Date) return x;
    if (Array.isArray(x)) {
      // Lists encoded as tokens ("#{TfToken[...]}" or token numbers) are cdktf's to expand.
      if (x.some((e) => (typeof e === "string" && e.includes("#{TfToken[")) || (typeof e === "number" && !isPlainNumber(e)))) return slow(x);
      const out: unknown[] = [];
      for (const e of x) {
        const r = walk(e);
        if (r !== undefined) out.push(r);
      }
      return out;
    }
    const o = x as Record<string, unknown>;
    // Tokens, constructs (an error in cdktf) and maps with token keys go to cdktf whole.
    if (typeof o.resolve === "function" || (o._children !== undefined && o._metadata !== undefined)) return slow(x);
    const keys = Object.keys(o);
    if (keys.some(mayHoldToken)) return slow(x);
    const out: Record<string, unknown> = {};
    for (const k of keys) {
      const r = walk(o[k]);
      if (r !== undefined) out[k] = r;
    }
    return out;
  };
  return walk(obj);
}
