import { rmSync } from "node:fs";
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

const stopSignals = ["SIGINT", "SIGTERM"] as const;

/**
 * A temporary folder, removed at the end, and also when the run is stopped by Ctrl-C or a kill: the handlers
 * remove it synchronously and exit with the signal's usual code (130, 143), as if the signal had ended us.
 */
async function temporaryDataDir(): Promise<SimulationDataDir> {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), "promptloop-simulate-"));
  const onSignal = (signal: NodeJS.Signals) => {
    rmSync(dir, { recursive: true, force: true });
    process.stderr.write(`\npromptloop: stopped by ${signal}; removed ${dir}\n`);
    process.exit(128 + os.constants.signals[signal]);
  };
  for (const signal of stopSignals) process.once(signal, onSignal);
  return {
    path: dir,
    release: async () => {
      for (const signal of stopSignals) process.off(signal, onSignal);
      await fs.rm(dir, { recursive: true, force: true });
    },
  };
}

/**
 * A fresh temporary folder, or the one given with --data-dir if it is empty or doesn't exist yet. A non-empty
 * folder is refused: the simulation must never write its invented users into real data.
 */
export async function openSimulationDataDir(requested: string | undefined): Promise<SimulationDataDir> {
  if (requested === undefined) return temporaryDataDir();
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
