// Shared test helpers: synthesize stacks and constructs in memory and query the resulting JSON.
import { Testing, TerraformStack, type App } from "cdktf";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import type { Construct } from "constructs";
import { environmentInputs, loadOrThrow, type EnvironmentConfig } from "../config";
import { buildStacks } from "../stacks";

export type Synthesized = {
  resource?: Record<string, Record<string, Record<string, unknown>>>;
  data?: Record<string, Record<string, Record<string, unknown>>>;
  output?: Record<string, { value: unknown; sensitive?: boolean }>;
  provider?: Record<string, Record<string, unknown>[]>;
  terraform?: Record<string, unknown>;
  ephemeral?: Record<string, Record<string, Record<string, unknown>>>;
};

export function environments(raw: Record<string, unknown> = environmentInputs): EnvironmentConfig[] {
  return loadOrThrow(raw);
}

/** Builds every stack of the given environments in a test app. */
export function buildApp(raw: Record<string, unknown> = environmentInputs): App {
  const app = Testing.app();
  buildStacks(app, environments(raw));
  return app;
}

export function stacksOf(app: App): TerraformStack[] {
  return app.node.children.filter((c): c is TerraformStack => c instanceof TerraformStack);
}

let cache: Map<string, Synthesized> | undefined;
/** Every stack of the committed configuration, synthesized once per test file. */
export function synthAll(): Map<string, Synthesized> {
  if (!cache) {
    cache = new Map(stacksOf(buildApp()).map((s) => [s.node.id, JSON.parse(Testing.synth(s)) as Synthesized]));
  }
  return cache;
}

export function synthStack(id: string, raw?: Record<string, unknown>): Synthesized {
  if (!raw) {
    const s = synthAll().get(id);
    if (!s) throw new Error(`no stack ${id}`);
    return s;
  }
  const stack = stacksOf(buildApp(raw)).find((s) => s.node.id === id);
  if (!stack) throw new Error(`no stack ${id}`);
  return JSON.parse(Testing.synth(stack)) as Synthesized;
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

export function resources<T = Record<string, any>>(s: Synthesized, type: string): T[] {
  return Object.values(s.resource?.[type] ?? {}) as T[];
}

export function resourceMap<T = Record<string, any>>(s: Synthesized, type: string): Record<string, T> {
  return (s.resource?.[type] ?? {}) as Record<string, T>;
}

export function one<T = Record<string, any>>(s: Synthesized, type: string): T {
  const all = resources<T>(s, type);
  if (all.length !== 1) throw new Error(`expected one ${type}, found ${all.length}`);
  return all[0]!;
}

/** A deep copy of the committed environment inputs, for tests that break one field. */
export function inputs(): Record<string, any> {
  return structuredClone(environmentInputs) as Record<string, any>;
}
