/**
 * The ggml tensor types our generated files use, with the on-disk layout llama.cpp expects
 * (ggml/src/ggml-common.h: block_q8_0 = fp16 scale + 32 int8, block_q4_0 = fp16 scale + 16 nibble bytes).
 */
export type GgmlTensorType = "f32" | "f16" | "q8_0" | "q4_0";

/** How one ggml type is stored: its type id in GGUF, how many values share a block and the block's bytes. */
export interface GgmlTypeLayout {
  readonly id: number;
  readonly valuesPerBlock: number;
  readonly bytesPerBlock: number;
}

export const ggmlTypeLayouts: Readonly<Record<GgmlTensorType, GgmlTypeLayout>> = {
  f32: { id: 0, valuesPerBlock: 1, bytesPerBlock: 4 },
  f16: { id: 1, valuesPerBlock: 1, bytesPerBlock: 2 },
  q4_0: { id: 2, valuesPerBlock: 32, bytesPerBlock: 18 },
  q8_0: { id: 8, valuesPerBlock: 32, bytesPerBlock: 34 },
};

export const ggmlTensorTypes = Object.keys(ggmlTypeLayouts) as GgmlTensorType[];

/** Number of values in a tensor of this shape (ggml order: shape[0] is the row length). */
export function elementCount(shape: readonly number[]): number {
  return shape.reduce((product, dimension) => product * dimension, 1);
}

/**
 * Bytes a tensor occupies. Throws when rows can't be split into whole blocks, because llama.cpp's gguf
 * reader rejects such a tensor ("elements per row, not a multiple of block size").
 */
export function tensorByteSize(type: GgmlTensorType, shape: readonly number[]): number {
  const layout = ggmlTypeLayouts[type];
  const rowLength = shape[0] ?? 1;
  if (rowLength % layout.valuesPerBlock !== 0) {
    throw new Error(`a ${type} row needs a multiple of ${layout.valuesPerBlock} values, got ${rowLength}`);
  }
  return (elementCount(shape) / layout.valuesPerBlock) * layout.bytesPerBlock;
}
