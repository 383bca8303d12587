// Custom resources checked against the CRDs that the pinned charts install, read from the reference
// directory (crds/<chart>-<version>/<plural>.<group>.yaml), never copied into the project.
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { parse } from "yaml";
import { referenceAbsent, referenceDir } from "../scripts/lib/reference-dir";

export type Schema = {
  type?: string;
  properties?: Record<string, Schema>;
  additionalProperties?: Schema | boolean;
  items?: Schema;
  required?: string[];
  enum?: unknown[];
  anyOf?: Schema[];
  "x-kubernetes-preserve-unknown-fields"?: boolean;
  "x-kubernetes-int-or-string"?: boolean;
};

type Crd = { spec: { versions: { name: string; schema: { openAPIV3Schema: Schema } }[] } };

/** The openAPIV3Schema of one CRD version, or undefined (with one line on stderr) when the reference data is absent. */
export function crdSchema(chartDir: string, crdName: string, version: string): Schema | undefined {
  const absent = referenceAbsent("crds");
  if (absent) {
    console.warn(`CRD schema checks of ${crdName} skipped: ${absent}`);
    return undefined;
  }
  const file = join(referenceDir(), "crds", chartDir, `${crdName}.yaml`);
  if (!existsSync(file)) throw new Error(`${file} is missing: the pinned chart no longer installs ${crdName}?`);
  const crd = parse(readFileSync(file, "utf8")) as Crd;
  const crdVersion = crd.spec.versions.find((candidate) => candidate.name === version);
  if (!crdVersion) throw new Error(`${crdName} has no version ${version} in ${file}`);
  return crdVersion.schema.openAPIV3Schema;
}

/** Every key that the schema does not declare, every value of the wrong type, every missing
 *  required field: one message each, with its path. */
export function schemaErrors(value: unknown, schema: Schema, path: string): string[] {
  if (schema["x-kubernetes-preserve-unknown-fields"] && !schema.properties) return [];
  if (schema["x-kubernetes-int-or-string"])
    return typeof value === "number" || typeof value === "string" ? [] : [`${path}: expected int or string`];
  if (schema.anyOf)
    return schema.anyOf.some((branch) => schemaErrors(value, branch, path).length === 0)
      ? []
      : [`${path}: matches no anyOf branch`];
  if (schema.enum && !schema.enum.includes(value))
    return [`${path}: ${JSON.stringify(value)} not in ${JSON.stringify(schema.enum)}`];
  switch (schema.type) {
    case "object": {
      if (value === null || typeof value !== "object" || Array.isArray(value)) return [`${path}: expected object`];
      const obj = value as Record<string, unknown>;
      const out = (schema.required ?? []).filter((k) => !(k in obj)).map((k) => `${path}.${k}: required`);
      for (const [k, child] of Object.entries(obj)) {
        const sub =
          schema.properties?.[k] ??
          (typeof schema.additionalProperties === "object" ? schema.additionalProperties : undefined);
        if (sub) out.push(...schemaErrors(child, sub, `${path}.${k}`));
        else if (schema.properties || schema.additionalProperties === false)
          out.push(`${path}.${k}: not in the CRD schema`);
      }
      return out;
    }
    case "array":
      if (!Array.isArray(value)) return [`${path}: expected array`];
      return schema.items ? value.flatMap((item, i) => schemaErrors(item, schema.items!, `${path}[${i}]`)) : [];
    case "string":
      return typeof value === "string" ? [] : [`${path}: expected string`];
    case "integer":
      return Number.isInteger(value) ? [] : [`${path}: expected integer`];
    case "number":
      return typeof value === "number" ? [] : [`${path}: expected number`];
    case "boolean":
      return typeof value === "boolean" ? [] : [`${path}: expected boolean`];
    default:
      return [];
  }
}

const parsed = new Map<string, Crd & { spec: { group: string; names: { kind: string } } }>();
/** The schema of a custom resource's apiVersion and kind among the CRDs in the reference directory,
 *  or undefined. Parses only the files that can hold it (named <plural>.<group>.yaml). */
export function customResourceSchema(apiVersion: string, kind: string): Schema | undefined {
  const [group, version] = apiVersion.split("/");
  const root = join(referenceDir(), "crds");
  for (const chart of readdirSync(root, { withFileTypes: true }).filter((entry) => entry.isDirectory())) {
    for (const file of readdirSync(join(root, chart.name)).filter(
      (fileName) => fileName.startsWith(kind.toLowerCase()) && fileName.endsWith(`.${group}.yaml`),
    )) {
      const path = join(root, chart.name, file);
      if (!parsed.has(path)) parsed.set(path, parse(readFileSync(path, "utf8")));
      const crd = parsed.get(path)!;
      const crdVersion = crd.spec.versions.find((candidate) => candidate.name === version);
      if (crd.spec.group === group && crd.spec.names.kind === kind && crdVersion)
        return crdVersion.schema.openAPIV3Schema;
    }
  }
  return undefined;
}
