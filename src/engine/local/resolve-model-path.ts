import fs from "node:fs/promises";
import { resolveModelFile } from "node-llama-cpp";
import { AppError } from "../../errors.js";
import { checkModelFile, isRemoteModel } from "./check-model-file.js";

export interface DownloadProgress {
  downloadedBytes: number;
  totalBytes: number;
}

export interface ResolveModelOptions {
  /** Where `hf:` models live; they are downloaded there on first use. */
  modelsDir: string;
  onProgress?: (progress: DownloadProgress) => void;
  /** A download that makes no progress for this long is abandoned (offline machines fail fast). */
  stallTimeoutMs?: number;
}

function downloadFailed(modelPath: string, modelsDir: string, why: string, cause: unknown): AppError {
  return new AppError(
    "MODEL_UNAVAILABLE",
    `MODEL_PATH=${modelPath} could not be downloaded into MODELS_DIR=${modelsDir}: ${why}. ` +
      "Set MODEL_PATH to a local .gguf file, or start where Hugging Face is reachable",
    { cause },
  );
}

/**
 * Turns MODEL_PATH into a local file through node-llama-cpp's own model resolution, downloading an `hf:` model
 * into the models folder on first start; a local path is checked (checkModelFile). Every failure becomes a
 * MODEL_UNAVAILABLE error in one line that names the variable to change.
 */
export async function resolveModelPath(modelPath: string, options: ResolveModelOptions): Promise<string> {
  const { modelsDir, stallTimeoutMs = 10_000 } = options;
  if (!isRemoteModel(modelPath)) return checkModelFile(modelPath);
  await fs.mkdir(modelsDir, { recursive: true });
  try {
    return await resolveModelFile(modelPath, { directory: modelsDir, download: false, cli: false });
  } catch {
    // Not downloaded yet: fall through to the download.
  }
  // node-llama-cpp's download does not always honour its abort signal while it is still connecting (a closed
  // network can hang for minutes), so a watchdog rejects on its own when no progress arrives in time.
  const controller = new AbortController();
  let rejectStalled: (error: Error) => void = () => {};
  const stalled = new Promise<never>((_, reject) => (rejectStalled = reject));
  let stallTimer: NodeJS.Timeout | undefined;
  const armWatchdog = () => {
    clearTimeout(stallTimer);
    stallTimer = setTimeout(() => {
      controller.abort();
      rejectStalled(new Error("stalled"));
    }, stallTimeoutMs);
  };
  armWatchdog();
  try {
    const download = resolveModelFile(modelPath, {
      directory: modelsDir,
      cli: false,
      signal: controller.signal,
      onProgress: ({ downloadedSize, totalSize }) => {
        armWatchdog();
        options.onProgress?.({ downloadedBytes: downloadedSize, totalBytes: totalSize });
      },
    });
    download.catch(() => {});
    return await Promise.race([download, stalled]);
  } catch (error) {
    const why = controller.signal.aborted
      ? `the download made no progress for ${Math.round(stallTimeoutMs / 1000)} s (offline, or Hugging Face unreachable)`
      : `download failed: ${(error as Error).message}`;
    throw downloadFailed(modelPath, modelsDir, why, error);
  } finally {
    clearTimeout(stallTimer);
  }
}
