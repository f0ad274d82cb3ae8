import { defineConfig } from "vitest/config";

// Two projects: the server side runs in Node with the real engine and real SQLite;
// the web app's components run in jsdom.
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: "node",
          environment: "node",
          include: ["src/**/*.test.ts", "test/**/*.test.ts", "bench/**/*.test.ts"],
          // PostgreSQL for the PG suites: DATABASE_URL, or a throwaway cluster (skipped with a printed reason).
          globalSetup: ["./test/support/postgres/postgres-global-setup.ts"],
          testTimeout: 60_000,
          hookTimeout: 120_000,
          // One model-backed file at a time: the machine has two cores.
          fileParallelism: false,
        },
      },
      {
        extends: "./web/vite.config.ts",
        test: {
          name: "web",
          environment: "jsdom",
          include: ["web/src/**/*.test.tsx", "web/src/**/*.test.ts"],
          setupFiles: ["./web/test/setup.ts"],
        },
      },
    ],
  },
});
