// Every process the live tier starts, so that an interrupted run (Ctrl-C, a CI timeout, the
// tier's own bound) still ends them: the exit handler kills what is left, synchronously.
import type { ChildProcess } from "node:child_process";

const started = new Set<ChildProcess>();
/** Processes started as leaders of their own group (Terraform): killing the group also ends the
 *  provider plugins they started, which would otherwise outlive them. */
const groups = new Set<ChildProcess>();

export function track<T extends ChildProcess>(proc: T, opts: { group?: boolean } = {}): T {
  started.add(proc);
  if (opts.group) groups.add(proc);
  proc.once("exit", () => {
    started.delete(proc);
    groups.delete(proc);
  });
  return proc;
}

/** Kills every tracked process still running; safe to call from a process "exit" handler. */
export function killAll(): void {
  for (const proc of started) {
    if (proc.exitCode !== null || proc.signalCode !== null) continue;
    if (groups.has(proc) && proc.pid !== undefined) {
      try {
        process.kill(-proc.pid, "SIGKILL");
        continue;
      } catch {
        // the group is gone already: fall through to the process itself
      }
    }
    proc.kill("SIGKILL");
  }
  started.clear();
  groups.clear();
}
