import { defineConfig } from "vitest/config";

// The repository's vitest.config.ts only collects src/ and test/; the benchmark's pure helpers are tested here:
//   npx vitest run --config bench/vitest.config.ts
export default defineConfig({
  test: { include: ["bench/**/*.test.ts"], environment: "node" },
});
