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

export function printCheck(check: Check): void {
  console.log(`${check.ok ? "ok  " : "FAIL"} ${check.name}`);
  if (!check.ok && check.detail) for (const line of check.detail.split("\n")) console.log(`     ${line}`);
}
