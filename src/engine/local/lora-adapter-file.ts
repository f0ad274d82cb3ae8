import { createHash } from "node:crypto";
import { createReadStream } from "node:fs";
import fs from "node:fs/promises";
import path from "node:path";
import type { GgufFileInfo } from "node-llama-cpp";
import { AppError } from "../../errors.js";
import { isRemoteModel } from "./check-model-file.js";

/** A LoRA adapter as a prompt version records it: where, how strongly, and the file's SHA-256. */
export interface AdapterReference {
  /** Absolute path of the adapter GGUF. */
  path: string;
  /** LoRA scale (llama.cpp multiplies the update by scale × alpha / rank); 1 by default. */
  scale: number;
  /** Hex SHA-256 of the file at create time: the served file must still have it. */
  sha256: string;
}

/** What a prompt version asks for before the file is checked. */
export interface AdapterRequest {
  path: string;
  scale?: number | undefined;
}

/** Hex SHA-256 of a file's bytes, streamed. */
export async function fileSha256(file: string): Promise<string> {
  const hash = createHash("sha256");
  for await (const chunk of createReadStream(file)) hash.update(chunk as Buffer);
  return hash.digest("hex");
}

async function readHeader(file: string): Promise<GgufFileInfo> {
  const { readGgufFileInfo } = await import("node-llama-cpp");
  return readGgufFileInfo(file, { sourceType: "filesystem", readTensorInfo: true, logWarnings: false });
}

function dims(info: GgufFileInfo): Map<string, number[]> {
  return new Map((info.fullTensorInfo ?? []).map((t) => [t.name, t.dimensions.map(Number)]));
}

/**
 * Checks a LoRA adapter GGUF against the served model's file, as llama.cpp will when it loads it
 * (llama-adapter.cpp), but at `prompts create` time with a clear error:
 * - ADAPTER_NOT_FOUND: no such file;
 * - ADAPTER_INVALID: not a GGUF file, or not `general.type = adapter` / `adapter.type = lora`, or no lora tensors;
 * - ADAPTER_MISMATCH: another architecture than the model's, or a tensor the model lacks or of other dimensions.
 * Returns the reference to store, with the file's SHA-256.
 */
export async function checkLoraAdapter(
  request: AdapterRequest,
  modelFile: string,
): Promise<AdapterReference> {
  const file = path.resolve(request.path);
  const scale = request.scale ?? 1;
  if (!Number.isFinite(scale) || scale < 0 || scale > 10) {
    throw new AppError(
      "ADAPTER_INVALID",
      `Adapter scale must be a number from 0 to 10, got ${request.scale}`,
    );
  }
  const stat = await fs.stat(file).catch(() => undefined);
  if (!stat?.isFile()) throw new AppError("ADAPTER_NOT_FOUND", `Adapter file ${file} does not exist`);
  let adapter: GgufFileInfo;
  try {
    adapter = await readHeader(file);
  } catch (error) {
    throw new AppError("ADAPTER_INVALID", `Adapter file ${file} is not a readable GGUF file`, {
      cause: error,
    });
  }
  const metadata = adapter.metadata as unknown as {
    general?: { type?: unknown; architecture?: unknown };
    adapter?: { type?: unknown };
  };
  if (metadata.general?.type !== "adapter" || metadata.adapter?.type !== "lora") {
    throw new AppError(
      "ADAPTER_INVALID",
      `Adapter file ${file} is not a LoRA adapter (general.type = ${String(metadata.general?.type)}, ` +
        `adapter.type = ${String(metadata.adapter?.type)}; convert one with llama.cpp's convert_lora_to_gguf.py)`,
    );
  }
  const adapterDims = dims(adapter);
  const pairs = [...adapterDims.keys()].filter((n) => n.endsWith(".lora_a")).map((n) => n.slice(0, -7));
  if (pairs.length === 0)
    throw new AppError("ADAPTER_INVALID", `Adapter file ${file} holds no lora_a/lora_b tensors`);

  let model: GgufFileInfo;
  try {
    model = await readHeader(modelFile);
  } catch (error) {
    throw new AppError(
      "ADAPTER_MISMATCH",
      `The served model ${modelFile} can't be read to check the adapter against`,
      {
        cause: error,
      },
    );
  }
  const mismatch = (problem: string) =>
    new AppError(
      "ADAPTER_MISMATCH",
      `Adapter ${file} does not fit the served model ${modelFile}: ${problem}`,
      {
        details: { problem },
      },
    );
  const modelArchitecture = (model.metadata as unknown as { general?: { architecture?: unknown } }).general
    ?.architecture;
  if (metadata.general.architecture !== modelArchitecture) {
    throw mismatch(
      `architecture ${String(metadata.general.architecture)}, the model's is ${String(modelArchitecture)}`,
    );
  }
  const modelDims = dims(model);
  for (const name of pairs) {
    const weight = modelDims.get(name);
    const a = adapterDims.get(`${name}.lora_a`);
    const b = adapterDims.get(`${name}.lora_b`);
    if (!weight) throw mismatch(`the model has no tensor ${name}`);
    if (!a || !b) throw mismatch(`${name} has lora_a without lora_b`);
    if (weight[0] !== a[0] || weight[1] !== b[1] || a[1] !== b[0]) {
      throw mismatch(
        `${name} is [${weight.join(", ")}] in the model, lora_a [${a.join(", ")}] × lora_b [${b.join(", ")}]`,
      );
    }
  }
  return { path: file, scale, sha256: await fileSha256(file) };
}

/**
 * The local file of the served model: MODEL_PATH itself, or the published file MODEL_PATH/MODEL_PRECISION names
 * as already downloaded into MODELS_DIR (never downloads).
 */
export async function servedModelFile(config: { modelPath: string; modelsDir: string }): Promise<string> {
  if (!isRemoteModel(config.modelPath)) return path.resolve(config.modelPath);
  const { resolveModelFile } = await import("node-llama-cpp");
  try {
    return await resolveModelFile(config.modelPath, {
      directory: config.modelsDir,
      download: false,
      cli: false,
    });
  } catch (error) {
    throw new AppError(
      "ADAPTER_MISMATCH",
      `The served model ${config.modelPath} is not in MODELS_DIR=${config.modelsDir} yet, so an adapter can't be ` +
        "checked against it: start the service once (it downloads the model), then create the version",
      { cause: error },
    );
  }
}

/** A registry's adapter check for the configured model: undefined for a remote model, which can't load adapters. */
export function adapterCheckFor(config: {
  modelPath: string;
  modelsDir: string;
  remoteModel?: unknown;
}): ((request: AdapterRequest) => Promise<AdapterReference>) | undefined {
  if (config.remoteModel !== undefined) return undefined;
  return async (request) => checkLoraAdapter(request, await servedModelFile(config));
}
