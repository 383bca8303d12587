// The command behind every generated file (runbooks, CI workflows, address map, list of
// environment files): parse `[--check]`, build the files, then write the ones that changed, or with
// --check write nothing and exit 1 naming the stale ones.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { environmentInputs, loadEnvironments, type EnvironmentConfig } from "../../config";
import { parseCli } from "./cli";

export interface GeneratedCommand {
  /** npm script name, for the usage and the hint. */
  readonly name: string;
  readonly usage: string;
  /** The files by path relative to the project root; a string is an error to print. */
  readonly files: (envs: readonly EnvironmentConfig[]) => Record<string, string> | string;
}

export function runGenerated(
  cmd: GeneratedCommand,
  args: readonly string[],
  root: string,
  raw: Record<string, unknown> = environmentInputs,
): number {
  const parsed = parseCli(args, { name: cmd.name, usage: cmd.usage, flags: ["--check"] });
  if ("exit" in parsed) {
    (parsed.exit === 0 ? console.log : console.error)(parsed.out);
    return parsed.exit;
  }
  const loaded = loadEnvironments(raw);
  if (!loaded.ok) {
    for (const error of loaded.errors) console.error(error);
    return 1;
  }
  const files = cmd.files(loaded.environments);
  if (typeof files === "string") {
    console.error(files);
    return 1;
  }
  let drift = 0;
  for (const [path, text] of Object.entries(files)) {
    const file = join(root, path);
    if (existsSync(file) && readFileSync(file, "utf8") === text) continue;
    if (parsed.flags.has("--check")) {
      console.error(`${path} is not what the configuration gives: run npm run ${cmd.name}`);
      drift++;
      continue;
    }
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, text);
    console.log(`wrote ${path}`);
  }
  return drift ? 1 : 0;
}
