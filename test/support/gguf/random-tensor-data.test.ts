import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { dequantizeQ4_0, dequantizeQ8_0 } from "./ggml-quantize.js";
import { tensorByteSize, type GgmlTensorType } from "./ggml-tensor-types.js";
import { fromHalfFloatBits } from "./half-float.js";
import { randomTensorChunks, type RandomTensorOptions } from "./random-tensor-data.js";

function bytesOf(type: GgmlTensorType, count: number, options: RandomTensorOptions): Buffer {
  return Buffer.concat([...randomTensorChunks(type, count, options)]);
}

function standardDeviation(values: Float32Array): number {
  const mean = values.reduce((sum, value) => sum + value, 0) / values.length;
  return Math.sqrt(values.reduce((sum, value) => sum + (value - mean) ** 2, 0) / values.length);
}

const asFloat32 = (bytes: Buffer): Float32Array =>
  new Float32Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.length));

describe("randomTensorChunks", () => {
  // ggml-common.h: block_q8_0 = 2-byte fp16 scale + 32 int8; block_q4_0 = 2-byte scale + 16 bytes of nibbles.
  it.each([
    ["q8_0", 34],
    ["q4_0", 18],
    ["f16", 64],
    ["f32", 128],
  ] as const)("writes %s as %i bytes per 32 values, the size ggml expects", (type, bytesPer32) => {
    for (const blocks of [1, 3, 64]) {
      const bytes = bytesOf(type, 32 * blocks, { seed: 1, std: 0.02 });
      expect(bytes.length).toBe(bytesPer32 * blocks);
      expect(tensorByteSize(type, [32 * blocks])).toBe(bytesPer32 * blocks);
    }
  });

  it.each([["q8_0"], ["q4_0"], ["f16"], ["f32"]] as const)(
    "gives %s bytes that depend on the seed but not on the chunk size",
    (type) => {
      fc.assert(
        fc.property(
          fc.integer({ min: 0, max: 2 ** 32 - 1 }),
          fc.integer({ min: 1, max: 5000 }),
          (seed, chunkBytes) => {
            const reference = bytesOf(type, 2048, { seed, std: 0.02 });
            expect(bytesOf(type, 2048, { seed, std: 0.02, chunkBytes }).equals(reference)).toBe(true);
            expect(bytesOf(type, 2048, { seed: seed + 1, std: 0.02 }).equals(reference)).toBe(false);
          },
        ),
        { numRuns: 20 },
      );
    },
  );

  it.each([
    ["q8_0", dequantizeQ8_0],
    ["q4_0", dequantizeQ4_0],
  ] as const)("writes direct %s blocks with one fp16 scale and the requested spread", (type, dequantize) => {
    const bytes = bytesOf(type, 32 * 4096, { seed: 3, std: 0.02 });
    const blockBytes = type === "q8_0" ? 34 : 18;
    const firstScale = bytes.readUInt16LE(0);
    for (let at = 0; at < bytes.length; at += blockBytes) expect(bytes.readUInt16LE(at)).toBe(firstScale);
    expect(fromHalfFloatBits(firstScale)).toBeGreaterThan(0);
    expect(standardDeviation(dequantize(bytes))).toBeCloseTo(0.02, 3);
  });

  it("draws f32 values around the requested mean with the requested spread", () => {
    const values = asFloat32(bytesOf("f32", 100_000, { seed: 5, mean: 1, std: 0.05 }));
    const mean = values.reduce((sum, value) => sum + value, 0) / values.length;
    expect(mean).toBeCloseTo(1, 2);
    expect(standardDeviation(values)).toBeCloseTo(0.05, 2);
    expect(values.every(Number.isFinite)).toBe(true);
  });

  // Error bounds of ggml's rounding: Q8_0 is within half a step (max/127) plus the fp16 scale's rounding
  // (up to 127 × 2^-11 of a step); Q4_0's range is [-8, 7] steps of max/8, so the end opposite the
  // extreme value is clamped by up to a whole step.
  it.each([
    ["q8_0", dequantizeQ8_0, (absoluteMax: number) => (absoluteMax / 127) * (0.5 + 127 * 2 ** -11)],
    ["q4_0", dequantizeQ4_0, (absoluteMax: number) => (absoluteMax / 8) * (1 + 8 * 2 ** -11)],
  ] as const)(
    "quantizes from-values %s within ggml's error bound of the f32 tensor with the same seed",
    (type, dequantize, errorBound) => {
      fc.assert(
        fc.property(fc.integer({ min: 0, max: 2 ** 32 - 1 }), (seed) => {
          const options: RandomTensorOptions = { seed, std: 0.02, quantization: "from-values" };
          const exact = asFloat32(bytesOf("f32", 32 * 16, options));
          const restored = dequantize(bytesOf(type, 32 * 16, options));
          for (let block = 0; block < 16; block++) {
            const values = exact.subarray(block * 32, block * 32 + 32);
            const tolerance = errorBound(Math.max(...values.map(Math.abs))) * 1.0001;
            for (let j = 0; j < 32; j++) {
              expect(Math.abs((restored[block * 32 + j] ?? 0) - (values[j] ?? 0))).toBeLessThanOrEqual(
                tolerance,
              );
            }
          }
        }),
        { numRuns: 20 },
      );
    },
  );

  it("refuses a value count that does not fill whole blocks", () => {
    expect(() => [...randomTensorChunks("q8_0", 48, { seed: 1, std: 0.02 })]).toThrow(/whole q8_0 blocks/);
  });
});
