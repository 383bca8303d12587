// Adding an environment is adding its file under config/environments/: the index that lists them is
// generated (npm run generate) and this test fails when it is stale.
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { environmentsIndex, runEnvironmentsIndex } from "../scripts/environments-index";

const dir = join(__dirname, "..", "config", "environments");

describe("config/environments/index.ts", () => {
  it("lists every environment file (npm run generate)", () => {
    const { text, errors } = environmentsIndex();
    expect(errors).toEqual([]);
    expect(
      readFileSync(join(dir, "index.ts"), "utf8") === text,
      "config/environments/index.ts is stale: run npm run generate",
    ).toBe(true);
  });

  it("picks up a new file, and refuses one that exports no environment", () => {
    const copy = mkdtempSync(join(tmpdir(), "odp-envs-"));
    cpSync(dir, copy, { recursive: true });
    const base = readFileSync(join(dir, "index.ts"), "utf8").match(/import \{ (\w+) \} from "\.\/(\w+)";/)!;
    writeFileSync(
      join(copy, "zzfixture.ts"),
      readFileSync(join(dir, `${base[2]}.ts`), "utf8").replace(`export const ${base[1]}:`, "export const zzfixture:"),
    );
    expect(runEnvironmentsIndex(["--check"], copy)).toBe(1);
    expect(runEnvironmentsIndex([], copy)).toBe(0);
    expect(readFileSync(join(copy, "index.ts"), "utf8")).toContain('import { zzfixture } from "./zzfixture";');
    writeFileSync(join(copy, "notes.ts"), "export const x = 1;\n");
    expect(environmentsIndex(copy).errors).toEqual([
      expect.stringMatching(/^config\/environments\/notes\.ts must export exactly one environment/),
    ]);
  });
});
