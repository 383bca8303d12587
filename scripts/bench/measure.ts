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
  const started = performance.now();
  const child = spawnSync(command, args, { cwd: opts.cwd, env, encoding: "utf8", maxBuffer: 256 * 2 ** 20 });
  const wallMs = performance.now() - started;
  const peaks = [...child.stderr.matchAll(/__rss__ (\d+)/g)].map((match) => Number(match[1]) / 1024);
  return {
    wallMs,
    peakMb: peaks.length ? Math.max(...peaks) : NaN,
    status: child.status,
    output: `${child.stdout}${child.stderr}`,
  };
}

export function median(xs: number[]): number {
  const sorted = [...xs].sort((left, right) => left - right);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}
