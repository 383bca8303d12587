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

function bench(label: string, args: () => string[]): { wallMs: number; peakMb: number; stacks: Record<string, number> } {
  measure(args()); // warm the file cache
  const rs = Array.from({ length: runs }, () => measure(args()));
  const stacks: Record<string, number> = {};
  for (const id of Object.keys(rs[0]!.stacks)) stacks[id] = median(rs.map((r) => r.stacks[id]!));
  const out = { wallMs: median(rs.map((r) => r.wallMs)), peakMb: Math.max(...rs.map((r) => r.peakMb)), stacks };
  console.log(`${label.padEnd(44)} ${out.wallMs.toFixed(0).padStart(6)} ms  ${out.peakMb.toFixed(0).padStart(5)} MB peak`);
  return out;
}

const out = (name: string) => join(work, name);
console.log(`machine: ${cpus().length} x ${cpus()[0]?.model.trim()}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, node ${process.version}; median of ${runs} runs\n`);
const root = bench("load @cdktf/provider-aws package root", () => ["-e", 'require("@cdktf/provider-aws")']);
const all = bench("synth all stacks (compiled JS)", () => [entry, out("all")]);
const tsx = bench("synth all stacks (tsx, as npm run synth)", () => ["--import", "tsx", join(__dirname, "bench", "synth-entry.ts"), out("tsx")]);
const g4 = bench("synth 4 generated environments", () => [entry, out("g4"), "4"]);
const g40 = bench("synth 40 generated environments", () => [entry, out("g40"), "40"]);

console.log("\nper stack (in-process synthesis, median ms):");
for (const [id, ms] of Object.entries(all.stacks)) console.log(`  ${id.padEnd(24)} ${ms.toFixed(1).padStart(7)}`);

const ratio = all.wallMs / root.wallMs;
const marginal = (g40.wallMs - g4.wallMs) / 36;
const check = (ok: boolean) => (ok ? "meets" : "MISSES");
console.log("\ntargets:");
console.log(`  all stacks / provider root load   ${ratio.toFixed(2)}x   (<= 0.50x)  ${check(ratio <= 0.5)}`);
console.log(`  peak memory, all stacks           ${all.peakMb.toFixed(0)} MB   (<= 200 MB) ${check(all.peakMb <= 200)}`);
console.log(`  one more environment              ${marginal.toFixed(1)} ms  (<= 40 ms)  ${check(marginal <= 40)}`);
console.log(`  (tsx instead of compiled JS: ${(tsx.wallMs / root.wallMs).toFixed(2)}x the root load)`);
rmSync(work, { recursive: true, force: true });
