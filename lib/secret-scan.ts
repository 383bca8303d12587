// Finds literal secrets in synthesized Terraform JSON: an attribute named like a password, secret
// or token must hold a reference (a "${...}" expression), a boolean or a number, never a literal.

const secretKey = /(password|passwd|secret|token|api_?key|private_?key|credential)/i;
/** Attributes whose names look secret but hold settings, each with why. */
const notSecrets = new Set([
  "http_tokens", // IMDSv2 mode: "required"
  "httpTokens", // the same, in Karpenter's EC2NodeClass
  "secret_string_wo_version", // a version counter
]);
/** Well-known default credentials that must appear nowhere. */
export const defaultCredentials = [/minioadmin/i, /admin\/admin/i, /changeme/i, /\bpassword123\b/i, /"admin:admin"/i];

export interface SecretFinding {
  path: string;
  reason: string;
}

export function findLiteralSecrets(json: unknown): SecretFinding[] {
  const out: SecretFinding[] = [];
  walk(json, [], out);
  const text = JSON.stringify(json);
  for (const re of defaultCredentials) if (re.test(text)) out.push({ path: "(anywhere)", reason: `well-known default credential ${re}` });
  return out;
}

function walk(value: unknown, path: string[], out: SecretFinding[]): void {
  if (Array.isArray(value)) return value.forEach((v, i) => walk(v, [...path, String(i)], out));
  if (value === null || typeof value !== "object") return;
  for (const [key, v] of Object.entries(value)) {
    const here = [...path, key];
    if (key === "//") continue; // cdktf metadata
    if (typeof v === "string" && secretKey.test(key) && !notSecrets.has(key) && !namesASecret(key, value) && !isReference(v)) {
      out.push({ path: here.join("."), reason: "literal value in a secret-named attribute" });
    }
    // Variables and outputs: a default or value that is a literal in a secret-named block.
    if ((path[0] === "variable" || path[0] === "output") && path.length === 1 && secretKey.test(key)) {
      const block = v as Record<string, unknown>;
      const literal = (x: unknown) => typeof x === "string" && !isReference(x);
      if (literal(block.default) || literal(block.value)) out.push({ path: here.join("."), reason: "literal secret in a variable default or output" });
    }
    walk(v, here, out);
  }
}

/** Attributes that name a secret or a key inside one, rather than hold its value. */
function namesASecret(key: string, parent: object): boolean {
  if (/(Name|_name|Ref|_ref|.SecretKey)$/.test(key) || key === "existingSecret") return true;
  // external-secrets: { secretKey: <target key>, remoteRef: {...} }
  return key === "secretKey" && "remoteRef" in parent;
}

/** A Terraform expression, or a template that external-secrets fills in the cluster. */
function isReference(s: string): boolean {
  return /^\$\{[\s\S]+\}$/.test(s) || s === "" || /\{\{[^}]+\}\}/.test(s);
}
