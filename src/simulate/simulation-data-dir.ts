import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { AppError } from "../errors.js";

/** The data folder a simulation runs in, and what to do with it afterwards. */
export interface SimulationDataDir {
  path: string;
  /** Removes a temporary folder; a folder the user named is kept. */
  release(): Promise<void>;
}

/**
 * A fresh temporary folder, or the one given with --data-dir if it is empty or doesn't exist yet. A non-empty
 * folder is refused: the simulation must never write its invented users into real data.
 */
export async function openSimulationDataDir(requested: string | undefined): Promise<SimulationDataDir> {
  if (requested === undefined) {
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), "promptloop-simulate-"));
    return { path: dir, release: () => fs.rm(dir, { recursive: true, force: true }) };
  }
  const dir = path.resolve(requested);
  const entries = await fs.readdir(dir).catch((error: NodeJS.ErrnoException) => {
    if (error.code === "ENOENT") return [];
    throw new AppError("VALIDATION_FAILED", `--data-dir ${dir} can't be read: ${error.message}`);
  });
  if (entries.length > 0) {
    throw new AppError(
      "VALIDATION_FAILED",
      `--data-dir ${dir} is not empty (${entries.length} entries): a simulation only runs in an empty or new ` +
        "folder, so that it can never mix invented users into real data",
    );
  }
  await fs.mkdir(dir, { recursive: true });
  return { path: dir, release: async () => {} };
}
