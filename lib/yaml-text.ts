// Writes Helm values as block YAML with the `yaml` package. Helm parses values the YAML 1.1 way
// (go-yaml: yes/on/0777 are not strings), so strings are quoted wherever YAML 1.1 or 1.2 would read
// them as anything else; test/yaml-text.test.ts parses every committed release back under both.
import { Document, Scalar, visit } from "yaml";

// Quote a plain scalar that YAML 1.1 would read as non-string (or as a merge key), too.
const documentOptions = { version: "1.2", compat: "yaml-1.1", aliasDuplicateObjects: false } as const;
// Long lines never folded; multi-line text as literal blocks, so embedded config files stay readable
// in plan diffs.
const textOptions = { lineWidth: 0, blockQuote: "literal" } as const;

/** A one-line string holding a Terraform expression: its value is only known at apply time. */
const terraformExpression = (text: string) => text.includes("${") && !text.includes("\n");

/** YAML cannot carry NaN or Infinity, and a function or symbol is a bug in the values. */
function checked(_key: unknown, value: unknown): unknown {
  if (typeof value === "number" && !Number.isFinite(value)) throw new Error(`cannot write ${value} as a Helm value`);
  if (typeof value === "function" || typeof value === "symbol" || typeof value === "bigint")
    throw new Error(`cannot write a ${typeof value} as a Helm value`);
  return value;
}

/** Texts written by toYaml, with the data they were written from (see valuesOf). */
const written = new Map<string, object>();

/** Block YAML text for a values object, ending with a newline. */
export function toYaml(values: object): string {
  const doc = new Document(values, checked, documentOptions);
  // Whatever Terraform puts in place of an expression (a number-like id, "on", "a: b") stays a string.
  visit(doc, {
    Scalar(_key, node) {
      if (typeof node.value === "string" && terraformExpression(node.value)) node.type = Scalar.QUOTE_DOUBLE;
    },
  });
  const text = doc.toString(textOptions);
  written.set(text, values);
  return text;
}

/**
 * The data a values text was written from, when toYaml wrote it: readers such as the secret scan
 * then walk the data instead of parsing YAML again. Undefined for any other text.
 */
export function valuesOf(text: string): object | undefined {
  return written.get(text);
}
