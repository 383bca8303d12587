// The house style that npm test enforces through ESLint and Prettier, run on violating fixtures:
// a rule that was switched off or scoped away from a directory would let these through.
import { join } from "node:path";
import { ESLint } from "eslint";
import { check, resolveConfig } from "prettier";
import { describe, expect, it } from "vitest";

const root = join(__dirname, "..");

async function ruleIds(text: string, file: string): Promise<string[]> {
  const [result] = await new ESLint({ cwd: root }).lintText(text, { filePath: join(root, file) });
  return result!.messages.map((message) => message.ruleId ?? message.message);
}

describe("house style", () => {
  const oneLetter = "export const total = [1, 2].reduce((a, b) => a + b, 0);\n";
  const loopIndex =
    "export function sum(list: number[]): number {\n  let total = 0;\n  for (let i = 0; i < list.length; i++) total += list[i]!;\n  return total;\n}\n";

  it.each(["constructs/widget.ts", "test/widget.test.ts", "scripts/widget.ts"])(
    "refuses one-letter names outside loop indices in %s",
    async (file) => {
      expect(await ruleIds(oneLetter, file)).toEqual(["id-length", "id-length"]);
      expect(await ruleIds(loopIndex, file)).toEqual([]);
    },
  );

  it("keeps the small rule set on", async () => {
    const text =
      'import { Foo, create } from "./foo";\nexport function make(): Foo {\n  let made = create();\n  return made;\n}\n';
    expect(await ruleIds(text, "lib/widget.ts")).toEqual([
      "@typescript-eslint/consistent-type-imports",
      "prefer-const",
    ]);
  });

  it("formats at 120 columns", async () => {
    const options = { ...(await resolveConfig(join(root, "lib/widget.ts"))), filepath: join(root, "lib/widget.ts") };
    const long = `export const names = [${Array.from({ length: 12 }, (_, i) => `"name-${i}"`).join(", ")}];\n`;
    expect(long.length).toBeGreaterThan(120);
    expect(await check(long, options)).toBe(false);
    expect(await check('export const names = ["a", "b"];\n', options)).toBe(true);
  });
});
