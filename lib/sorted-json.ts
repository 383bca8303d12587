// Stack JSON with every object's keys sorted, as cdktf writes it, but through the engine's native
// JSON.stringify: cdktf's pure-JavaScript stable stringifier took a tenth of synthesis time.
// Empty objects print as `{}` (cdktf printed them across two lines); the data is the same.

/**
 * Sorts keys in place as Array.prototype.sort() would (UTF-16 code unit order). Objects mostly have
 * a handful of keys: an insertion sort allocates nothing, where the engine's sort allocates a work
 * array per call (a sixth of all memory allocated during synthesis).
 */
export function sortKeys(keys: string[]): string[] {
  if (keys.length > 24) return keys.sort();
  for (let i = 1; i < keys.length; i++) {
    const k = keys[i]!;
    let j = i - 1;
    while (j >= 0 && keys[j]! > k) {
      keys[j + 1] = keys[j]!;
      j--;
    }
    keys[j + 1] = k;
  }
  return keys;
}

/** A deep copy with every object's keys sorted. */
export function sorted(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sorted);
  if (value === null || typeof value !== "object") return value;
  const out: Record<string, unknown> = {};
  for (const key of sortKeys(Object.keys(value))) out[key] = sorted((value as Record<string, unknown>)[key]);
  return out;
}

/** Sorts only the objects in `unsorted` (and below them, only those in it): the rest are sorted already. */
function sortedWhere(value: unknown, unsorted: ReadonlySet<object>): unknown {
  if (value === null || typeof value !== "object" || !unsorted.has(value)) return value;
  if (Array.isArray(value)) return value.map((v) => sortedWhere(v, unsorted));
  const out: Record<string, unknown> = {};
  for (const key of sortKeys(Object.keys(value))) out[key] = sortedWhere((value as Record<string, unknown>)[key], unsorted);
  return out;
}

/**
 * Deterministic, indented JSON: keys sorted at every level (integer-like keys first, as JSON
 * orders them). With `unsorted`, every object outside that set must be sorted already, as
 * lib/fast-resolve.ts returns them, and every object in it must have its unsorted ancestors in it.
 */
export function sortedJson(value: unknown, unsorted?: ReadonlySet<object>): string {
  return JSON.stringify(unsorted ? sortedWhere(value, unsorted) : sorted(value), null, 2);
}
