// Every process the live tier starts, so that an interrupted run (Ctrl-C, a CI timeout, the
// tier's own bound) still ends them: the exit handler kills what is left, synchronously.
import type { ChildProcess } from "node:child_process";

const started = new Set<ChildProcess>();

export function track<T extends ChildProcess>(proc: T): T {
  started.add(proc);
  proc.once("exit", () => started.delete(proc));
  return proc;
}

/** Kills every tracked process still running; safe to call from a process "exit" handler. */
export function killAll(): void {
  for (const proc of started) if (proc.exitCode === null && proc.signalCode === null) proc.kill("SIGKILL");
  started.clear();
}
