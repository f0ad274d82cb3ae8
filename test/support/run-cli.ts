import { execFile } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { promisify } from "node:util";
import { packageRoot } from "../../src/config.js";

const run = promisify(execFile);
const bin = path.join(packageRoot, "bin", "promptloop.js");

/** Throws unless dist/ was built (npm test builds it first): the CLI tests run the built CLI. */
export function requireBuiltCli(): void {
  if (!fs.existsSync(path.join(packageRoot, "dist", "cli", "main.js"))) {
    throw new Error("dist/ is missing: run `npm run build:server` (npm test does it) before the CLI tests");
  }
}

/** Runs the built CLI with only PATH, HOME and `env` set, and returns its output and exit code. */
export async function cli(args: string[], env: Record<string, string> = {}, cwd = packageRoot) {
  try {
    const { stdout, stderr } = await run(process.execPath, [bin, ...args], {
      env: { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "", ...env },
      timeout: 60_000,
      cwd,
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}
