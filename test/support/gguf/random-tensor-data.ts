import { quantizeQ4_0, quantizeQ8_0 } from "./ggml-quantize.js";
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
  /**
   * How Q8_0/Q4_0 data is made. "direct" (default) writes uniformly random quants under one fp16 scale: fast
   * enough for 600M-value files, and the layout and magnitudes are what matter there. "from-values" quantizes,
   * with ggml's reference rounding, exactly the values the f32 tensor with the same seed holds, so models of
   * different types can be compared output for output.
   */
  readonly quantization?: "direct" | "from-values";
}

const DEFAULT_CHUNK_BYTES = 4 << 20;
/**
 * Values are drawn from a table of normal samples (a lookup per value keeps 600M values fast); the table has
 * up to 65,536 entries, fewer for small tensors, which would otherwise spend most of their time filling it.
 */
const MAX_TABLE_SIZE = 1 << 16;
const MIN_TABLE_SIZE = 1 << 8;
/** Standard deviation of a uniform int8 in [-128, 127] and of a uniform nibble in [0, 15] minus 8. */
const INT8_STD = Math.sqrt((256 * 256 - 1) / 12);
const NIBBLE_STD = Math.sqrt((16 * 16 - 1) / 12);

/**
 * Yields the bytes of a tensor with random values in ggml's layout for `type`, deterministic in the seed.
 * Every chunk is a fresh buffer and holds an even number of values (whole blocks for quantized types), so the
 * random stream, and therefore the values, do not depend on the chunk size.
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
  const requestedBlocks = Math.floor((options.chunkBytes ?? DEFAULT_CHUNK_BYTES) / layout.bytesPerBlock);
  // An even number of blocks per chunk keeps every chunk a multiple of 4 bytes for the Uint32Array fill.
  const blocksPerChunk = Math.max(2, requestedBlocks & ~1);
  const fillChunk = chunkFiller(type, random, { ...options, valueCount });
  for (let done = 0; done < blockCount; done += blocksPerChunk) {
    const blocks = Math.min(blocksPerChunk, blockCount - done);
    const bytes = blocks * layout.bytesPerBlock;
    const buffer = new ArrayBuffer(Math.ceil(bytes / 4) * 4);
    fillChunk(buffer, blocks);
    yield new Uint8Array(buffer, 0, bytes);
  }
}

type ChunkFiller = (buffer: ArrayBuffer, blocks: number) => void;

function chunkFiller(
  type: GgmlTensorType,
  random: SeededRandom,
  options: RandomTensorOptions & { valueCount: number },
): ChunkFiller {
  const mean = options.mean ?? 0;
  const samples = normalTable(random, tableSizeFor(options.valueCount));
  const floatTable = Float32Array.from(samples, (sample) => mean + options.std * sample);
  switch (type) {
    case "f32":
      return (buffer) => fillFromTable(random, new Float32Array(buffer), floatTable);
    case "f16": {
      const halfTable = Uint16Array.from(floatTable, toHalfFloatBits);
      return (buffer) => fillFromTable(random, new Uint16Array(buffer), halfTable);
    }
    case "q8_0":
    case "q4_0": {
      if (options.quantization === "from-values") {
        const quantize = type === "q8_0" ? quantizeQ8_0 : quantizeQ4_0;
        return (buffer, blocks) => {
          const values = new Float32Array(blocks * 32);
          fillFromTable(random, values, floatTable);
          quantize(values, new Uint8Array(buffer));
        };
      }
      if (mean !== 0)
        throw new Error("direct quantized data is centred on 0; keep offset tensors (norms) in f32");
      return type === "q8_0"
        ? directQuantFiller(random, 34, toHalfFloatBits(options.std / INT8_STD))
        : directQuantFiller(random, 18, toHalfFloatBits(options.std / NIBBLE_STD));
    }
  }
}

function tableSizeFor(valueCount: number): number {
  let size = MIN_TABLE_SIZE;
  while (size < valueCount && size < MAX_TABLE_SIZE) size *= 2;
  return size;
}

function normalTable(random: SeededRandom, size: number): Float64Array {
  const table = new Float64Array(size);
  for (let i = 0; i < size; i++) table[i] = random.nextNormal();
  return table;
}

function fillFromTable(
  random: SeededRandom,
  target: Float32Array | Uint16Array,
  table: Float32Array | Uint16Array,
): void {
  const mask = table.length - 1;
  const indexes = new Uint32Array(Math.ceil(target.length / 2));
  random.fillUint32(indexes);
  for (let i = 0; i < target.length; i++) {
    const word = indexes[i >>> 1] ?? 0;
    target[i] = table[((i & 1) === 0 ? word : word >>> 16) & mask] ?? 0;
  }
}

/** Random quant bytes everywhere, then each block's first two bytes overwritten with the fp16 scale. */
function directQuantFiller(random: SeededRandom, bytesPerBlock: number, scaleBits: number): ChunkFiller {
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
