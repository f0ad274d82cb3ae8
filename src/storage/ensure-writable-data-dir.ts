import fs from "node:fs/promises";
import path from "node:path";
import { AppError } from "../errors.js";

/** What an fs error code means for a data folder, in words. */
function why(error: NodeJS.ErrnoException): string {
  switch (error.code) {
    case "EACCES":
    case "EPERM":
      return "permission denied";
    case "EROFS":
      return "the file system is read-only";
    case "ENOTDIR":
    case "EEXIST":
      return "a part of the path is a file, not a folder";
    case "ENOSPC":
      return "no space left on the device";
    default:
      return error.code ?? error.message;
  }
}

/**
 * Creates DATA_DIR when missing and proves it writable by writing and removing a file, so that `serve` stops with
 * one line naming DATA_DIR before it loads the model, instead of failing later on the database or the salt.
 */
export async function ensureWritableDataDir(dataDir: string): Promise<void> {
  const probe = path.join(dataDir, `.write-check-${process.pid}`);
  try {
    await fs.mkdir(dataDir, { recursive: true });
    await fs.writeFile(probe, "");
    await fs.rm(probe);
  } catch (error) {
    throw new AppError(
      "CONFIG_INVALID",
      `DATA_DIR=${dataDir} is not writable (${why(error as NodeJS.ErrnoException)}): ` +
        "set DATA_DIR to a folder this user can write",
      { cause: error },
    );
  }
}
