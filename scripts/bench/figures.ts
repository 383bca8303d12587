// What the benchmark reads from files: resources per synthesized stack, and the live tier's
// phases as its last run recorded them (.live-results.json, written by `npm run test:live`).
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import type { LiveResults } from "../live/report";

export interface StackSize {
  stack: string;
  resources: number;
  dataSources: number;
}

/** Resources and data sources of every stack in a cdktf output directory, in manifest order. */
export function stackSizes(outdir: string): StackSize[] {
  const manifest = JSON.parse(readFileSync(join(outdir, "manifest.json"), "utf8")) as {
    stacks: Record<string, { synthesizedStackPath: string }>;
  };
  const count = (blocks: unknown) =>
    Object.values((blocks ?? {}) as Record<string, object>).reduce(
      (total, byName) => total + Object.keys(byName).length,
      0,
    );
  return Object.entries(manifest.stacks).map(([stack, entry]) => {
    const json = JSON.parse(readFileSync(join(outdir, entry.synthesizedStackPath), "utf8")) as {
      resource?: unknown;
      data?: unknown;
    };
    return { stack, resources: count(json.resource), dataSources: count(json.data) };
  });
}

export function liveResults(root: string): LiveResults | undefined {
  const file = join(root, ".live-results.json");
  return existsSync(file) ? (JSON.parse(readFileSync(file, "utf8")) as LiveResults) : undefined;
}
