// Synthesized variants (test/shared/variants.ts) as JSON files in the run's directory
// (test/global-setup.ts): the first test worker that needs a variant synthesizes and writes it,
// every other test file reads it (test/helpers.ts). A run that needs none synthesizes none. The
// same for the committed configuration's `npm run synth` output.
import { closeSync, existsSync, openSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { allRules, type StackReport } from "../../policy";
import { synthesizeAllOrThrow, type SynthesizedStack } from "../../scripts/lib/synthesized";
import { synthesize, type SynthResult } from "../../scripts/run-synth";
import { variants, type Variant } from "./variants";

/** A policy report as JSON: rules by id, addresses as a list. */
type StoredReport = Omit<StackReport, "results" | "addresses"> & {
  results: (Omit<StackReport["results"][number], "rule"> & { rule: string })[];
  addresses?: string[];
};
type StoredStack = Omit<SynthesizedStack, "policy"> & { policy: StoredReport };

const file = (dir: string, variant: Variant) => join(dir, `${variant}.json`);

function store(stack: SynthesizedStack): StoredStack {
  const { results, addresses, ...rest } = stack.policy;
  return {
    ...stack,
    policy: {
      ...rest,
      results: results.map((result) => ({ ...result, rule: result.rule.id })),
      ...(addresses ? { addresses: [...addresses] } : {}),
    },
  };
}

function restore(stored: StoredStack): SynthesizedStack {
  const { results, addresses, ...rest } = stored.policy;
  const rule = (id: string) => {
    const found = allRules.find((policyRule) => policyRule.id === id);
    if (!found) throw new Error(`stored report names an unknown rule ${id}`);
    return found;
  };
  return {
    ...stored,
    policy: {
      ...rest,
      results: results.map((result) => ({ ...result, rule: rule(result.rule) })),
      ...(addresses ? { addresses: new Set(addresses) } : {}),
    },
  };
}

/** Synthesizes a variant in memory, as scripts/lib/synthesized.ts does for `npm run policy`. */
export function synthesizeVariant(variant: Variant): SynthesizedStack[] {
  return synthesizeAllOrThrow(variants[variant]);
}

function readVariant(dir: string, variant: Variant): SynthesizedStack[] {
  return (JSON.parse(readFileSync(file(dir, variant), "utf8")) as StoredStack[]).map(restore);
}

const sleep = (ms: number) => Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);

/**
 * Makes `path` once per run: whoever takes its lock file runs `make` (which writes `path` itself,
 * atomically); a worker that finds the lock taken waits for `path`. A failed `make` leaves no
 * `path`, so the next one to ask tries again and reports the same error.
 */
function once(path: string, make: () => void): string {
  const lock = `${path}.lock`;
  const deadline = Date.now() + 180_000;
  while (!existsSync(path)) {
    let fd: number | undefined;
    try {
      fd = openSync(lock, "wx");
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
    }
    if (fd !== undefined) {
      closeSync(fd);
      try {
        make();
      } finally {
        rmSync(lock, { force: true });
      }
    } else {
      if (Date.now() > deadline) throw new Error(`waited 3 minutes for another test worker to make ${path}`);
      sleep(50);
    }
  }
  return path;
}

/** A variant's stacks, synthesized once per run by the first worker that asks. */
export function sharedVariant(dir: string, variant: Variant): SynthesizedStack[] {
  const json = file(dir, variant);
  once(json, () => {
    writeFileSync(`${json}.tmp`, JSON.stringify(synthesizeVariant(variant).map(store)));
    renameSync(`${json}.tmp`, json);
  });
  return readVariant(dir, variant);
}

/** What `npm run synth` printed for the committed configuration, and where it wrote. */
export interface SynthOutput {
  outdir: string;
  result: SynthResult;
}

/** The committed configuration as `npm run synth` writes it (scripts/run-synth.ts), once per run. */
export function sharedSynthOutput(dir: string): SynthOutput {
  const outdir = join(dir, "cdktf.out");
  const summary = `${outdir}.json`;
  once(summary, () => {
    const result = synthesize(variants.committed, outdir);
    writeFileSync(`${summary}.tmp`, JSON.stringify(result));
    renameSync(`${summary}.tmp`, summary);
  });
  return { outdir, result: JSON.parse(readFileSync(summary, "utf8")) as SynthResult };
}
