// How a JVM workload's container memory splits into heap, direct memory and the JVM's own reserve:
// one formula for the configuration's checks (config/schema.ts) and the Dremio pods' settings.

/** Direct memory a JVM needs at the least, in MiB. */
export const minDirectMiB = 1024;

/** Heap, reserve and direct memory (MiB) for a container of `totalGiB`: what is left after the heap,
 *  minus a reserve for the JVM's own memory (metaspace, threads, code cache: 5%, at least 1 GiB).
 *  `directMiB` may be below `minDirectMiB` (or negative): callers decide how to refuse it. */
export function jvmMemorySplit(
  totalGiB: number,
  heapGiB: number,
): { heapMiB: number; reserveMiB: number; directMiB: number } {
  const total = totalGiB * 1024;
  const heapMiB = heapGiB * 1024;
  const reserveMiB = Math.max(1024, Math.floor(total * 0.05));
  return { heapMiB, reserveMiB, directMiB: total - heapMiB - reserveMiB };
}
