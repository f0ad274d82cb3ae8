import { fromHalfFloatBits, toHalfFloatBits } from "./half-float.js";

/** Values per quantization block for Q8_0 and Q4_0 (ggml's QK8_0 and QK4_0). */
export const QUANT_BLOCK_VALUES = 32;

/**
 * ggml's reference Q8_0 quantization (quantize_row_q8_0_ref): per block of 32, scale = max|x| / 127 stored as
 * fp16, then round(x / scale) as int8. `out` receives 34 bytes per block.
 */
export function quantizeQ8_0(values: Float32Array, out: Uint8Array): void {
  forEachBlock(values, out, 34, (block, at) => {
    let absoluteMax = 0;
    for (const value of block) absoluteMax = Math.max(absoluteMax, Math.abs(value));
    const scale = Math.fround(absoluteMax / 127);
    const inverse = scale === 0 ? 0 : Math.fround(1 / scale);
    writeScale(out, at, scale);
    for (let j = 0; j < QUANT_BLOCK_VALUES; j++) {
      // C's roundf rounds halves away from zero.
      const scaled = Math.fround((block[j] ?? 0) * inverse);
      out[at + 2 + j] = (Math.sign(scaled) * Math.round(Math.abs(scaled))) & 0xff;
    }
  });
}

/**
 * ggml's reference Q4_0 quantization (quantize_row_q4_0_ref): scale = (value with the largest magnitude) / -8,
 * quants q = min(15, trunc(x / scale + 8.5)); byte j holds value j in its low nibble and value j + 16 in its
 * high nibble. `out` receives 18 bytes per block.
 */
export function quantizeQ4_0(values: Float32Array, out: Uint8Array): void {
  forEachBlock(values, out, 18, (block, at) => {
    let absoluteMax = 0;
    let extreme = 0;
    for (const value of block) {
      if (Math.abs(value) > absoluteMax) {
        absoluteMax = Math.abs(value);
        extreme = value;
      }
    }
    const scale = Math.fround(extreme / -8);
    const inverse = scale === 0 ? 0 : Math.fround(1 / scale);
    writeScale(out, at, scale);
    const quant = (value: number): number =>
      Math.min(15, Math.trunc(Math.fround(Math.fround(value * inverse) + 8.5)));
    for (let j = 0; j < QUANT_BLOCK_VALUES / 2; j++) {
      out[at + 2 + j] = quant(block[j] ?? 0) | (quant(block[j + 16] ?? 0) << 4);
    }
  });
}

/** The values a Q8_0 tensor stands for (what ggml's dequantize_row_q8_0 computes). */
export function dequantizeQ8_0(bytes: Uint8Array): Float32Array {
  const values = new Float32Array((bytes.length / 34) * QUANT_BLOCK_VALUES);
  for (let block = 0; block < bytes.length / 34; block++) {
    const at = block * 34;
    const scale = readScale(bytes, at);
    for (let j = 0; j < QUANT_BLOCK_VALUES; j++) {
      values[block * QUANT_BLOCK_VALUES + j] = scale * (((bytes[at + 2 + j] ?? 0) << 24) >> 24);
    }
  }
  return values;
}

/** The values a Q4_0 tensor stands for (what ggml's dequantize_row_q4_0 computes). */
export function dequantizeQ4_0(bytes: Uint8Array): Float32Array {
  const values = new Float32Array((bytes.length / 18) * QUANT_BLOCK_VALUES);
  for (let block = 0; block < bytes.length / 18; block++) {
    const at = block * 18;
    const scale = readScale(bytes, at);
    for (let j = 0; j < QUANT_BLOCK_VALUES / 2; j++) {
      const byte = bytes[at + 2 + j] ?? 0;
      values[block * QUANT_BLOCK_VALUES + j] = scale * ((byte & 0x0f) - 8);
      values[block * QUANT_BLOCK_VALUES + j + 16] = scale * ((byte >>> 4) - 8);
    }
  }
  return values;
}

function forEachBlock(
  values: Float32Array,
  out: Uint8Array,
  bytesPerBlock: number,
  quantize: (block: Float32Array, at: number) => void,
): void {
  if (values.length % QUANT_BLOCK_VALUES !== 0) throw new Error("values must fill whole blocks of 32");
  const blocks = values.length / QUANT_BLOCK_VALUES;
  if (out.length < blocks * bytesPerBlock) throw new Error("output buffer too small");
  for (let block = 0; block < blocks; block++) {
    const start = block * QUANT_BLOCK_VALUES;
    quantize(values.subarray(start, start + QUANT_BLOCK_VALUES), block * bytesPerBlock);
  }
}

function writeScale(out: Uint8Array, at: number, scale: number): void {
  const bits = toHalfFloatBits(scale);
  out[at] = bits & 0xff;
  out[at + 1] = bits >>> 8;
}

function readScale(bytes: Uint8Array, at: number): number {
  return fromHalfFloatBits((bytes[at] ?? 0) | ((bytes[at + 1] ?? 0) << 8));
}
