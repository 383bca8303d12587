import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { replaceFile } from "../lib/replace-file";

const dir = mkdtempSync(join(tmpdir(), "odp-replace-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("replaceFile", () => {
  it("writes a new file and replaces an existing one whole, leaving no temporary file", () => {
    const path = join(dir, "cdk.tf.json");
    replaceFile(path, "first");
    expect(readFileSync(path, "utf8")).toBe("first");
    writeFileSync(path, "a much longer previous content that must not survive in part");
    replaceFile(path, "second");
    expect(readFileSync(path, "utf8")).toBe("second");
    expect(readdirSync(dir)).toEqual(["cdk.tf.json"]);
  });

  it("fails on an unwritable path and leaves nothing behind", () => {
    expect(() => replaceFile(join(dir, "missing", "cdk.tf.json"), "x")).toThrow(/ENOENT/);
    // A directory in the way: the rename fails, the temporary file is removed.
    const blocked = join(dir, "blocked");
    rmSync(blocked, { recursive: true, force: true });
    mkdirSync(join(blocked, "inner"), { recursive: true });
    expect(() => replaceFile(blocked, "x")).toThrow();
    expect(readdirSync(dir).filter((f) => f.endsWith(".tmp"))).toEqual([]);
    expect(readdirSync(blocked)).toEqual(["inner"]);
  });
});
