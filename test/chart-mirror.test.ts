import { describe, expect, it } from "vitest";
import { loadEnvironments } from "../config";
import { chartsFor } from "../config/charts";
import { versions } from "../config/versions";
import { inputs, resources, synthStack } from "./helpers";

function withMirror(url: string) {
  const raw = inputs();
  raw.staging.chartMirror = url;
  return loadEnvironments(raw);
}

describe("chart mirror", () => {
  it("replaces every repository, classic and OCI alike, keeping chart names and versions", () => {
    const charts = chartsFor({ chartMirror: "https://charts.internal.example.net/platform" });
    for (const [key, ref] of Object.entries(versions.charts)) {
      expect(charts[key as keyof typeof charts]).toEqual({
        ...ref,
        repository: "https://charts.internal.example.net/platform",
      });
    }
    expect(chartsFor({})).toBe(versions.charts);
  });

  it("holds every pinned chart under a distinct name, as one repository index must", () => {
    const names = Object.values(versions.charts).map((ref) => ref.chart);
    expect(new Set(names).size).toBe(names.length);
  });

  it("takes https, or plain http on loopback only", () => {
    expect(withMirror("https://charts.internal.example.net/platform/").ok).toBe(true);
    expect(withMirror("http://127.0.0.1:8080").ok).toBe(true);
    const result = withMirror("http://charts.internal.example.net");
    expect(result.ok ? [] : result.errors).toEqual([
      expect.stringMatching(/^config error in staging: chartMirror .*plain http only on 127\.0\.0\.1 or localhost/),
    ]);
  });

  it("reaches every helm_release of a synthesized environment", () => {
    const raw = { dev: { ...inputs().dev, chartMirror: "http://127.0.0.1:8879" } }; // dev alone: its stacks are the subject
    for (const id of ["dev-addons", "dev-apps"]) {
      const releases = resources(synthStack(id, raw), "helm_release");
      expect(releases.length).toBeGreaterThan(0);
      for (const release of releases) expect(release.repository).toBe("http://127.0.0.1:8879");
    }
  });
});
