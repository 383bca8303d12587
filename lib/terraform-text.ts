// Terraform reads "${" and "%{" in any string as template syntax. Scripts and configuration files
// that the platform writes into resources must not contain them, or Terraform would evaluate them.

export function assertNoTemplateSequences(value: unknown, path: string): void {
  if (typeof value === "string") {
    if (/[$%]\{/.test(value)) throw new Error(`${path}: contains a Terraform template sequence ("\${" or "%{")`);
  } else if (Array.isArray(value)) {
    value.forEach((v, i) => assertNoTemplateSequences(v, `${path}[${i}]`));
  } else if (value && typeof value === "object") {
    for (const [k, v] of Object.entries(value)) assertNoTemplateSequences(v, `${path}.${k}`);
  }
}
