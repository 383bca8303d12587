import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { engines, goEngines } from "../config/engines";

const goMod = (module: string) => readFileSync(join(__dirname, "..", "engines", module, "go.mod"), "utf8");

describe("engines of the live tier", () => {
  it.each(goEngines.map((e) => [e.module, e] as const))(
    "engines/%s/go.mod requires exactly the pinned version",
    (_, e) => {
      const text = goMod(e.module);
      expect(text).toMatch(
        new RegExp(`^\\s*(require\\s+)?${e.upstream.replace(/[.]/g, "\\.")} ${e.version}( // indirect)?$`, "m"),
      );
      for (const pkg of e.packages) expect(text).toContain(pkg);
    },
  );

  it("pins every Kubernetes staging module to the control plane's own patch", () => {
    const replaces = goMod("kube").match(/^\s+k8s\.io\/[a-z-]+ => k8s\.io\/[a-z-]+ v[\d.]+$/gm) ?? [];
    expect(replaces.length).toBeGreaterThan(25);
    for (const r of replaces) expect(r.trim().split(" ").at(-1)).toBe(engines.kube.version.replace(/^v1\./, "v0."));
  });

  it("builds every provider the stacks require, labelled apart from the release it stands in for", () => {
    expect(engines.providers.map((p) => p.type).sort()).toEqual(["aws", "helm", "kubernetes"]);
    for (const p of engines.providers) expect(p.mirrorVersion).not.toBe(p.required);
  });
});
