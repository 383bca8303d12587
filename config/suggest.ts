// "Did you mean ...?" for configuration errors: the nearest known name by edit distance.
// Written by hand (a dozen lines) rather than adding a package for it.

/** Edits (insert, delete, substitute, swap two neighbours) that turn `a` into `b`: the optimal
 *  string alignment distance, so the transposition in `us-esat-1` counts once. */
export function editDistance(a: string, b: string): number {
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) => [i, ...Array<number>(b.length).fill(0)]);
  for (let j = 1; j <= b.length; j++) d[0]![j] = j;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let best = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1])
        best = Math.min(best, d[i - 2]![j - 2]! + 1);
      d[i]![j] = best;
    }
  }
  return d[a.length]![b.length]!;
}

/** The known name nearest to `given`, if it is near enough to be a likely typo (at most a third
 *  of its length, and at least 2, edits away; case is ignored); ties go to the earlier name. */
export function nearest(given: string, known: readonly string[]): string | undefined {
  const g = given.toLowerCase();
  const limit = Math.max(2, Math.floor(g.length / 3));
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const k of known) {
    const d = editDistance(g, k.toLowerCase());
    if (d < bestDistance) [best, bestDistance] = [k, d];
  }
  return bestDistance <= limit ? best : undefined;
}

/** The nearest instance type or class (`m7i.2xlarge`, `db.r6g.xlarge`): the nearest family first,
 *  then the nearest size that family comes in, so that `db.r9z.mega` still gets an answer. */
export function nearestInstanceType(given: string, known: readonly string[]): string | undefined {
  const split = (t: string) => {
    const i = t.lastIndexOf(".");
    return i < 0 ? [t, ""] : [t.slice(0, i), t.slice(i + 1)];
  };
  const [family, size] = split(given.toLowerCase());
  const families = [...new Set(known.map((k) => split(k)[0]!))];
  const limit = family!.length >= 3 ? Math.max(2, Math.floor(family!.length / 2)) : 1;
  const ranked = families
    .map((f) => ({ f, d: editDistance(family!, f), len: Math.abs(f.length - family!.length) }))
    .sort((a, b) => a.d - b.d || a.len - b.len);
  const best = ranked[0];
  if (!best || best.d > limit) return nearest(given, known);
  const sizes = known.filter((k) => split(k)[0] === best.f).map((k) => split(k)[1]!);
  let pick = sizes[0]!;
  for (const s of sizes) if (editDistance(size!, s) < editDistance(size!, pick)) pick = s;
  return `${best.f}.${pick}`;
}
