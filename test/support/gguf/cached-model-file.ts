import { createHash, randomUUID } from "node:crypto";
import { mkdir, rename, stat, unlink } from "node:fs/promises";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

/**
 * Bump whenever any code that decides a generated file's bytes changes (writer, vocabulary, weights), so that
 * stale cached files are not reused.
 */
export const MODEL_GENERATOR_VERSION = 6;

/** `<repo>/.cache/models/`, git-ignored. */
export const defaultModelCacheDir = fileURLToPath(new URL("../../../.cache/models/", import.meta.url));

export interface CachedModelFileOptions {
  readonly dir: string;
  /** Readable start of the file name, e.g. "tiny-qwen2". */
  readonly baseName: string;
  /** Everything the file's bytes depend on; hashed into the file name. */
  readonly parameters: unknown;
  /** Writes the complete file at the given (temporary) path. */
  readonly write: (path: string) => Promise<void>;
}

const inProgress = new Map<string, Promise<string>>();

/**
 * Returns the path of a generated file, writing it only when no file with the same parameters exists yet.
 * The file is written under a temporary name and renamed into place, so a reader (another test file, another
 * process) either sees no file or a complete one.
 */
export function cachedModelFile(options: CachedModelFileOptions): Promise<string> {
  const hash = createHash("sha256")
    .update(JSON.stringify({ version: MODEL_GENERATOR_VERSION, parameters: options.parameters }))
    .digest("hex")
    .slice(0, 16);
  const path = join(options.dir, `${options.baseName}-${hash}.gguf`);
  const running = inProgress.get(path);
  if (running) return running;
  const result = ensureFile(path, options.write).finally(() => inProgress.delete(path));
  inProgress.set(path, result);
  return result;
}

async function ensureFile(path: string, write: (path: string) => Promise<void>): Promise<string> {
  if (await exists(path)) return path;
  await mkdir(join(path, ".."), { recursive: true });
  const temporaryPath = `${path}.${process.pid}-${randomUUID()}.tmp`;
  try {
    await write(temporaryPath);
    await rename(temporaryPath, path);
  } catch (error) {
    await unlink(temporaryPath).catch(() => undefined);
    throw error;
  }
  return path;
}

async function exists(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isFile();
  } catch {
    return false;
  }
}
