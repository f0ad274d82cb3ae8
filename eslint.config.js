// One linter for server, web app, tests and benchmarks; formatting is left to Prettier.
import js from "@eslint/js";
import tseslint from "typescript-eslint";

/**
 * What a pure core may not import: storage, the engine, the server, a feature's own I/O shell (service/, job/,
 * store/), database and HTTP libraries, and Node's built-ins. The shell passes data, the clock and randomness in.
 */
const pureCoreMessage =
  "A pure core imports no storage, engine, server, HTTP, database or Node built-in: the I/O shell passes data in.";
export const pureCoreRestrictedImports = {
  patterns: [
    {
      regex: "(^|/)(storage|engine|server|service|job|store)(/|$)",
      message: pureCoreMessage,
    },
    {
      regex:
        "^(node:.*|fs|path|os|crypto|child_process|http|https|net|stream|url|util|worker_threads)(/.*)?$",
      message: pureCoreMessage,
    },
    {
      regex: "^(fastify|@fastify/.*|better-sqlite3|kysely|node-llama-cpp|pg)(/.*)?$",
      message: pureCoreMessage,
    },
  ],
};

export default tseslint.config(
  {
    ignores: [
      "dist/**",
      "web/dist/**",
      "node_modules/**",
      "coverage/**",
      "models/**",
      "data/**",
      ".cache/**",
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      "@typescript-eslint/no-explicit-any": "error",
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
      "@typescript-eslint/consistent-type-imports": "error",
      "no-console": "off",
    },
  },
  {
    // The pure cores (house style, habit 1). Their tests may read fixture files.
    files: ["src/*/core/**/*.ts", "src/*/*/core/**/*.ts", "src/statistics/**/*.ts"],
    ignores: ["**/*.test.ts"],
    rules: { "no-restricted-imports": ["error", pureCoreRestrictedImports] },
  },
);
