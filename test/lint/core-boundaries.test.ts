import path from "node:path";
import { fileURLToPath } from "node:url";
import { ESLint } from "eslint";
import { beforeAll, describe, expect, it } from "vitest";

const packageRoot = fileURLToPath(new URL("../..", import.meta.url));

const message =
  "A pure core imports no storage, engine, server, HTTP, database or Node built-in: the I/O shell passes data in.";

let eslint: ESLint;
beforeAll(() => {
  eslint = new ESLint({ cwd: packageRoot });
});

/** Lints `code` as if it were the file at `file` (relative to the repository), with the project's own config. */
async function restrictedImportMessages(file: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: path.join(packageRoot, file) });
  return (result?.messages ?? []).filter((m) => m.ruleId === "no-restricted-imports").map((m) => m.message);
}

describe("the pure-core boundary lint rule", () => {
  it("fails a core file that imports node:fs, with the rule's message", async () => {
    const messages = await restrictedImportMessages(
      "src/analysis/core/boundary-fixture.ts",
      'import fs from "node:fs";\nexport const size = fs.statSync(".").size;\n',
    );
    expect(messages).toEqual([expect.stringContaining(message)]);
  });

  it.each([
    ["storage", 'import type { Db } from "../../storage/database-schema.js";'],
    ["the engine", 'import type { LlmBackend } from "../../engine/llm-backend.js";'],
    ["the server", 'import { errorBody } from "../../server/error-handler.js";'],
    ["its own store", 'import type { RolloutStore } from "../store/rollout-store.js";'],
    ["fastify", 'import type { FastifyInstance } from "fastify";'],
    ["better-sqlite3", 'import Database from "better-sqlite3";'],
    ["kysely", 'import { sql } from "kysely";'],
    ["node-llama-cpp", 'import { getLlama } from "node-llama-cpp";'],
    ["a bare Node built-in", 'import { createHash } from "crypto";'],
  ])("fails a core file that imports %s", async (_what, line) => {
    const messages = await restrictedImportMessages("src/rollout/core/boundary-fixture.ts", `${line}\n`);
    expect(messages).toEqual([expect.stringContaining(message)]);
  });

  it("applies to src/statistics as well", async () => {
    const messages = await restrictedImportMessages(
      "src/statistics/boundary-fixture.ts",
      'import { readFileSync } from "node:fs";\nexport const text = readFileSync("x", "utf8");\n',
    );
    expect(messages).toHaveLength(1);
  });

  it("lets a core import other pure code, and lets a shell or a core's test import anything", async () => {
    expect(
      await restrictedImportMessages(
        "src/rollout/core/boundary-fixture.ts",
        'import { AppError } from "../../errors.js";\nimport { normalCdf } from "../../statistics/normal-distribution.js";\nexport const e = [AppError, normalCdf];\n',
      ),
    ).toEqual([]);
    expect(
      await restrictedImportMessages(
        "src/rollout/service/boundary-fixture.ts",
        'import fs from "node:fs";\nexport const f = fs;\n',
      ),
    ).toEqual([]);
    expect(
      await restrictedImportMessages(
        "src/rollout/core/boundary-fixture.test.ts",
        'import fs from "node:fs";\nexport const f = fs;\n',
      ),
    ).toEqual([]);
  });
});
