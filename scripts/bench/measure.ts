// Runs a command as a user would and measures it: wall time, and the peak resident memory of the
// largest Node.js process it starts (each reports its own through report-rss.cjs on exit).
import { spawnSync } from "node:child_process";
import { join } from "node:path";

export interface Measured {
  wallMs: number;
  /** Peak RSS of the largest Node.js process of the command, in MiB (NaN when not asked). */
  peakMb: number;
  status: number | null;
  output: string;
}

const rssReporter = join(__dirname, "report-rss.cjs");

export function measure(command: string, args: string[], opts: { cwd: string; peak?: boolean }): Measured {
  const env = { ...process.env };
  // Every Node.js process of the command (npm, tsx and the program itself) reports its peak.
  if (opts.peak) env.NODE_OPTIONS = `${env.NODE_OPTIONS ?? ""} --require ${rssReporter}`.trim();
  const t = performance.now();
  const p = spawnSync(command, args, { cwd: opts.cwd, env, encoding: "utf8", maxBuffer: 256 * 2 ** 20 });
  const wallMs = performance.now() - t;
  const peaks = [...p.stderr.matchAll(/__rss__ (\d+)/g)].map((m) => Number(m[1]) / 1024);
  return {
    wallMs,
    peakMb: peaks.length ? Math.max(...peaks) : NaN,
    status: p.status,
    output: `${p.stdout}${p.stderr}`,
  };
}

export function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}
