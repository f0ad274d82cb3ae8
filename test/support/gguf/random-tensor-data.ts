import { toHalfFloatBits } from "./half-float.js";
import { SeededRandom } from "./seeded-random.js";
import { ggmlTypeLayouts, type GgmlTensorType } from "./ggml-tensor-types.js";

/** Distribution of a generated tensor's values: normal-ish around `mean` with standard deviation `std`. */
export interface RandomTensorOptions {
  readonly seed: number;
  readonly mean?: number;
  readonly std: number;
  /** Approximate bytes per yielded chunk. */
  readonly chunkBytes?: number;
}

const DEFAULT_CHUNK_BYTES = 4 << 20;
/** Values are drawn from a table of this many normal samples: a table lookup per value keeps 600M values fast. */
const TABLE_SIZE = 1 << 16;
/** Standard deviation of a uniform int8 in [-128, 127] and of a uniform nibble in [0, 15] minus 8. */
const INT8_STD = Math.sqrt((256 * 256 - 1) / 12);
const NIBBLE_STD = Math.sqrt((16 * 16 - 1) / 12);

/**
 * Yields the bytes of a tensor with random values in ggml's layout for `type`. Quantized types are generated
 * directly as blocks (one fp16 scale, then uniformly random quants) rather than by quantizing floats: the
 * goal is the real file layout and sensible magnitudes, not a particular distribution.
 */
export function* randomTensorChunks(
  type: GgmlTensorType,
  valueCount: number,
  options: RandomTensorOptions,
): Generator<Uint8Array> {
  const layout = ggmlTypeLayouts[type];
  if (valueCount % layout.valuesPerBlock !== 0) {
    throw new Error(`${valueCount} values don't fill whole ${type} blocks of ${layout.valuesPerBlock}`);
  }
  const random = new SeededRandom(options.seed);
  const blockCount = valueCount / layout.valuesPerBlock;
  // An even number of blocks per chunk keeps every chunk a multiple of 4 bytes for the Uint32Array fill.
  const blocksPerChunk = Math.max(
    2,
    Math.floor((options.chunkBytes ?? DEFAULT_CHUNK_BYTES) / layout.bytesPerBlock) & ~1,
  );
  const fillChunk = chunkFiller(type, random, options);
  for (let done = 0; done < blockCount; done += blocksPerChunk) {
    const blocks = Math.min(blocksPerChunk, blockCount - done);
    const bytes = blocks * layout.bytesPerBlock;
    const buffer = new ArrayBuffer(Math.ceil(bytes / 4) * 4);
    fillChunk(buffer, blocks);
    yield new Uint8Array(buffer, 0, bytes);
  }
}

type ChunkFiller = (buffer: ArrayBuffer, blocks: number) => void;

function chunkFiller(type: GgmlTensorType, random: SeededRandom, options: RandomTensorOptions): ChunkFiller {
  const mean = options.mean ?? 0;
  switch (type) {
    case "f32": {
      const table = Float32Array.from(normalTable(random), (sample) => mean + options.std * sample);
      return (buffer) => fillFromTable(random, new Float32Array(buffer), table);
    }
    case "f16": {
      const table = Uint16Array.from(normalTable(random), (sample) =>
        toHalfFloatBits(mean + options.std * sample),
      );
      return (buffer) => fillFromTable(random, new Uint16Array(buffer), table);
    }
    case "q8_0":
      return quantizedFiller(random, 34, toHalfFloatBits(options.std / INT8_STD), mean);
    case "q4_0":
      return quantizedFiller(random, 18, toHalfFloatBits(options.std / NIBBLE_STD), mean);
  }
}

function normalTable(random: SeededRandom): Float64Array {
  const table = new Float64Array(TABLE_SIZE);
  for (let i = 0; i < TABLE_SIZE; i++) table[i] = random.nextNormal();
  return table;
}

function fillFromTable(
  random: SeededRandom,
  target: Float32Array | Uint16Array,
  table: Float32Array | Uint16Array,
) {
  const indexes = new Uint32Array(Math.ceil(target.length / 2));
  random.fillUint32(indexes);
  for (let i = 0; i < target.length; i++) {
    const word = indexes[i >>> 1] ?? 0;
    target[i] = table[(i & 1) === 0 ? word & 0xffff : word >>> 16] ?? 0;
  }
}

/** Random quant bytes everywhere, then each block's first two bytes overwritten with the fp16 scale. */
function quantizedFiller(
  random: SeededRandom,
  bytesPerBlock: number,
  scaleBits: number,
  mean: number,
): ChunkFiller {
  if (mean !== 0)
    throw new Error("quantized tensors are generated around 0; keep offset tensors (norms) in f32");
  const low = scaleBits & 0xff;
  const high = scaleBits >>> 8;
  return (buffer, blocks) => {
    random.fillUint32(new Uint32Array(buffer));
    const bytes = new Uint8Array(buffer);
    for (let block = 0, at = 0; block < blocks; block++, at += bytesPerBlock) {
      bytes[at] = low;
      bytes[at + 1] = high;
    }
  };
}
