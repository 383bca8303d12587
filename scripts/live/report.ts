// One result of the live tier: a named check that passed or failed, with what it found.
export interface Check {
  name: string;
  ok: boolean;
  detail?: string | undefined;
}

export function printCheck(c: Check): void {
  console.log(`${c.ok ? "ok  " : "FAIL"} ${c.name}`);
  if (!c.ok && c.detail) for (const line of c.detail.split("\n")) console.log(`     ${line}`);
}
