import { isAppError, type ErrorCode } from "../errors.js";
import { toStorageAppError } from "../storage/storage-error.js";

/**
 * Exit codes: 2 for configuration mistakes (a missing database included), 3 when the model can't be had, 4 for
 * storage, 5 when a filter matched nothing, 1 otherwise.
 */
const exitCodes: Partial<Record<ErrorCode, number>> = {
  CONFIG_INVALID: 2,
  VALIDATION_FAILED: 2,
  DATABASE_NOT_FOUND: 2,
  NO_MATCH: 5,
  MODEL_UNAVAILABLE: 3,
  STORAGE_FAILED: 4,
};

/**
 * Runs a command's action; errors become one readable message on stderr and an exit code, never a stack trace.
 * On failure the process exits at once: a stalled download or a half-loaded model must not keep it alive.
 */
export function runCommand<Args extends unknown[]>(action: (...args: Args) => Promise<void>) {
  return async (...args: Args): Promise<void> => {
    try {
      await action(...args);
    } catch (thrown) {
      const error = toStorageAppError(thrown) ?? thrown;
      if (isAppError(error)) {
        // One line per problem, each prefixed, so a log shows which program said it.
        process.stderr.write(error.message.replace(/^/gm, "promptloop: ") + "\n");
        process.exit(exitCodes[error.code] ?? 1);
      } else {
        process.stderr.write(`promptloop: unexpected error: ${(error as Error).message ?? String(error)}\n`);
        if (process.env.DEBUG) process.stderr.write(`${(error as Error).stack ?? ""}\n`);
        process.exit(1);
      }
    }
  };
}
