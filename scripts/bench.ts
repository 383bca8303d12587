// `npm run bench`: whole-process wall time and peak memory of synthesizing every stack, compared
// with merely loading @cdktf/provider-aws's package root; and the marginal cost of one more
// environment, from 4 to 40 generated environments. Prints figures; never fails a build.
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { cpus, tmpdir, totalmem } from "node:os";
import { join } from "node:path";
import { buildSync } from "esbuild";

const runs = Number(process.env.BENCH_RUNS ?? 5);
const work = mkdtempSync(join(tmpdir(), "odp-bench-"));
const entry = join(work, "synth.js");
// Compiled JavaScript, as a deployment pipeline would run it; tsx is measured beside it.
buildSync({ entryPoints: [join(__dirname, "bench", "synth-entry.ts")], bundle: true, platform: "node", packages: "external", target: "node20", outfile: entry, logLevel: "warning", absWorkingDir: join(__dirname, "..") });
// Bundled code resolves packages from the project, not from the temporary directory.
const env = { ...process.env, NODE_PATH: join(__dirname, "..", "node_modules") };
const rss = join(__dirname, "bench", "report-rss.cjs");

interface Run { wallMs: number; peakMb: number; stacks: Record<string, number> }

function measure(args: string[]): Run {
  const t = performance.now();
  const p = spawnSync(process.execPath, ["-r", rss, ...args], { encoding: "utf8", env, cwd: join(__dirname, "..") });
  const wallMs = performance.now() - t;
  if (p.status !== 0) throw new Error(`benchmark subject failed: ${args.join(" ")}\n${p.stderr}`);
  const peakKb = Number(/__rss__ (\d+)/.exec(p.stderr)?.[1] ?? NaN);
  const stacks = JSON.parse(/__stacks__ (.*)/.exec(p.stderr)?.[1] ?? "{}") as Record<string, number>;
  return { wallMs, peakMb: peakKb / 1024, stacks };
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

/**
 * Runs every subject once per round, after one warm-up round, and keeps each round's figures:
 * a ratio or a difference is taken within a round, between runs seconds apart, so the drift of a
 * shared machine's speed over the whole benchmark cancels out instead of biasing one subject.
 */
function rounds(subjects: Record<string, string[]>): Record<string, Run[]> {
  for (const args of Object.values(subjects)) measure(args); // warm the file cache
  const out: Record<string, Run[]> = Object.fromEntries(Object.keys(subjects).map((k) => [k, []]));
  for (let i = 0; i < runs; i++) for (const [k, args] of Object.entries(subjects)) out[k]!.push(measure(args));
  return out;
}

function summary(label: string, rs: Run[]): Run {
  const stacks: Record<string, number> = {};
  for (const id of Object.keys(rs[0]!.stacks)) stacks[id] = median(rs.map((r) => r.stacks[id]!));
  const out = { wallMs: median(rs.map((r) => r.wallMs)), peakMb: Math.max(...rs.map((r) => r.peakMb)), stacks };
  console.log(`${label.padEnd(44)} ${out.wallMs.toFixed(0).padStart(6)} ms  ${out.peakMb.toFixed(0).padStart(5)} MB peak`);
  return out;
}

const out = (name: string) => join(work, name);
console.log(`machine: ${cpus().length} x ${cpus()[0]?.model.trim()}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, node ${process.version}; median of ${runs} rounds\n`);
const r = rounds({
  root: ["-e", 'require("@cdktf/provider-aws")'],
  all: [entry, out("all")],
  tsx: ["--import", "tsx", join(__dirname, "bench", "synth-entry.ts"), out("tsx")],
  g4: [entry, out("g4"), "4"],
  g40: [entry, out("g40"), "40"],
});
summary("load @cdktf/provider-aws package root", r.root!);
const all = summary("synth all stacks (compiled JS)", r.all!);
summary("synth all stacks (tsx, as npm run synth)", r.tsx!);
summary("synth 4 generated environments", r.g4!);
summary("synth 40 generated environments", r.g40!);

console.log("\nper stack (in-process synthesis, median ms):");
for (const [id, ms] of Object.entries(all.stacks)) console.log(`  ${id.padEnd(24)} ${ms.toFixed(1).padStart(7)}`);

const perRound = (f: (i: number) => number) => median(Array.from({ length: runs }, (_, i) => f(i)));
const ratio = perRound((i) => r.all![i]!.wallMs / r.root![i]!.wallMs);
const tsxRatio = perRound((i) => r.tsx![i]!.wallMs / r.root![i]!.wallMs);
/** One more environment in round i: from 4 to 40 generated environments. */
const marginalAt = (i: number) => (r.g40![i]!.wallMs - r.g4![i]!.wallMs) / 36;
const marginal = perRound(marginalAt);
const check = (ok: boolean) => (ok ? "meets" : "MISSES");
console.log("\ntargets (each the median over rounds of that round's figure):");
console.log(`  all stacks / provider root load   ${ratio.toFixed(2)}x   (<= 0.50x)  ${check(ratio <= 0.5)}`);
console.log(`  peak memory, all stacks           ${all.peakMb.toFixed(0)} MB   (<= 200 MB) ${check(all.peakMb <= 200)}`);
console.log(`  one more environment              ${marginal.toFixed(1)} ms  (<= 40 ms)  ${check(marginal <= 40)}`);
console.log(`  (tsx instead of compiled JS: ${tsxRatio.toFixed(2)}x the root load)`);
// The marginal environment follows the shared machine's speed (runs minutes apart differ by a third):
// relative to the same round's root load, figures from different runs can be compared.
const perRootSecond = perRound((i) => marginalAt(i) / (r.root![i]!.wallMs / 1000));
console.log(`  (one more environment per second of root load: ${perRootSecond.toFixed(1)} ms; for comparing runs, not a target)`);
rmSync(work, { recursive: true, force: true });
