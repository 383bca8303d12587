// One result of the live tier: a named check that passed or failed, with what it found.
export interface Check {
  name: string;
  ok: boolean;
  detail?: string | undefined;
}

/** How long dev's phases took (seconds), recorded in .live-results.json for `npm run bench`. */
export interface LivePhases {
  resources: number;
  applySeconds: number;
  /** The no-op plans alone, without the pod and Job checks after them. */
  planSeconds: number;
  planChanges: number;
  destroySeconds: number;
}

/** What .live-results.json holds: .ci/run reads passed and failed. */
export interface LiveResults {
  passed: number;
  failed: number;
  dev?: LivePhases;
}

export function printCheck(c: Check): void {
  console.log(`${c.ok ? "ok  " : "FAIL"} ${c.name}`);
  if (!c.ok && c.detail) for (const line of c.detail.split("\n")) console.log(`     ${line}`);
}
