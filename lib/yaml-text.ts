// Writes plain data (objects, arrays, strings, numbers, booleans, null) as block YAML for Helm
// values. The general-purpose `yaml` library spent more time formatting values than the rest of
// building a stack; this emitter is a few string joins. It is conservative where YAML is subtle:
// a string is written bare only when it cannot be read as anything else under YAML 1.1 (what Helm
// parses) or 1.2; everything else is double-quoted JSON, which is valid YAML. Multi-line text
// uses literal blocks so embedded config files stay readable in plan diffs.
// test/yaml-text.test.ts parses every committed release's values back under both versions.

const bare = /^[A-Za-z_][A-Za-z0-9_./-]*$/;
/** Words YAML 1.1 reads as booleans or null (case-insensitive), so they are always quoted. */
const reserved = /^(y|n|yes|no|on|off|true|false|null)$/i;
/** Characters that make a literal block unsafe or ambiguous: CR, NEL, line/paragraph separators, controls. */
const unsafeInBlock = /[\r\u0085\u2028\u2029\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/;

function scalar(v: unknown): string {
  if (v === null || v === undefined) return "null";
  if (typeof v === "boolean") return v ? "true" : "false";
  if (typeof v === "number") {
    if (!Number.isFinite(v)) throw new Error(`cannot write ${v} as a Helm value`);
    return String(v);
  }
  if (typeof v === "string") return bare.test(v) && !reserved.test(v) ? v : JSON.stringify(v);
  throw new Error(`cannot write a ${typeof v} as a Helm value`);
}

/** A literal block (`|`, `|-`, `|+`) for multi-line text when it reads back unchanged; else undefined. */
function literalBlock(s: string, pad: string): string | undefined {
  if (!s.includes("\n") || unsafeInBlock.test(s) || /^[ \t]/.test(s)) return undefined;
  const body = s.replace(/\n+$/, "");
  const lines = body.split("\n");
  // Whitespace-only lines would read back as empty ones.
  if (lines.some((l) => l.length > 0 && l.trim() === "")) return undefined;
  const trailing = s.length - body.length;
  const chomp = trailing === 0 ? "-" : trailing === 1 ? "" : "+";
  const extra = trailing > 1 ? "\n".repeat(trailing - 1) : "";
  return `|${chomp}\n${lines.map((l) => (l ? pad + l : "")).join("\n")}${extra}`;
}

function isMap(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === "object" && !Array.isArray(v);
}

function lines(v: unknown, pad: string): string {
  if (Array.isArray(v)) {
    if (v.length === 0) return `${pad}[]`;
    return v
      .map((item) => {
        const nested = (isMap(item) && Object.keys(item).length > 0) || (Array.isArray(item) && item.length > 0);
        if (nested) return `${pad}- ${lines(item, pad + "  ").slice(pad.length + 2)}`;
        return `${pad}- ${value(item, pad + "  ")}`;
      })
      .join("\n");
  }
  if (isMap(v)) {
    const entries = Object.entries(v).filter(([, x]) => x !== undefined);
    if (entries.length === 0) return `${pad}{}`;
    return entries
      .map(([k, x]) => {
        const key = scalar(k);
        const nested = (isMap(x) && Object.keys(x).some((kk) => x[kk] !== undefined)) || (Array.isArray(x) && x.length > 0);
        return nested ? `${pad}${key}:\n${lines(x, pad + "  ")}` : `${pad}${key}: ${value(x, pad + "  ")}`;
      })
      .join("\n");
  }
  return pad + scalar(v);
}

/** A scalar, an empty collection or a literal block, placed after "key: " or "- ". */
function value(v: unknown, pad: string): string {
  if (Array.isArray(v)) return "[]";
  if (isMap(v)) return "{}";
  if (typeof v === "string") return literalBlock(v, pad) ?? scalar(v);
  return scalar(v);
}

/** Texts written by toYaml, with the data they were written from (see valuesOf). */
const written = new Map<string, object>();

/** Block YAML text for a values object, ending with a newline. */
export function toYaml(values: object): string {
  const text = lines(values, "") + "\n";
  written.set(text, values);
  return text;
}

/**
 * The data a values text was written from, when toYaml wrote it: readers such as the secret scan
 * then walk the data instead of parsing YAML again (parsing every release's values was a third of
 * the policy suite's time). Undefined for any other text.
 */
export function valuesOf(text: string): object | undefined {
  return written.get(text);
}
