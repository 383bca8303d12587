// Kubernetes resource quantities written the way the API server writes them back. A manifest
// that says "1024Mi" reads back as "1Gi", and the kubernetes provider then fails the apply with
// "inconsistent result after apply" (found by the live tier); so quantities are canonical here.

const binary = [
  ["Ei", 2n ** 60n],
  ["Pi", 2n ** 50n],
  ["Ti", 2n ** 40n],
  ["Gi", 2n ** 30n],
  ["Mi", 2n ** 20n],
  ["Ki", 2n ** 10n],
] as const;
const decimal = [
  ["E", 10n ** 18n],
  ["P", 10n ** 15n],
  ["T", 10n ** 12n],
  ["G", 10n ** 9n],
  ["M", 10n ** 6n],
  ["k", 10n ** 3n],
] as const;

/** A memory size in MiB, in its canonical form (1024 -> "1Gi", 1536 -> "1536Mi"). */
export function mebibytes(mib: number): string {
  if (!Number.isInteger(mib) || mib <= 0) throw new Error(`memory must be a positive whole number of MiB (got ${mib})`);
  return canonicalQuantity(`${mib}Mi`)!;
}

/** CPU in cores, canonical: whole cores as "2", fractions in millicores ("0.5" -> "500m"). */
export function cores(cpu: number): string {
  const milli = Math.round(cpu * 1000);
  if (milli <= 0) throw new Error(`cpu must be at least 1m (got ${cpu})`);
  return milli % 1000 === 0 ? String(milli / 1000) : `${milli}m`;
}

/**
 * The canonical form of a quantity with a whole number and an optional suffix, or undefined for a
 * form this does not judge (exponents, fractions with a binary suffix). The suffix family is kept,
 * as the API server keeps it: the largest suffix that leaves a whole number.
 */
export function canonicalQuantity(quantity: string): string | undefined {
  const match = /^(\d+)(?:\.(\d+))?(Ki|Mi|Gi|Ti|Pi|Ei|m|k|M|G|T|P|E)?$/.exec(quantity);
  if (!match) return undefined;
  const [, whole, fraction, suffix = ""] = match;
  if (suffix.endsWith("i")) {
    if (fraction) return undefined;
    const bytes = BigInt(whole!) * binary.find(([unitSuffix]) => unitSuffix === suffix)![1];
    if (bytes === 0n) return "0";
    const [largestSuffix, factor] = binary.find(([, unitFactor]) => bytes % unitFactor === 0n) ?? ["", 1n];
    return `${bytes / factor}${largestSuffix}`;
  }
  // Decimal: count in milli-units, then pick the largest suffix that leaves a whole number.
  const scale =
    suffix === "m" ? 1n : suffix === "" ? 1000n : decimal.find(([unitSuffix]) => unitSuffix === suffix)![1] * 1000n;
  const digits = (fraction ?? "").replace(/0+$/, "");
  let milli = BigInt(whole! + digits) * scale;
  if (milli % 10n ** BigInt(digits.length) !== 0n) return undefined;
  milli /= 10n ** BigInt(digits.length);
  if (milli === 0n) return "0";
  if (milli % 1000n !== 0n) return `${milli}m`;
  const units = milli / 1000n;
  const [largestSuffix, factor] = decimal.find(([, unitFactor]) => units % unitFactor === 0n) ?? ["", 1n];
  return `${units / factor}${largestSuffix}`;
}
