// One directory per run for the shared synthesized variants (test/shared/store.ts): test files
// read each variant (and the committed `npm run synth` output) from it, made once by the first
// worker that needs it.
import { mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { TestProject } from "vitest/node";

declare module "vitest" {
  export interface ProvidedContext {
    /** Where the shared variants are written. */
    synthDir: string;
  }
}

export default function setup(project: TestProject): () => void {
  const dir = mkdtempSync(join(tmpdir(), "odp-synth-"));
  project.provide("synthDir", dir);
  // In watch mode the code may have changed since: the next run synthesizes afresh.
  project.onTestsRerun(() => {
    for (const f of readdirSync(dir)) rmSync(join(dir, f), { recursive: true, force: true });
  });
  return () => rmSync(dir, { recursive: true, force: true });
}
