// "Did you mean ...?" for configuration errors: the nearest known name by edit distance.
// Written by hand (a dozen lines) rather than adding a package for it.

/** Edits (insert, delete, substitute, swap two neighbours) that turn `source` into `target`: the optimal
 *  string alignment distance, so the transposition in `us-esat-1` counts once. */
export function editDistance(source: string, target: string): number {
  const distances: number[][] = Array.from({ length: source.length + 1 }, (_, i) => [
    i,
    ...Array<number>(target.length).fill(0),
  ]);
  for (let j = 1; j <= target.length; j++) distances[0]![j] = j;
  for (let i = 1; i <= source.length; i++) {
    for (let j = 1; j <= target.length; j++) {
      const cost = source[i - 1] === target[j - 1] ? 0 : 1;
      let best = Math.min(distances[i - 1]![j]! + 1, distances[i]![j - 1]! + 1, distances[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && source[i - 1] === target[j - 2] && source[i - 2] === target[j - 1])
        best = Math.min(best, distances[i - 2]![j - 2]! + 1);
      distances[i]![j] = best;
    }
  }
  return distances[source.length]![target.length]!;
}

/** The known name nearest to `given`, if it is near enough to be a likely typo (at most a third
 *  of its length, and at least 2, edits away; case is ignored); ties go to the earlier name. */
export function nearest(given: string, known: readonly string[]): string | undefined {
  const lowered = given.toLowerCase();
  const limit = Math.max(2, Math.floor(lowered.length / 3));
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const k of known) {
    const distance = editDistance(lowered, k.toLowerCase());
    if (distance < bestDistance) [best, bestDistance] = [k, distance];
  }
  return bestDistance <= limit ? best : undefined;
}

/** The nearest instance type or class (`m7i.2xlarge`, `db.r6g.xlarge`): the nearest family first,
 *  then the nearest size that family comes in, so that `db.r9z.mega` still gets an answer. */
export function nearestInstanceType(given: string, known: readonly string[]): string | undefined {
  const split = (typeName: string) => {
    const i = typeName.lastIndexOf(".");
    return i < 0 ? [typeName, ""] : [typeName.slice(0, i), typeName.slice(i + 1)];
  };
  const [family, size] = split(given.toLowerCase());
  const families = [...new Set(known.map((k) => split(k)[0]!))];
  const limit = family!.length >= 3 ? Math.max(2, Math.floor(family!.length / 2)) : 1;
  const ranked = families
    .map((candidate) => ({
      f: candidate,
      d: editDistance(family!, candidate),
      len: Math.abs(candidate.length - family!.length),
    }))
    .sort((left, right) => left.d - right.d || left.len - right.len);
  const best = ranked[0];
  if (!best || best.d > limit) return nearest(given, known);
  const sizes = known.filter((k) => split(k)[0] === best.f).map((k) => split(k)[1]!);
  let pick = sizes[0]!;
  for (const candidate of sizes) if (editDistance(size!, candidate) < editDistance(size!, pick)) pick = candidate;
  return `${best.f}.${pick}`;
}
