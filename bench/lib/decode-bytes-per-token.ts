import fs from "node:fs/promises";
import { readGgufFileInfo } from "node-llama-cpp";

/** How many bytes of weights one decode step has to read, from the GGUF file's tensor table. */
export interface DecodeBytes {
  fileBytes: number;
  /** Every tensor except the token embedding, of which a step reads one row. */
  bytesPerToken: number;
  embeddingBytes: number;
}

/** Tensor sizes are the gaps between consecutive tensor offsets (the writer pads each to the file's alignment). */
export async function decodeBytesPerToken(file: string): Promise<DecodeBytes> {
  const info = await readGgufFileInfo(file, { readTensorInfo: true, logWarnings: false });
  const { size: fileBytes } = await fs.stat(file);
  const tensors = [...(info.fullTensorInfo ?? [])]
    .map((t) => ({ name: t.name, start: Number(t.fileOffset) }))
    .sort((a, b) => a.start - b.start);
  let embeddingBytes = 0;
  let total = 0;
  tensors.forEach((tensor, i) => {
    const end = tensors[i + 1]?.start ?? fileBytes;
    const bytes = end - tensor.start;
    total += bytes;
    if (tensor.name === "token_embd.weight") embeddingBytes = bytes;
  });
  return { fileBytes, bytesPerToken: total - embeddingBytes, embeddingBytes };
}
