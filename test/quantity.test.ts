import { describe, expect, it } from "vitest";
import { canonicalQuantity, cores, mebibytes } from "../lib/quantity";

describe("quantities as the API server writes them", () => {
  it.each([
    ["1024Mi", "1Gi"],
    ["1536Mi", "1536Mi"],
    ["2048Ki", "2Mi"],
    ["1048576Mi", "1Ti"],
    ["1000m", "1"],
    ["2500m", "2500m"],
    ["0.5", "500m"],
    ["1.5", "1500m"],
    ["1000M", "1G"],
    ["1500k", "1500k"],
    ["0", "0"],
  ])("%s reads back as %s", (quantity, canonical) => expect(canonicalQuantity(quantity)).toBe(canonical));

  it("leaves forms it does not judge alone", () => {
    expect(canonicalQuantity("1.5Gi")).toBeUndefined();
    expect(canonicalQuantity("1e3")).toBeUndefined();
  });

  it("writes memory in MiB and CPU in cores canonically", () => {
    expect([mebibytes(1024), mebibytes(512), mebibytes(3072)]).toEqual(["1Gi", "512Mi", "3Gi"]);
    expect([cores(0.5), cores(2), cores(1.25)]).toEqual(["500m", "2", "1250m"]);
    expect(() => mebibytes(0.5)).toThrow(/whole number of MiB/);
  });
});
