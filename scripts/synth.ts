// `npm run synth`: validates configuration, synthesizes every stack into a temporary directory and
// only then replaces cdktf.out, so a bad configuration or a failed synth never leaves partial output.
import { App } from "cdktf";
import { existsSync, mkdtempSync, renameSync, rmSync } from "node:fs";
import { resolve } from "node:path";
import { environmentInputs, loadEnvironments } from "../config";
import { buildStacks } from "../stacks";

const outdir = resolve(process.argv[2] ?? "cdktf.out");
const loaded = loadEnvironments(environmentInputs);
if (!loaded.ok) {
  for (const line of loaded.errors) console.error(line);
  process.exit(1);
}

const tmp = mkdtempSync(`${outdir}.tmp-`);
try {
  const app = new App({ outdir: tmp, skipValidation: false });
  buildStacks(app, loaded.environments);
  app.synth();
} catch (err) {
  rmSync(tmp, { recursive: true, force: true });
  console.error(`synth failed: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
}
if (existsSync(outdir)) rmSync(outdir, { recursive: true, force: true });
renameSync(tmp, outdir);
const stacks = loaded.environments.length;
console.log(`synthesized ${stacks} environments into ${outdir}`);
