// `npm run test:live [-- dev validate moto scan]`: the live tier. Real engines on loopback only,
// bounded in time, and everything it started or wrote is removed on exit, pass or fail.
// Writes .live-results.json (passed, failed) for .ci/run's closing line, and dev's phase timings
// for `npm run bench`.
import { cli } from "../lib/cli";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { enginePaths, missingEngines, projectRoot, type EnginePaths } from "../engines/paths";
import { referenceDir } from "../lib/reference-dir";
import { environmentInputs, loadOrThrow } from "../../config";
import { synthesize } from "../run-synth";
import { liveDev } from "./dev";
import { liveMoto } from "./moto";
import { liveScan } from "./scan";
import { liveValidate } from "./validate";
import { synthBootstrap } from "../bootstrap";
import { killAll } from "./processes";
import { printCheck, type Check, type LiveResults, type LivePhases } from "./report";

const phases = ["dev", "validate", "moto", "scan"] as const;
type Phase = (typeof phases)[number];

/** What each phase runs, so that a phase whose engines are missing says so instead of failing late. */
function needs(paths: EnginePaths, phase: Phase): string[] {
  const providers = (types: string[]) => types.map((type) => paths.providers[type]!);
  if (phase === "dev")
    return [
      paths.kine,
      paths.kubeApiserver,
      paths.kubeControllerManager,
      paths.kubeScheduler,
      paths.kwok,
      paths.helm,
      ...providers(["kubernetes", "helm"]),
    ];
  if (phase === "validate") return providers(["aws", "kubernetes", "helm"]);
  if (phase === "moto") return [paths.motoServer, ...providers(["aws"])];
  return [paths.checkov, paths.trivy];
}

async function main(): Promise<number> {
  const asked = cli(process.argv.slice(2), {
    name: "test:live",
    usage: `usage: npm run test:live [-- <phase>...]\n  runs the live tier on 127.0.0.1 with the engines of npm run engines; phases: ${phases.join(", ")} (default: all)`,
    maxPositionals: phases.length,
  }).positionals as Phase[];
  const unknown = asked.filter((phase) => !phases.includes(phase));
  if (unknown.length) {
    console.error(`unknown phase ${unknown.join(", ")}: choose from ${phases.join(", ")}`);
    return 2;
  }
  const run = asked.length ? asked : [...phases];
  const paths = enginePaths();
  const sharedDir = referenceDir();
  const workdir = mkdtempSync(join(tmpdir(), "odp-live-"));
  const checks: Check[] = [];
  const summaries: string[] = [];
  let devPhases: LivePhases | undefined;
  const cleanup = () => {
    killAll();
    if (process.env.ODP_LIVE_KEEP) console.log(`live: kept ${workdir}`);
    else rmSync(workdir, { recursive: true, force: true });
  };
  process.once("SIGINT", () => process.exit(130));
  process.once("SIGTERM", () => process.exit(143));
  process.once("exit", cleanup);
  const deadline = setTimeout(() => {
    console.error("live: the tier ran past its 50-minute bound; stopping");
    process.exit(124);
  }, 50 * 60_000);
  // Every stack of every environment as the user configured them, synthesized once.
  const all = join(workdir, "all");
  let stacks: string[] | undefined;
  const synthAll = () => {
    if (stacks) return stacks;
    const result = synthesize(environmentInputs, all);
    if (!result.ok) throw new Error(`synthesis failed:\n${result.lines.join("\n")}`);
    return (stacks = result.stacks);
  };
  const foundations = () => synthAll().filter((stack) => stack.endsWith("-foundation"));
  try {
    for (const phase of run) {
      const start = checks.length;
      try {
        const missing = missingEngines(needs(paths, phase));
        if (missing) throw new Error(missing);
        if (phase === "dev")
          summaries.push(await liveDev(paths, sharedDir, workdir, checks, (reported) => (devPhases = reported)));
        if (phase === "validate") {
          summaries.push(await liveValidate(paths, all, synthAll(), workdir, checks));
          // The bootstrap stacks (npm run bootstrap) are a separate app: validated the same way.
          const boot = synthBootstrap(environmentInputs, join(workdir, "bootstrap"));
          if (!boot.ok) throw new Error(`bootstrap synthesis failed:\n${boot.errors.join("\n")}`);
          summaries.push(await liveValidate(paths, join(workdir, "bootstrap"), boot.stacks, workdir, checks));
        }
        if (phase === "moto") summaries.push(await liveMoto(paths, all, foundations(), workdir, checks));
        if (phase === "scan")
          summaries.push(liveScan(paths, all, synthAll(), loadOrThrow(environmentInputs), workdir, checks));
      } catch (error) {
        checks.push({ name: `${phase}: runs to the end`, ok: false, detail: (error as Error).stack ?? String(error) });
      }
      for (const check of checks.slice(start)) printCheck(check);
    }
  } finally {
    clearTimeout(deadline);
  }
  const passed = checks.filter((check) => check.ok).length;
  const failed = checks.length - passed;
  const results: LiveResults = { passed, failed, ...(devPhases ? { dev: devPhases } : {}) };
  writeFileSync(join(projectRoot, ".live-results.json"), JSON.stringify(results) + "\n");
  for (const summary of summaries) console.log(summary);
  console.log(`live: ${passed} passed, ${failed} failed`);
  return failed ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (error: Error) => {
    console.error(`live: ${error.message}`);
    writeFileSync(join(projectRoot, ".live-results.json"), JSON.stringify({ passed: 0, failed: 1 }) + "\n");
    process.exit(1);
  },
);
