import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { describe, expect, it } from "vitest";

const root = join(__dirname, "..");
function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    return statSync(p).isDirectory() ? sources(p) : p.endsWith(".ts") ? [p] : [];
  });
}
const files = ["config", "constructs", "stacks", "lib", "policy", "scripts", "test"]
  .flatMap((d) => sources(join(root, d)))
  .concat(join(root, "main.ts"));

describe("source hygiene", () => {
  it("imports provider classes by deep path only (a root import costs ~1.7 s and 550 MB)", () => {
    const offenders = files.filter((f) =>
      /from\s+["']@cdktf\/provider-(aws|kubernetes|helm)["']/.test(readFileSync(f, "utf8")),
    );
    expect(offenders.map((f) => relative(root, f))).toEqual([]);
  });

  it("uses cdktf and constructs through their public API, and leaves Error's stack traces alone, outside test/", () => {
    const internals =
      /["'](cdktf|constructs)\/lib\/|captureStackTrace|prepareStackTrace|_hasMoved|_movedBy|_imported|rawOverrides|metaAttributes|_children|Symbol\.for\(["']cdktf/;
    const offenders = files.filter((f) => !f.startsWith(join(root, "test")) && internals.test(readFileSync(f, "utf8")));
    expect(offenders.map((f) => relative(root, f))).toEqual([]);
  });

  it("never branches on an environment's name in constructs or stacks", () => {
    const re = /(===|!==|==)\s*["'](dev|staging|prod|dr)["']|["'](dev|staging|prod|dr)["']\s*(===|!==|==)/;
    const offenders = files.filter((f) => /\/(constructs|stacks)\//.test(f) && re.test(readFileSync(f, "utf8")));
    expect(offenders.map((f) => relative(root, f))).toEqual([]);
  });

  it("keeps constructs free of configuration: they take props only", () => {
    const offenders = files.filter(
      (f) => /\/constructs\//.test(f) && /from\s+["'][./]+\/config|process\.env/.test(readFileSync(f, "utf8")),
    );
    expect(offenders.map((f) => relative(root, f))).toEqual([]);
  });
});
