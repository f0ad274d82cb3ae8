import { describe } from "vitest";
import { findLlamaServerBinary } from "./llama-server-process.js";

/** Found once per test file: the llama-server binary, or why the suites that need it are skipped. */
export const llamaServerBinary = await findLlamaServerBinary();

/**
 * A describe block that needs a real llama-server. Without one it is skipped with the reason printed, never
 * silently; in CI (CI=true), where `.ci/run` builds it, a missing server fails instead.
 */
export function describeWithLlamaServer(name: string, body: (binary: string) => void): void {
  if ("binary" in llamaServerBinary) {
    const { binary } = llamaServerBinary;
    describe(name, () => body(binary));
    return;
  }
  if (process.env.CI === "true") {
    describe(name, () => {
      throw new Error(`CI needs llama-server: ${llamaServerBinary.missing}`);
    });
    return;
  }
  console.warn(`[skipped] ${name}: ${llamaServerBinary.missing}`);
  describe.skip(name, () => body(""));
}
