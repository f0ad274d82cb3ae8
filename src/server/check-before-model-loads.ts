import type { Config } from "../config.js";
import { checkModelFile, isRemoteModel } from "../engine/local/check-model-file.js";
import { ensureWritableDataDir } from "../storage/ensure-writable-data-dir.js";
import { reservePort, type PortReservation } from "./reserve-port.js";

/**
 * `serve`'s cheap checks, run before anything slow (the engine's native code, the model): DATA_DIR is writable, a
 * local MODEL_PATH is a GGUF file, and HOST:PORT can be bound. The port stays bound until the caller releases it
 * just before listening. Each failure is one line naming the variable to change.
 */
export async function checkBeforeModelLoads(config: Config): Promise<PortReservation> {
  await ensureWritableDataDir(config.dataDir);
  if (config.remoteModel === undefined && !isRemoteModel(config.modelPath))
    await checkModelFile(config.modelPath);
  return reservePort(config.host, config.port);
}
