import { availableParallelism } from "node:os";
import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    environment: "node",
    testTimeout: 60_000,
    // A directory per run where each shared configuration is synthesized once (test/shared/store.ts).
    globalSetup: ["test/global-setup.ts"],
    // Test files share a worker's modules (cdktf, the providers, the program): importing them once
    // per file was most of the suite's time. Shared synthesized data is frozen (test/helpers.ts).
    isolate: false,
    // Every core: vitest's default leaves one to its own process, which has little to do here.
    maxWorkers: availableParallelism(),
    // Snapshots are reviewed like code: CI must never write them.
    update: false,
    // The JSON report gives .ci/run its closing "tests: N passed, M failed" line.
    reporters: ["default", ["json", { outputFile: ".vitest-results.json" }]],
  },
});
