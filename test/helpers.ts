// Shared test helpers: synthesize stacks and constructs in memory and query the resulting JSON.
import { Testing, TerraformStack, type App } from "cdktf";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import type { Construct } from "constructs";
import { inject } from "vitest";
import { loadOrThrow, type EnvironmentConfig } from "../config";
import { fixtureInputs } from "./fixtures/environments";
import { buildStacks } from "../stacks";
import type { StackReport } from "../policy";
import type { SynthesizedStack } from "../scripts/lib/synthesized";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { synthesize } from "../scripts/run-synth";
import { sharedSynthOutput, sharedVariant, synthesizeVariant, type SynthOutput } from "./shared/store";
import type { Variant } from "./shared/variants";

export type Synthesized = {
  resource?: Record<string, Record<string, Record<string, unknown>>>;
  data?: Record<string, Record<string, Record<string, unknown>>>;
  output?: Record<string, { value: unknown; sensitive?: boolean }>;
  provider?: Record<string, Record<string, unknown>[]>;
  terraform?: Record<string, unknown>;
  ephemeral?: Record<string, Record<string, Record<string, unknown>>>;
};

export function environments(raw: Record<string, unknown> = fixtureInputs): EnvironmentConfig[] {
  return loadOrThrow(raw);
}

/** Builds every stack of the given environments in a test app. */
export function buildApp(raw: Record<string, unknown> = fixtureInputs): App {
  const app = Testing.app();
  buildStacks(app, environments(raw));
  return app;
}

export function stacksOf(app: App): TerraformStack[] {
  return app.node.children.filter((child): child is TerraformStack => child instanceof TerraformStack);
}

const shared = new Map<Variant, SynthesizedStack[]>();
/**
 * The stacks of a shared variant, synthesized once per run into the run's directory
 * (test/shared/store.ts; in memory when a test runs without test/global-setup.ts). Frozen: test
 * files share them, so none may change them.
 */
export function sharedStacks(variant: Variant = "committed"): SynthesizedStack[] {
  let stacks = shared.get(variant);
  if (!stacks) {
    const dir = inject("synthDir");
    stacks = dir ? sharedVariant(dir, variant) : synthesizeVariant(variant);
    for (const stack of stacks) {
      deepFreeze(stack.json);
      deepFreeze(stack.dependencies);
      for (const result of stack.policy.results) deepFreeze(result.violations); // not r.rule: the rules' own objects
    }
    shared.set(variant, stacks);
  }
  return stacks;
}

/** Every stack of a shared variant (default: the committed configuration) by id. */
export function synthAll(variant: Variant = "committed"): Map<string, Synthesized> {
  return new Map(sharedStacks(variant).map((stack) => [stack.id, stack.json as Synthesized]));
}

/** The policy suite's report of every stack of a shared variant. */
export function sharedReports(variant: Variant = "committed"): StackReport[] {
  return sharedStacks(variant).map((stack) => stack.policy);
}

let synthOutput: SynthOutput | undefined;
/** The committed configuration as `npm run synth` writes it, once per run: read it, never write into it. */
export function committedSynthOutput(): SynthOutput {
  const dir = inject("synthDir");
  if (dir) return sharedSynthOutput(dir);
  if (!synthOutput) {
    const outdir = join(mkdtempSync(join(tmpdir(), "synth-")), "out");
    synthOutput = { outdir, result: synthesize(fixtureInputs, outdir) };
  }
  return synthOutput;
}

const built = new Map<string, Map<string, TerraformStack>>();
/** One stack of the committed configuration, or of another one (built once per configuration). */
export function synthStack(id: string, raw?: Record<string, unknown>): Synthesized {
  if (!raw) {
    const json = synthAll().get(id);
    if (!json) throw new Error(`no stack ${id}`);
    return json;
  }
  const key = JSON.stringify(raw);
  let stacks = built.get(key);
  if (!stacks) {
    stacks = new Map(stacksOf(buildApp(raw)).map((tfStack) => [tfStack.node.id, tfStack]));
    built.set(key, stacks);
  }
  const stack = stacks.get(id);
  if (!stack) throw new Error(`no stack ${id}`);
  return JSON.parse(Testing.synth(stack)) as Synthesized;
}

function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === "object" && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value)) deepFreeze(child);
  }
  return value;
}

/** Synthesizes one construct in a stack with an AWS provider. */
export function synthConstruct(build: (scope: Construct) => void): Synthesized {
  return JSON.parse(
    Testing.synthScope((scope) => {
      new AwsProvider(scope, "aws", { region: "eu-west-1" });
      build(scope);
    }),
  ) as Synthesized;
}

export function resources<T = Record<string, any>>(stack: Synthesized, type: string): T[] {
  return Object.values(stack.resource?.[type] ?? {}) as T[];
}

export function resourceMap<T = Record<string, any>>(stack: Synthesized, type: string): Record<string, T> {
  return (stack.resource?.[type] ?? {}) as Record<string, T>;
}

export function one<T = Record<string, any>>(stack: Synthesized, type: string): T {
  const all = resources<T>(stack, type);
  if (all.length !== 1) throw new Error(`expected one ${type}, found ${all.length}`);
  return all[0]!;
}

/** A deep copy of the committed environment inputs, for tests that break one field. */
export function inputs(): Record<string, any> {
  return structuredClone(fixtureInputs) as Record<string, any>;
}
