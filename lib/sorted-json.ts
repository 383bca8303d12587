// Stack JSON with every object's keys sorted, as cdktf writes it, but through the engine's native
// JSON.stringify: cdktf's pure-JavaScript stable stringifier took a tenth of synthesis time.
// Empty objects print as `{}` (cdktf printed them across two lines); the data is the same.

function sorted(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sorted);
  if (value === null || typeof value !== "object") return value;
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(value).sort()) out[key] = sorted((value as Record<string, unknown>)[key]);
  return out;
}

/** Deterministic, indented JSON: keys sorted at every level (integer-like keys first, as JSON orders them). */
export function sortedJson(value: unknown): string {
  return JSON.stringify(sorted(value), null, 2);
}
