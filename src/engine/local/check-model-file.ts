import fs from "node:fs/promises";
import path from "node:path";
import { AppError } from "../../errors.js";

/** GGUF versions llama.cpp reads (version 1 was dropped in 2023). */
const readableVersions = new Set([2, 3]);

/** URIs node-llama-cpp downloads; everything else is a local path. */
export const isRemoteModel = (uri: string) => /^(hf:|huggingface:|https?:\/\/)/i.test(uri);

const unusable = (modelPath: string, file: string, problem: string) =>
  new AppError(
    "MODEL_UNAVAILABLE",
    `MODEL_PATH=${modelPath}${modelPath === file ? "" : ` (${file})`} ${problem}`,
  );

/** What the first bytes of a file that is not GGUF suggest it is. */
function notGguf(head: Buffer): string {
  const text = head.toString("latin1");
  if (text.startsWith("version https://git-lfs"))
    return "is a Git LFS pointer, not the model: run `git lfs pull`";
  if (/^\s*<(!doctype|html)/i.test(text)) return "is a web page, not a model: download the .gguf file itself";
  return "is not a GGUF file (it doesn't start with GGUF): set MODEL_PATH to a .gguf model";
}

/**
 * Checks a local MODEL_PATH without loading it: the file exists and starts with the GGUF magic and a version
 * llama.cpp reads. It reads the first bytes only, so `serve` can refuse a wrong path in milliseconds, before the model loads.
 * Returns the absolute path.
 */
export async function checkModelFile(modelPath: string): Promise<string> {
  const file = path.resolve(modelPath);
  const stat = await fs.stat(file).catch(() => undefined);
  if (stat === undefined)
    throw unusable(
      modelPath,
      file,
      "does not exist: set MODEL_PATH to a .gguf file, or unset it to download Qwen1.5-0.5B-Chat",
    );
  if (!stat.isFile()) throw unusable(modelPath, file, "is not a file: set MODEL_PATH to a .gguf file");
  // The magic and version take 8 bytes; a few more tell what a wrong file is instead.
  const head = Buffer.alloc(64);
  let bytesRead: number;
  try {
    const handle = await fs.open(file, "r");
    ({ bytesRead } = await handle.read(head, 0, head.length, 0).finally(() => handle.close()));
  } catch (error) {
    throw unusable(
      modelPath,
      file,
      `can't be read (${(error as NodeJS.ErrnoException).code ?? "error"}): check its permissions`,
    );
  }
  if (head.subarray(0, 4).toString("latin1") !== "GGUF")
    throw unusable(modelPath, file, notGguf(head.subarray(0, bytesRead)));
  const version = bytesRead >= 8 ? head.readUInt32LE(4) : null;
  if (version === null || !readableVersions.has(version))
    throw unusable(
      modelPath,
      file,
      `is damaged (its GGUF header ${version === null ? "is cut short" : `says version ${version}`}; llama.cpp reads 2 and 3): download it again`,
    );
  return file;
}
