// Every rule says what to change: configuration keys that exist in the schema (a typo or a renamed
// key fails here), or code files that exist.
import { existsSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { awsEnvironmentSchema, localEnvironmentSchema } from "../../config/schema";
import { allRules } from "../../policy";

const root = join(__dirname, "..", "..");

/** True when the dotted path names a field of the zod schema; `<name>` matches a record's key. */
function schemaHas(schema: unknown, path: readonly string[]): boolean {
  const def = (schema as { def: Record<string, any> }).def;
  switch (def.type) {
    case "optional":
    case "nullable":
    case "default":
    case "prefault":
    case "readonly":
    case "catch":
      return schemaHas(def.innerType, path);
    case "pipe":
      return schemaHas(def.in, path);
    case "union":
      return (def.options as unknown[]).some((option) => schemaHas(option, path));
  }
  if (path.length === 0) return true;
  const [head, ...rest] = path;
  if (def.type === "object") return head! in def.shape && schemaHas(def.shape[head!], rest);
  if (def.type === "record") return head === "<name>" && schemaHas(def.valueType, rest);
  return false;
}

const configPath = (key: string) =>
  [awsEnvironmentSchema, localEnvironmentSchema].some((schema) => schemaHas(schema, key.split(".")));

describe("policy rule fixes", () => {
  it("the schema walk finds real keys and refuses others", () => {
    expect(configPath("database.multiAz")).toBe(true);
    expect(configPath("cluster.nodeGroups.<name>.minSize")).toBe(true);
    expect(configPath("lake.zones.bronze.objectLock")).toBe(true);
    expect(configPath("workloads.dbt.image")).toBe(true);
    expect(configPath("policy.waivers")).toBe(true);
    expect(configPath("minio.servers")).toBe(true);
    expect(configPath("database.multiAZ")).toBe(false);
    expect(configPath("database")).toBe(true);
    expect(configPath("cluster.nodeGroups.system.minSize")).toBe(false);
    expect(configPath("database.multiAz.value")).toBe(false);
  });

  it("every rule names configuration keys of the schema or code, and each named file exists", () => {
    const bad: string[] = [];
    for (const rule of allRules) {
      const fix = rule.fix;
      if (!fix) bad.push(`${rule.id}: no fix`);
      if ("config" in fix) {
        if (fix.config.length === 0) bad.push(`${rule.id}: empty config list`);
        for (const key of fix.config)
          if (!configPath(key)) bad.push(`${rule.id}: ${key} is not a configuration key (config/schema.ts)`);
      }
      for (const file of fix.code ?? [])
        if (!existsSync(join(root, file))) bad.push(`${rule.id}: ${file} does not exist`);
    }
    expect(bad).toEqual([]);
  });

  it("says which configuration key decides the rules configuration decides", () => {
    const keys = (id: string) => {
      const fix = allRules.find((rule) => rule.id === id)!.fix;
      return "config" in fix ? fix.config : [];
    };
    expect(keys("RDS-003")).toEqual(["database.multiAz"]);
    expect(keys("RDS-004")).toEqual(["protection.deletionProtection"]);
    expect(keys("RDS-005")).toEqual(["database.backupRetentionDays"]);
    expect(keys("EKS-003")).toEqual(["cluster.publicAccessCidrs"]);
    expect(keys("EKS-011")).toEqual(["protection.deletionProtection"]);
    expect(keys("LB-004")).toEqual(["protection.deletionProtection"]);
    expect(keys("STATE-001")).toContain("protection.preventDestroy");
    expect(keys("KMS-001")).toEqual([]);
  });
});
