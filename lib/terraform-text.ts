// Terraform reads "${" and "%{" in any string as template syntax. Scripts and configuration files
// that the platform writes into resources must not contain them, or Terraform would evaluate them.

export function assertNoTemplateSequences(value: unknown, path: string): void {
  const at = templateSequenceAt(value);
  if (at !== undefined) throw new Error(`${path}${at}: contains a Terraform template sequence ("\${" or "%{")`);
}

/** Where in `value` a string holds "${" or "%{" (a suffix such as `.a[2]`), or undefined. The path
 *  is only built for a hit: building it for every value cost more than the check. */
function templateSequenceAt(value: unknown): string | undefined {
  if (typeof value === "string") return /[$%]\{/.test(value) ? "" : undefined;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const at = templateSequenceAt(value[i]);
      if (at !== undefined) return `[${i}]${at}`;
    }
  } else if (value && typeof value === "object") {
    for (const k of Object.keys(value)) {
      const at = templateSequenceAt((value as Record<string, unknown>)[k]);
      if (at !== undefined) return `.${k}${at}`;
    }
  }
  return undefined;
}
