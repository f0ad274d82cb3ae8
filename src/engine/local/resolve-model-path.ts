import fs from "node:fs/promises";
import path from "node:path";
import { resolveModelFile } from "node-llama-cpp";
import { AppError } from "../../errors.js";

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

const isRemote = (uri: string) => /^(hf:|huggingface:|https?:\/\/)/i.test(uri);

function unavailable(modelPath: string, modelsDir: string, why: string, cause?: unknown): AppError {
  return new AppError(
    "MODEL_UNAVAILABLE",
    `Cannot load the model.\n  tried:         ${modelPath}\n  target folder: ${modelsDir}\n  reason:        ${why}\n` +
      `Set MODEL_PATH to a local .gguf file, or to an hf: URI on a machine that can reach Hugging Face.`,
    { cause },
  );
}

/**
 * Turns MODEL_PATH into a local file through node-llama-cpp's own model resolution, downloading an `hf:` model
 * into the models folder on first start. Every failure becomes a MODEL_UNAVAILABLE error that names what was tried.
 */
export async function resolveModelPath(modelPath: string, options: ResolveModelOptions): Promise<string> {
  const { modelsDir, stallTimeoutMs = 10_000 } = options;
  if (!isRemote(modelPath)) {
    const file = path.resolve(modelPath);
    const stat = await fs.stat(file).catch(() => undefined);
    if (!stat?.isFile()) throw unavailable(modelPath, modelsDir, `no file at ${file}`);
    return file;
  }
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
    throw unavailable(modelPath, modelsDir, why, error);
  } finally {
    clearTimeout(stallTimer);
  }
}
