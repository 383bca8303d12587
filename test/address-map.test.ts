// docs/address-map.md maps every address and Kubernetes object to the code that makes it.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { addressMap, runAddressMap } from "../scripts/address-map";

const root = join(__dirname, "..");

describe("address map", () => {
  const text = addressMap();

  it("is current (npm run address-map)", () => {
    expect(
      readFileSync(join(root, "docs/address-map.md"), "utf8") === text,
      "docs/address-map.md is stale: run npm run address-map",
    ).toBe(true);
  });

  it("names the construct and the file that make an address or a Kubernetes object", () => {
    const row = (address: string) =>
      text
        .split("\n")
        .find((line) => line.startsWith(`| \`${address}`))
        ?.split("|")
        .map((cell) => cell.trim());
    expect(row("aws_db_instance.postgres`")?.slice(3, 5)).toEqual([
      "Postgres",
      "[constructs/aws/postgres.ts](../constructs/aws/postgres.ts)",
    ]);
    expect(row("helm_release.helm_airbyte`")?.slice(2, 5)).toEqual([
      "Helm release airbyte/airbyte",
      "Airbyte › HelmChart",
      "[constructs/k8s/helm-chart.ts](../constructs/k8s/helm-chart.ts)",
    ]);
    const coordinator = text.split("\n").find((line) => line.includes("StatefulSet dremio/dremio-coordinator"));
    expect(coordinator).toContain("constructs/k8s/workloads/dremio.ts");
  });

  it("answers --help and refuses an unknown flag", () => {
    expect(runAddressMap(["--help"])).toBe(0);
    expect(runAddressMap(["--fix"])).toBe(2);
  });
});
