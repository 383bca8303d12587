import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { engines, goEngines } from "../config/engines";

const goMod = (module: string) => readFileSync(join(__dirname, "..", "engines", module, "go.mod"), "utf8");

describe("engines of the live tier", () => {
  it.each(goEngines.map((engine) => [engine.module, engine] as const))(
    "engines/%s/go.mod requires exactly the pinned version",
    (_, engine) => {
      const text = goMod(engine.module);
      expect(text).toMatch(
        new RegExp(
          `^\\s*(require\\s+)?${engine.upstream.replace(/[.]/g, "\\.")} ${engine.version}( // indirect)?$`,
          "m",
        ),
      );
      for (const pkg of engine.packages) expect(text).toContain(pkg);
    },
  );

  it("pins every Kubernetes staging module to the control plane's own patch", () => {
    const replaces = goMod("kube").match(/^\s+k8s\.io\/[a-z-]+ => k8s\.io\/[a-z-]+ v[\d.]+$/gm) ?? [];
    expect(replaces.length).toBeGreaterThan(25);
    for (const directive of replaces)
      expect(directive.trim().split(" ").at(-1)).toBe(engines.kube.version.replace(/^v1\./, "v0."));
  });

  it("builds every provider the stacks require, labelled apart from the release it stands in for", () => {
    expect(engines.providers.map((provider) => provider.type).sort()).toEqual(["aws", "helm", "kubernetes"]);
    for (const provider of engines.providers) expect(provider.mirrorVersion).not.toBe(provider.required);
  });
});
