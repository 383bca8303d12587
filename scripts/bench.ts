// `npm run bench`: the figures users feel, measured as they run the commands. `npm run synth`
// (wall and peak memory), `npm test` (wall, median of three runs; target 60 s), resources per stack,
// and the live tier's phases from its last run on this machine. Prints figures; never fails a build.
// BENCH_SYNTH_RUNS and BENCH_TEST_RUNS set the run counts (0 skips); docs/performance.md has figures.
import { mkdtempSync, rmSync } from "node:fs";
import { cpus, loadavg, tmpdir, totalmem } from "node:os";
import { join } from "node:path";
import { liveResults, stackSizes } from "./bench/figures";
import { measure, median, type Measured } from "./bench/measure";
import { cli } from "./lib/cli";

cli(process.argv.slice(2), {
  name: "bench",
  usage:
    "usage: npm run bench\n  prints npm run synth (wall, peak memory), npm test (median of three), resources per stack and the live tier's phases\n  BENCH_SYNTH_RUNS and BENCH_TEST_RUNS set the run counts (0 skips)",
});

const root = join(__dirname, "..");
const synthRuns = Number(process.env.BENCH_SYNTH_RUNS ?? 3);
const testRuns = Number(process.env.BENCH_TEST_RUNS ?? 3);
const testTargetS = 60;
const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
const load = () => loadavg()[0]!.toFixed(1);

function failed(what: string, measured: Measured): never {
  console.error(`${what} failed (exit ${measured.status}):\n${measured.output.split("\n").slice(-30).join("\n")}`);
  process.exit(1);
}

console.log(
  `machine: ${cpus().length} x ${cpus()[0]?.model.trim()}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, node ${process.version}, ${process.platform}`,
);
console.log(`load average at start: ${load()} (a figure measured beside other work is slower)\n`);

const work = mkdtempSync(join(tmpdir(), "odp-bench-"));
try {
  if (synthRuns > 0) {
    const runs: Measured[] = [];
    for (let i = 0; i < synthRuns; i++) {
      const measured = measure("npm", ["run", "synth", "--", "--outdir", join(work, "out")], { cwd: root, peak: true });
      if (measured.status !== 0) failed("npm run synth", measured);
      runs.push(measured);
    }
    const walls = runs.map((run) => run.wallMs);
    console.log(
      `npm run synth (all stacks, ${synthRuns} runs): ${seconds(median(walls))} wall (median; ${walls.map(seconds).join(", ")}), ${Math.max(...runs.map((run) => run.peakMb)).toFixed(0)} MiB peak`,
    );
    console.log("\nresources per stack:");
    const sizes = stackSizes(join(work, "out"));
    for (const size of sizes)
      console.log(
        `  ${size.stack.padEnd(20)} ${String(size.resources).padStart(4)} resources  ${String(size.dataSources).padStart(3)} data sources`,
      );
    console.log(
      `  ${"total".padEnd(20)} ${String(sizes.reduce((total, size) => total + size.resources, 0)).padStart(4)} resources`,
    );
  }

  if (testRuns > 0) {
    const walls: number[] = [];
    console.log(`\nnpm test (${testRuns} runs, one after another):`);
    for (let i = 0; i < testRuns; i++) {
      const before = load();
      const measured = measure("npm", ["test"], { cwd: root });
      if (measured.status !== 0) failed("npm test", measured);
      walls.push(measured.wallMs);
      console.log(`  run ${i + 1}: ${seconds(measured.wallMs)} (load average before: ${before})`);
    }
    const mid = median(walls);
    console.log(
      `npm test: ${seconds(mid)} wall, median of ${testRuns} (target <= ${testTargetS} s: ${mid <= testTargetS * 1000 ? "met" : "MISSED"})`,
    );
  }

  const live = liveResults(root);
  console.log("");
  if (live?.dev) {
    const dev = live.dev;
    console.log(
      `live tier, dev (last run here: ${live.passed} passed, ${live.failed} failed): ${dev.resources} resources applied in ${dev.applySeconds.toFixed(0)} s; no-op plan (${dev.planChanges} changes) ${dev.planSeconds.toFixed(0)} s; destroy ${dev.destroySeconds.toFixed(0)} s`,
    );
  } else {
    console.log(
      "live tier: no phases recorded here (run `npm run engines` and `npm run test:live -- dev`: it writes them to .live-results.json)",
    );
  }
} finally {
  rmSync(work, { recursive: true, force: true });
}
