// Configuration fuzzing: every generated configuration either synthesizes or is rejected with
// one line per problem naming the environment and the field; nothing throws.
// Reproduce a failure with FUZZ_SEED=<seed printed by fast-check>; FUZZ_RUNS sets the run count.
// The test files config-fuzz-<n>.test.ts run the same cases; each synthesizes every n-th distinct
// environment in the order the cases bring them, so the workers split the synthesis evenly.
import fc from "fast-check";
import { Testing } from "cdktf";
import { describe, expect, it, vi } from "vitest";
import { awsEnvironmentSchema, loadEnvironments, localEnvironmentSchema, type EnvironmentConfig } from "../../config";
import { buildStacks } from "../../stacks";
import { stackId } from "../../stacks/naming";
import { stacksOf } from "../helpers";
import { applyCase, fuzzCase, templates } from "./arbitraries";

const seed = Number(process.env.FUZZ_SEED ?? 20240605);
const numRuns = Number(process.env.FUZZ_RUNS ?? 1000);
// Weight of mostly valid cases against 40 for broken and 8 for random ones (test/fuzz/arbitraries.ts):
// about 15% of cases are valid: ~180 distinct environments to synthesize, about 0.17 s each.
const validWeight = Number(process.env.FUZZ_VALID_WEIGHT ?? 10);

/** The schema's top-level fields: the first segment of every path a message may start with. */
const fields = new Set([...Object.keys(awsEnvironmentSchema.shape), ...Object.keys(localEnvironmentSchema.shape)]);

function checkRejection(raw: Record<string, unknown>, errors: string[]): void {
  expect(errors.length).toBeGreaterThan(0);
  const keys = Object.keys(raw);
  for (const message of errors) {
    expect(typeof message).toBe("string");
    const key = keys.find((k) => message.startsWith(`config error in ${k}: `));
    expect(key, `names no environment key: ${message}`).toBeDefined();
    const rest = message.slice(`config error in ${key}: `.length);
    const path = rest.split(" ")[0]!;
    // A path is "(root)" when the environment itself is not an object, an unknown key's own name,
    // or a dotted path into the schema's fields.
    const named = path === "(root)" || / is not a known field\b/.test(rest) || fields.has(path.split(".")[0]!);
    expect(named, `names no field: ${message}`).toBe(true);
    expect(rest).not.toContain("\n");
    expect(message).not.toContain("    at ");
    expect(message).not.toContain("Error:");
    // zod's own English ("Invalid input", "Invalid key in record") says neither what nor why.
    expect(message).not.toMatch(/\bInvalid (input|key|element)\b/);
  }
}

/**
 * cdktf records an unbounded stack trace for every token it creates, shown only if that token fails
 * to resolve (this test fails then all the same, with cdktf's message). Without them an environment
 * builds about ten times faster, which lets this test synthesize ~180 of them. Only here: the
 * shared synthesis and every other test run cdktf untouched.
 */
function withoutTokenTraces<T>(fn: () => T): T {
  const traces = vi.spyOn(Error, "captureStackTrace").mockImplementation(() => undefined);
  try {
    return fn();
  } finally {
    traces.mockRestore();
  }
}

/** One shard's share: every distinct environment numbered as first seen, those synthesized. */
interface Share {
  shard: number;
  shards: number;
  seen: Map<string, number>;
  synthesized: Set<string>;
}

/** Builds and synthesizes each environment of the shard not seen before (a standby with its source), once. */
function synthesizeNew(envs: EnvironmentConfig[], share: Share): number {
  const byName = new Map(envs.map((env) => [env.name, env]));
  const sourceOf = (env: EnvironmentConfig) =>
    env.platform === "aws" && env.standbyOf ? byName.get(env.standbyOf) : undefined;
  const keyOf = (env: EnvironmentConfig) => JSON.stringify([env, sourceOf(env) ?? null]);
  for (const env of envs) if (!share.seen.has(keyOf(env))) share.seen.set(keyOf(env), share.seen.size);
  const synthesized = share.synthesized;
  const todo = envs.filter(
    (env) => !synthesized.has(keyOf(env)) && share.seen.get(keyOf(env))! % share.shards === share.shard,
  );
  if (todo.length === 0) return 0;
  const needed = new Set(todo.flatMap((env) => [env, sourceOf(env)]));
  const app = Testing.app();
  withoutTokenTraces(() =>
    buildStacks(
      app,
      envs.filter((env) => needed.has(env)),
    ),
  );
  const stacks = new Map(stacksOf(app).map((stack) => [stack.node.id, stack]));
  for (const env of todo) {
    const layers = env.platform === "aws" ? (["foundation", "addons", "apps"] as const) : (["addons", "apps"] as const);
    for (const layer of layers) {
      const stack = stacks.get(stackId(env, layer));
      expect(stack, `stack ${stackId(env, layer)}`).toBeDefined();
      const text = withoutTokenTraces(() => Testing.synth(stack!));
      // Text from configuration reaches Terraform as text, never as template syntax ("$${" escapes).
      const unescaped = text.replace(/\$\$\{|%%\{/g, "");
      for (const template of templates)
        expect(unescaped, `${stack!.node.id} passes ${template} to Terraform`).not.toContain(template);
      const json = JSON.parse(text) as Record<string, unknown>;
      expect(Object.keys(json.resource ?? {}).length, `${stack!.node.id} has resources`).toBeGreaterThan(0);
    }
    synthesized.add(keyOf(env));
  }
  return todo.length;
}

/** The fuzz test, synthesizing shard `shard` (from 0) of `shards`. */
export function describeFuzz(shard: number, shards: number): void {
  describe(`configuration fuzzing, environments ${shard + 1} of ${shards}`, () => {
    it(`${numRuns} generated configurations synthesize or are rejected cleanly (seed ${seed})`, () => {
      const share: Share = { shard, shards, seen: new Map(), synthesized: new Set() };
      const counts = { valid: 0, rejected: 0, synthesized: 0, errorLines: 0, synthMs: 0 };
      const started = Date.now();
      fc.assert(
        fc.property(fuzzCase(validWeight), (testCase) => {
          const raw = applyCase(testCase);
          const result = loadEnvironments(raw);
          if (!result.ok) {
            counts.rejected++;
            counts.errorLines += result.errors.length;
            checkRejection(raw, result.errors);
            return;
          }
          counts.valid++;
          expect(result.environments.map((env) => env.name)).toEqual(Object.keys(raw));
          const synthStart = Date.now();
          counts.synthesized += synthesizeNew(result.environments, share);
          counts.synthMs += Date.now() - synthStart;
        }),
        { seed, numRuns },
      );
      console.log(
        `config fuzz (seed ${seed}, shard ${shard + 1} of ${shards}): ${numRuns} runs, ${counts.valid} valid (${counts.synthesized} distinct environments synthesized ` +
          `in ${(counts.synthMs / 1000).toFixed(1)} s), ${counts.rejected} rejected with ${counts.errorLines} error lines, ` +
          `${((Date.now() - started) / 1000).toFixed(1)} s in all`,
      );
      // Both sides must really be exercised (not checked for a handful of runs reproducing a failure).
      if (numRuns >= 200) {
        expect(counts.valid).toBeGreaterThanOrEqual(numRuns * 0.02);
        expect(counts.synthesized).toBeGreaterThanOrEqual((numRuns * 0.02) / shards);
        expect(counts.rejected).toBeGreaterThanOrEqual(numRuns * 0.8);
      }
      // Generous beside the ~20 s a shard takes alone: the full suite shares the two cores.
    }, 240_000);
  });
}
