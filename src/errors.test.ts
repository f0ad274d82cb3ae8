import fs from "node:fs";
import { expect, it } from "vitest";
import { AppError, errorCodes } from "./errors.js";

it("documents every error code with its HTTP status in docs/errors.md", () => {
  const doc = fs.readFileSync(new URL("../docs/errors.md", import.meta.url), "utf8");
  for (const [code, status] of Object.entries(errorCodes)) {
    const row = doc.split("\n").find((line) => new RegExp(`^\\|\\s*\`${code}\`\\s*\\|`).test(line));
    expect(row, `docs/errors.md has no row for ${code}`).toBeDefined();
    if (
      status < 500 ||
      !["CONFIG_INVALID", "MODEL_UNAVAILABLE", "DATABASE_NOT_FOUND", "NO_MATCH"].includes(code)
    )
      expect(row).toMatch(new RegExp(`\\|\\s*${status}\\s*\\|`));
  }
});

it("carries code, status, cause and details", () => {
  const cause = new Error("disk full");
  const error = new AppError("STORAGE_FAILED", "could not store", { cause, details: { retry: true } });
  expect(error).toMatchObject({ code: "STORAGE_FAILED", status: 503, cause, details: { retry: true } });
});
