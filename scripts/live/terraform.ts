// Runs Terraform in a synthesized stack's folder with the engines' CLI configuration: providers
// come from the local filesystem mirror only, never from a registry.
import { spawn } from "node:child_process";
import { appendFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { engines } from "../../config/engines";
import type { EnginePaths } from "../engines/paths";
import { track } from "./processes";

export interface TfResult {
  code: number;
  seconds: number;
  output: string;
}

export interface TfOptions {
  env?: NodeJS.ProcessEnv;
  log?: string;
  timeoutMs?: number;
}

/** Proxy settings that send anything not bound for loopback to a closed port: nothing the stacks,
 *  providers or scanners do may leave the machine. */
export const loopbackOnly = {
  HTTPS_PROXY: "http://127.0.0.1:9",
  HTTP_PROXY: "http://127.0.0.1:9",
  NO_PROXY: "127.0.0.1,localhost",
};

export function terraformEnv(paths: EnginePaths, extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  return {
    ...process.env,
    TF_CLI_CONFIG_FILE: paths.terraformrc,
    TF_IN_AUTOMATION: "1",
    TF_INPUT: "0",
    CHECKPOINT_DISABLE: "1",
    ...loopbackOnly,
    ...extra,
  };
}

export function tf(dir: string, args: string[], opts: TfOptions = {}): Promise<TfResult> {
  const start = Date.now();
  return new Promise((resolve) => {
    const proc = track(
      spawn("terraform", ["-chdir=" + dir, ...args], {
        env: opts.env,
        stdio: ["ignore", "pipe", "pipe"],
        detached: true,
      }),
      { group: true },
    );
    let output = "";
    const collect = (chunk: Buffer) => {
      const text = chunk.toString("utf8");
      output += text;
      if (opts.log) appendFileSync(opts.log, text);
    };
    proc.stdout.on("data", collect);
    proc.stderr.on("data", collect);
    const timer = setTimeout(() => proc.kill("SIGTERM"), opts.timeoutMs ?? 15 * 60_000);
    proc.on("close", (code) => {
      clearTimeout(timer);
      resolve({ code: code ?? 1, seconds: (Date.now() - start) / 1000, output });
    });
  });
}

/**
 * The stacks require the providers' release versions; the mirror holds the nearest commits the Go
 * module proxy serves (config/engines.ts). An override file in the test's copy of the stack asks
 * for those, so the synthesized output itself stays as users get it.
 */
export function writeProviderOverride(dir: string, providerTypes: readonly string[]): void {
  const required = Object.fromEntries(
    engines.providers
      .filter((provider) => providerTypes.includes(provider.type))
      .map((provider) => [provider.type, { source: `hashicorp/${provider.type}`, version: provider.mirrorVersion }]),
  );
  writeFileSync(
    join(dir, "live_providers_override.tf.json"),
    JSON.stringify({ terraform: { required_providers: required } }, null, 2),
  );
}

/** The last error lines of a Terraform run, for a failure message that names the resource. */
export function errorSummary(output: string, max = 12): string {
  const lines = output.split("\n").filter((line) => /Error|error:|with |on .* line/.test(line));
  return (lines.length ? lines : output.split("\n").slice(-max)).slice(0, max).join("\n");
}
