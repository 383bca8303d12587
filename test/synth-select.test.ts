// `npm run synth -- <env>`: one environment and what it depends on, whatever the others say.
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { selectEnvironments, synthesize } from "../scripts/run-synth";
import { inputs } from "./helpers";

const out = () => join(mkdtempSync(join(tmpdir(), "odp-synth-one-")), "cdktf.out");

describe("npm run synth -- <env>", () => {
  it("synthesizes dev while prod's configuration has an error", () => {
    const raw = inputs();
    raw.prod.database.multiAz = "yes please";
    expect(synthesize(raw, out()).ok).toBe(false);
    const result = synthesize(raw, out(), ["dev"]);
    expect(result.ok, result.lines.join("\n")).toBe(true);
    expect(result.stacks).toEqual(["dev-addons", "dev-apps"]);
  });

  it("takes along what an environment depends on: a standby's source", () => {
    expect(Object.keys(selectEnvironments(inputs(), ["dr"]).raw).sort()).toEqual(["dr", "prod"]);
    expect(Object.keys(selectEnvironments(inputs(), ["staging"]).raw)).toEqual(["staging"]);
  });

  it("names an unknown environment and the known ones", () => {
    const result = synthesize(inputs(), out(), ["qa"]);
    expect(result).toMatchObject({
      ok: false,
      lines: [expect.stringMatching(/^unknown environment qa \(known: dev, staging, prod, dr\)$/)],
    });
  });
});
