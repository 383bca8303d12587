// Finds literal secrets in synthesized Terraform: an attribute named like a password, secret or
// token must hold a reference (a "${...}" expression, or a template external-secrets fills in the
// cluster), a boolean or a number, never a literal. One implementation for the secrets test
// (whole stacks: resources, providers, variables, outputs) and policy rule SEC-001 (one resource).
import { parseAllDocuments } from "yaml";
import { valuesOf } from "./yaml-text";

export const secretKey = /(password|passwd|secret|token|api_?key|private_?key|credential)/i;
/** Attributes whose names look secret but hold settings, each with why. */
const notSecrets = new Set([
  "http_tokens", // IMDSv2 mode: "required"
  "httpTokens", // the same, in Karpenter's EC2NodeClass
  "secret_string_wo_version", // a version counter
  "superuserSecret", // CloudNativePG's cluster chart: the name of the superuser's Secret
]);
/** Environment variables named like a secret that hold a path to one, not its value. */
const pathVariable = /_(FILE|PATH|DIR)$/;

/**
 * Well-known default credentials that must appear nowhere, in source or output: MinIO's
 * (minioadmin, minio123), the admin/admin and admin:admin pairs, changeme (Elastic's old
 * elastic:changeme among others), password123 and Grafana's prom-operator from kube-prometheus-stack.
 */
export const defaultCredentials: readonly RegExp[] = [
  /minioadmin/i,
  /minio123/i,
  /\badmin\/admin\b/i,
  /\badmin:admin\b/i,
  /changeme/i,
  /\bpassword123\b/i,
  /\bprom-operator\b/i,
];

/**
 * Charts that ship a default credential unless a value replaces it: the value that must be set
 * (to a Secret's name, or true), or another that disables the component.
 */
export const chartCredentialDefaults: readonly {
  chart: string;
  path: string;
  unless?: { path: string; value: unknown };
  why: string;
}[] = [
  {
    chart: "kube-prometheus-stack",
    path: "grafana.admin.existingSecret",
    unless: { path: "grafana.enabled", value: false },
    why: "Grafana's admin password defaults to prom-operator",
  },
  {
    chart: "tenant",
    path: "tenant.configSecret.existingSecret",
    why: "the MinIO tenant chart otherwise creates root credentials minio/minio123",
  },
];

export interface SecretFinding {
  path: string;
  reason: string;
}

/** Literal secrets in one resource's attributes (snake_case, as synthesized), paths relative to it.
 *  Helm values are parsed from their YAML text and walked like attributes. */
export function scanResource(type: string, attrs: Record<string, unknown>): SecretFinding[] {
  const out: SecretFinding[] = [];
  const values = attrs.values;
  walk(attrs, [], out, "values"); // Helm values are read below, as data
  if (type === "helm_release" && Array.isArray(values)) {
    values.forEach((text, i) => {
      const docs = typeof text === "string" ? parseYaml(text) : [text];
      if (!docs) return walk(text, ["values", String(i)], out); // a Terraform expression: scan as text
      docs.forEach((doc) => walk(doc, ["values", String(i)], out));
      const merged = Object.assign({}, ...docs.filter(isObject));
      for (const credentialDefault of chartCredentialDefaults) {
        if (attrs.chart !== credentialDefault.chart) continue;
        if (credentialDefault.unless && at(merged, credentialDefault.unless.path) === credentialDefault.unless.value)
          continue;
        const value = at(merged, credentialDefault.path);
        if (value === undefined || value === false || value === "")
          out.push({ path: `values.${i}.${credentialDefault.path}`, reason: `not set: ${credentialDefault.why}` });
      }
    });
  } else if (values !== undefined) {
    walk(values, ["values"], out);
  }
  if (type === "kubernetes_secret_v1" || type === "kubernetes_secret") secretData(attrs, [], out);
  return out;
}

/** Every literal secret in a synthesized stack: resources (as `scanResource`), providers, data
 *  sources, ephemeral blocks, variable defaults and outputs. */
export function findLiteralSecrets(json: unknown): SecretFinding[] {
  const out: SecretFinding[] = [];
  if (!isObject(json)) return out;
  for (const [section, body] of Object.entries(json)) {
    if (section === "//") continue;
    if (section === "resource" && isObject(body)) {
      for (const [type, byName] of Object.entries(body)) {
        for (const [name, attrs] of Object.entries(isObject(byName) ? byName : {})) {
          if (!isObject(attrs)) continue;
          for (const finding of scanResource(type, attrs))
            out.push({ ...finding, path: ["resource", type, name, finding.path].filter(Boolean).join(".") });
        }
      }
      continue;
    }
    if ((section === "variable" || section === "output") && isObject(body)) {
      // A default or value that is a literal, in a block named like a secret.
      for (const [name, block] of Object.entries(body)) {
        const blockBody = isObject(block) ? block : {};
        if (secretKey.test(name) && (isLiteral(blockBody.default) || isLiteral(blockBody.value)))
          out.push({ path: `${section}.${name}`, reason: "literal secret in a variable default or output" });
      }
    }
    walk(body, [section], out);
  }
  return out;
}

/** Outputs whose name or value refers to a secret, a password or a token. */
export function carriesSecret(name: string, value: unknown): boolean {
  return secretKey.test(name) || (typeof value === "string" && secretKey.test(value));
}

/** Outputs that carry a secret (`carriesSecret`) without `sensitive = true`. */
export function unmarkedSecretOutputs(json: {
  output?: Record<string, { value?: unknown; sensitive?: boolean }>;
}): string[] {
  return Object.entries(json.output ?? {})
    .filter(([name, output]) => carriesSecret(name, output.value) && output.sensitive !== true)
    .map(([name]) => name);
}

/** Walks a value; `path` is a stack the walk pushes and pops (joined only for a finding). `skip` is
 *  a key of `value` itself to leave out, as if it were not there. */
function walk(value: unknown, path: string[], out: SecretFinding[], skip?: string): void {
  if (typeof value === "string") return defaults(value, path, out);
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      path.push(String(i));
      walk(value[i], path, out);
      path.pop();
    }
    return;
  }
  if (!isObject(value)) return;
  // Kubernetes Secrets written as manifests hold their values in data/stringData, under any key.
  if (value.kind === "Secret" && typeof value.apiVersion === "string") secretData(value, path, out);
  // { name: DB_PASSWORD, value: "..." }: environment variables, Helm `set` blocks.
  if (
    typeof value.name === "string" &&
    (keyFlags(value.name) & SECRET_WORD) !== 0 &&
    !pathVariable.test(value.name) &&
    isLiteral(value.value)
  ) {
    out.push({ path: [...path, "value"].join("."), reason: `literal value for ${value.name}` });
  }
  for (const key in value) {
    // plain data: its own keys, without an array of them per object
    if (key === "//" || key === skip) continue; // cdktf metadata
    const child = value[key];
    path.push(key);
    const flags = keyFlags(key);
    if ((flags & HOLDS_DEFAULT) !== 0) defaults(key, path, out);
    if (
      (flags & NAMED_SECRET) !== 0 &&
      typeof child === "string" &&
      !(key === "secretKey" && "remoteRef" in value) &&
      !isReference(child)
    ) {
      out.push({ path: path.join("."), reason: "literal value in a secret-named attribute" });
    }
    walk(child, path, out);
    path.pop();
  }
}

const HOLDS_DEFAULT = 1;
const SECRET_WORD = 2;
const NAMED_SECRET = 4;
// A dictionary object, not a Map: looking keys up was twice as fast (keys are mostly interned).
let keyCache: Record<string, number> = Object.create(null);
let cachedKeys = 0;
/** What a key (or a `name`) alone says: they repeat across every resource, so each is tested once. */
function keyFlags(key: string): number {
  let flags = keyCache[key];
  if (flags === undefined) {
    const word = secretKey.test(key);
    flags =
      (anyDefaultCredential.test(key) ? HOLDS_DEFAULT : 0) |
      (word ? SECRET_WORD : 0) |
      (word && !notSecrets.has(key) && !namesASecretByName(key) ? NAMED_SECRET : 0);
    if (++cachedKeys > 100_000) {
      keyCache = Object.create(null); // a bound for long-lived processes
      cachedKeys = 1;
    }
    keyCache[key] = flags;
  }
  return flags;
}

function secretData(obj: Record<string, any>, path: string[], out: SecretFinding[]): void {
  for (const field of ["data", "string_data", "stringData", "binary_data"]) {
    const data = obj[field];
    if (!isObject(data)) continue;
    for (const [k, value] of Object.entries(data)) {
      if (isLiteral(value))
        out.push({ path: [...path, field, k].join("."), reason: "literal value in a Kubernetes Secret" });
    }
  }
}

/** All default credentials in one pattern: one test per string, the list only on a hit. */
const anyDefaultCredential = new RegExp(defaultCredentials.map((pattern) => pattern.source).join("|"), "i");

function defaults(text: string, path: string[], out: SecretFinding[]): void {
  if (!anyDefaultCredential.test(text)) return;
  for (const re of defaultCredentials)
    if (re.test(text)) out.push({ path: path.join("."), reason: `well-known default credential ${re}` });
}

/** Attributes that name a secret or a key inside one, rather than hold its value; also `secretKey`
 *  beside a `remoteRef` (external-secrets: the target key), which the walk checks itself. */
function namesASecretByName(key: string): boolean {
  return /(Name|_name|Ref|_ref|.SecretKey|(password|Password|token|Token)Key)$/.test(key) || key === "existingSecret";
}

/** A Terraform expression (or an unresolved cdktf token), or a template that external-secrets
 *  fills in the cluster. */
function isReference(text: string): boolean {
  return /^\$\{[\s\S]+\}$/.test(text) || text === "" || /\{\{[^}]+\}\}/.test(text);
}

function isLiteral(value: unknown): boolean {
  return typeof value === "string" && !isReference(value);
}

function isObject(value: unknown): value is Record<string, any> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** A helm_release's `values` (YAML texts) as one object, later documents over earlier ones; texts
 *  that are not literal YAML (Terraform expressions) are skipped. */
export function parseHelmValues(values: unknown): Record<string, any> {
  const docs = (Array.isArray(values) ? values : []).flatMap((entry) =>
    typeof entry === "string" ? (parseYaml(entry) ?? []) : [entry],
  );
  return Object.assign({}, ...docs.filter(isObject));
}

function parseYaml(text: string): unknown[] | undefined {
  const written = valuesOf(text); // written by this program: the data itself, no parsing needed
  if (written) return [written];
  if (/^\$\{[\s\S]+\}$/.test(text)) return undefined;
  try {
    const docs = parseAllDocuments(text);
    if (!Array.isArray(docs) || docs.some((doc) => doc.errors.length)) return undefined;
    return docs.map((doc) => doc.toJS());
  } catch {
    return undefined;
  }
}

function at(obj: unknown, path: string): unknown {
  return path.split(".").reduce<unknown>((node, k) => (isObject(node) ? node[k] : undefined), obj);
}
