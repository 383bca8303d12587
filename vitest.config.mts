import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    environment: "node",
    testTimeout: 60_000,
    // Snapshots are reviewed like code: CI must never write them.
    update: false,
    // The JSON report gives .ci/run its closing "tests: N passed, M failed" line.
    reporters: ["default", ["json", { outputFile: ".vitest-results.json" }]],
  },
});
