// The live tier's validate phase: `terraform init` and `terraform validate` of every stack of every
// environment, with the real providers from the local mirror.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import type { EnginePaths } from "../engines/paths";
import type { Check } from "./report";
import { errorSummary, terraformEnv, tf, writeProviderOverride } from "./terraform";

export async function liveValidate(
  paths: EnginePaths,
  synthDir: string,
  stacks: string[],
  workdir: string,
  checks: Check[],
): Promise<string> {
  const env = terraformEnv(paths);
  const start = Date.now();
  let valid = 0;
  for (const stackId of stacks) {
    const dir = join(synthDir, "stacks", stackId);
    const stack = JSON.parse(readFileSync(join(dir, "cdk.tf.json"), "utf8")) as {
      terraform: { required_providers: Record<string, unknown> };
    };
    writeProviderOverride(dir, Object.keys(stack.terraform.required_providers));
    const log = join(workdir, `validate-${stackId}.log`);
    const init = await tf(dir, ["init", "-backend=false", "-input=false", "-no-color"], { env, log });
    const result = init.code === 0 ? await tf(dir, ["validate", "-no-color"], { env, log }) : init;
    const ok = result.code === 0;
    if (ok) valid++;
    checks.push({ name: `validate: ${stackId}`, ok, detail: ok ? undefined : errorSummary(result.output, 20) });
  }
  return `live: ${valid}/${stacks.length} stacks valid with the real providers in ${((Date.now() - start) / 1000).toFixed(0)} s`;
}
