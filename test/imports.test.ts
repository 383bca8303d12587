import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { describe, expect, it } from "vitest";

const root = join(__dirname, "..");
function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((entry) => {
    const path = join(dir, entry);
    return statSync(path).isDirectory() ? sources(path) : path.endsWith(".ts") ? [path] : [];
  });
}
const files = ["config", "constructs", "stacks", "lib", "policy", "scripts", "test"]
  .flatMap((dir) => sources(join(root, dir)))
  .concat(join(root, "main.ts"));

describe("source hygiene", () => {
  it("imports provider classes by deep path only (a root import costs ~1.7 s and 550 MB)", () => {
    const offenders = files.filter((file) =>
      /from\s+["']@cdktf\/provider-(aws|kubernetes|helm)["']/.test(readFileSync(file, "utf8")),
    );
    expect(offenders.map((file) => relative(root, file))).toEqual([]);
  });

  it("uses cdktf and constructs through their public API, and leaves Error's stack traces alone, outside test/", () => {
    const internals =
      /["'](cdktf|constructs)\/lib\/|captureStackTrace|prepareStackTrace|_hasMoved|_movedBy|_imported|rawOverrides|metaAttributes|_children|Symbol\.for\(["']cdktf/;
    const offenders = files.filter(
      (file) => !file.startsWith(join(root, "test")) && internals.test(readFileSync(file, "utf8")),
    );
    expect(offenders.map((file) => relative(root, file))).toEqual([]);
  });

  it("never branches on an environment's name in constructs or stacks", () => {
    const re = /(===|!==|==)\s*["'](dev|staging|prod|dr)["']|["'](dev|staging|prod|dr)["']\s*(===|!==|==)/;
    const offenders = files.filter(
      (file) => /\/(constructs|stacks)\//.test(file) && re.test(readFileSync(file, "utf8")),
    );
    expect(offenders.map((file) => relative(root, file))).toEqual([]);
  });

  it("keeps constructs free of configuration: they take props only", () => {
    const offenders = files.filter(
      (file) => /\/constructs\//.test(file) && /from\s+["'][./]+\/config|process\.env/.test(readFileSync(file, "utf8")),
    );
    expect(offenders.map((file) => relative(root, file))).toEqual([]);
  });
});
