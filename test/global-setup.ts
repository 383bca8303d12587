// Synthesizes each shared variant (test/shared/variants.ts) once per run, before any test file:
// test files read the JSON (test/helpers.ts) instead of synthesizing the same stacks again.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { TestProject } from "vitest/node";
import { writeVariant } from "./shared/store";
import { variants, type Variant } from "./shared/variants";

declare module "vitest" {
  export interface ProvidedContext {
    /** Where the shared variants are written. */
    synthDir: string;
  }
}

export default function setup(project: TestProject): () => void {
  const dir = mkdtempSync(join(tmpdir(), "odp-synth-"));
  for (const variant of Object.keys(variants) as Variant[]) writeVariant(dir, variant);
  project.provide("synthDir", dir);
  return () => rmSync(dir, { recursive: true, force: true });
}
