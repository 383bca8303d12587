// One directory per run, removed when the run ends: the shared synthesized variants
// (test/shared/store.ts) go in it, and so does every temporary directory a test or cdktf's
// Testing.app() makes, because the workers inherit TMPDIR pointing inside it.
import { mkdirSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
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
  const root = mkdtempSync(join(tmpdir(), "odp-test-"));
  const dir = join(root, "synth");
  const scratch = join(root, "tmp");
  mkdirSync(dir);
  mkdirSync(scratch);
  const previous = process.env.TMPDIR;
  process.env.TMPDIR = scratch;
  project.provide("synthDir", dir);
  // In watch mode the code may have changed since: the next run synthesizes afresh.
  project.onTestsRerun(() => {
    for (const name of readdirSync(dir)) rmSync(join(dir, name), { recursive: true, force: true });
  });
  return () => {
    if (previous === undefined) delete process.env.TMPDIR;
    else process.env.TMPDIR = previous;
    rmSync(root, { recursive: true, force: true });
  };
}
