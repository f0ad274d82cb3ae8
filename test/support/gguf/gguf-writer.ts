import { open } from "node:fs/promises";
import { ggmlTypeLayouts, tensorByteSize, type GgmlTensorType } from "./ggml-tensor-types.js";

/** GGUF value type ids (gguf.h: enum gguf_type). */
const valueTypeIds = {
  uint8: 0,
  int8: 1,
  uint16: 2,
  int16: 3,
  uint32: 4,
  int32: 5,
  float32: 6,
  bool: 7,
  string: 8,
  array: 9,
  uint64: 10,
  int64: 11,
  float64: 12,
} as const;

export type GgufNumberType = Exclude<keyof typeof valueTypeIds, "bool" | "string" | "array">;

/** One metadata value. Arrays hold a single item type, as the format requires. */
export type GgufValue =
  | { readonly type: GgufNumberType; readonly value: number }
  | { readonly type: "bool"; readonly value: boolean }
  | { readonly type: "string"; readonly value: string }
  | { readonly type: "array"; readonly itemType: GgufNumberType; readonly items: readonly number[] }
  | { readonly type: "array"; readonly itemType: "string"; readonly items: readonly string[] }
  | { readonly type: "array"; readonly itemType: "bool"; readonly items: readonly boolean[] };

/** Shorthands so metadata tables read like the key/value listings llama.cpp prints. */
export const gguf = {
  uint32: (value: number): GgufValue => ({ type: "uint32", value }),
  int32: (value: number): GgufValue => ({ type: "int32", value }),
  float32: (value: number): GgufValue => ({ type: "float32", value }),
  bool: (value: boolean): GgufValue => ({ type: "bool", value }),
  string: (value: string): GgufValue => ({ type: "string", value }),
  strings: (items: readonly string[]): GgufValue => ({ type: "array", itemType: "string", items }),
  int32s: (items: readonly number[]): GgufValue => ({ type: "array", itemType: "int32", items }),
  float32s: (items: readonly number[]): GgufValue => ({ type: "array", itemType: "float32", items }),
};

/**
 * A tensor to write. `chunks` yields its bytes in order; their total must equal the type's size for `shape`.
 * Every chunk must be a buffer of its own (not reused), because the writer generates the next chunk while the
 * previous one is still being written.
 */
export interface GgufTensorSpec {
  readonly name: string;
  /** ggml order: shape[0] is the row length (the innermost, contiguous dimension). */
  readonly shape: readonly number[];
  readonly type: GgmlTensorType;
  readonly chunks: () => Iterable<Uint8Array>;
}

export interface GgufFileSpec {
  /** Written in this order; `general.alignment` is added when missing. */
  readonly metadata: ReadonlyArray<readonly [string, GgufValue]>;
  readonly tensors: readonly GgufTensorSpec[];
}

export interface GgufWriteOptions {
  /** Called after every chunk written, with the bytes written so far and the final file size. */
  readonly onProgress?: (bytesWritten: number, totalBytes: number) => void;
}

const ALIGNMENT = 32;

/**
 * Writes a GGUF v3 file. Only the header is built in memory; tensor data streams chunk by chunk, and the next
 * chunk is generated while the previous one is being written, so multi-gigabyte files cost little memory.
 */
export async function writeGgufFile(
  path: string,
  spec: GgufFileSpec,
  options: GgufWriteOptions = {},
): Promise<{ bytes: number }> {
  const header = encodeHeader(spec);
  const tensorSizes = spec.tensors.map((tensor) => tensorByteSize(tensor.type, tensor.shape));
  const totalBytes = header.length + tensorSizes.reduce((sum, size) => sum + padTo(size, ALIGNMENT), 0);
  const file = await open(path, "w");
  try {
    let position = 0;
    let pendingWrite: Promise<unknown> = Promise.resolve();
    const write = async (bytes: Uint8Array): Promise<void> => {
      await pendingWrite;
      const at = position;
      position += bytes.length;
      pendingWrite = file.write(bytes, 0, bytes.length, at);
      options.onProgress?.(position, totalBytes);
    };
    await write(header);
    for (const [index, tensor] of spec.tensors.entries()) {
      const expected = tensorSizes[index] ?? 0;
      let produced = 0;
      for (const chunk of tensor.chunks()) {
        produced += chunk.length;
        if (produced > expected) break;
        await write(chunk);
      }
      if (produced !== expected) {
        throw new Error(`tensor ${tensor.name} produced ${produced} bytes, its shape needs ${expected}`);
      }
      const padding = padTo(expected, ALIGNMENT) - expected;
      if (padding > 0) await write(new Uint8Array(padding));
    }
    await pendingWrite;
    return { bytes: position };
  } finally {
    await file.close();
  }
}

function padTo(size: number, alignment: number): number {
  return Math.ceil(size / alignment) * alignment;
}

function encodeHeader(spec: GgufFileSpec): Uint8Array {
  const out = new ByteSink();
  const metadata = withAlignment(spec.metadata);
  out.bytes(new TextEncoder().encode("GGUF"));
  out.uint32(3);
  out.uint64(spec.tensors.length);
  out.uint64(metadata.length);
  for (const [key, value] of metadata) {
    out.string(key);
    encodeValue(out, value);
  }
  let dataOffset = 0;
  for (const tensor of spec.tensors) {
    out.string(tensor.name);
    out.uint32(tensor.shape.length);
    for (const dimension of tensor.shape) out.uint64(dimension);
    out.uint32(ggmlTypeLayouts[tensor.type].id);
    out.uint64(dataOffset);
    dataOffset += padTo(tensorByteSize(tensor.type, tensor.shape), ALIGNMENT);
  }
  out.zeros(padTo(out.length, ALIGNMENT) - out.length);
  return out.toBytes();
}

function withAlignment(
  metadata: ReadonlyArray<readonly [string, GgufValue]>,
): ReadonlyArray<readonly [string, GgufValue]> {
  const keys = new Set<string>();
  for (const [key, value] of metadata) {
    if (keys.has(key)) throw new Error(`duplicate metadata key ${key}`);
    keys.add(key);
    if (key === "general.alignment" && !(value.type === "uint32" && value.value === ALIGNMENT)) {
      throw new Error(
        `general.alignment must be uint32 ${ALIGNMENT}: the tensor offsets are computed for it`,
      );
    }
  }
  return keys.has("general.alignment")
    ? metadata
    : [...metadata, ["general.alignment", gguf.uint32(ALIGNMENT)]];
}

function encodeValue(out: ByteSink, value: GgufValue): void {
  out.uint32(valueTypeIds[value.type]);
  if (value.type !== "array") {
    encodeScalar(out, value.type, value.value);
    return;
  }
  out.uint32(valueTypeIds[value.itemType]);
  out.uint64(value.items.length);
  for (const item of value.items) encodeScalar(out, value.itemType, item);
}

function encodeScalar(
  out: ByteSink,
  type: GgufNumberType | "bool" | "string",
  value: number | boolean | string,
): void {
  if (type === "string") return out.string(String(value));
  if (type === "bool") return out.uint8(value ? 1 : 0);
  const number = Number(value);
  const view = out.reserve(numberSizes[type]);
  switch (type) {
    case "uint8":
      return view.setUint8(0, number);
    case "int8":
      return view.setInt8(0, number);
    case "uint16":
      return view.setUint16(0, number, true);
    case "int16":
      return view.setInt16(0, number, true);
    case "uint32":
      return view.setUint32(0, number, true);
    case "int32":
      return view.setInt32(0, number, true);
    case "float32":
      return view.setFloat32(0, number, true);
    case "uint64":
      return view.setBigUint64(0, BigInt(number), true);
    case "int64":
      return view.setBigInt64(0, BigInt(number), true);
    case "float64":
      return view.setFloat64(0, number, true);
  }
}

const numberSizes: Readonly<Record<GgufNumberType, number>> = {
  uint8: 1,
  int8: 1,
  uint16: 2,
  int16: 2,
  uint32: 4,
  int32: 4,
  float32: 4,
  uint64: 8,
  int64: 8,
  float64: 8,
};

/** Growable little-endian byte buffer for the header (a few MB for a 152k-token vocabulary). */
class ByteSink {
  private buffer = new Uint8Array(1 << 16);
  length = 0;
  private readonly encoder = new TextEncoder();

  reserve(size: number): DataView {
    if (this.length + size > this.buffer.length) {
      const grown = new Uint8Array(Math.max(this.buffer.length * 2, this.length + size));
      grown.set(this.buffer.subarray(0, this.length));
      this.buffer = grown;
    }
    const view = new DataView(this.buffer.buffer, this.length, size);
    this.length += size;
    return view;
  }

  bytes(bytes: Uint8Array): void {
    this.reserve(bytes.length);
    this.buffer.set(bytes, this.length - bytes.length);
  }

  zeros(count: number): void {
    this.reserve(count);
    this.buffer.fill(0, this.length - count, this.length);
  }

  uint8(value: number): void {
    this.reserve(1).setUint8(0, value);
  }

  uint32(value: number): void {
    this.reserve(4).setUint32(0, value, true);
  }

  uint64(value: number): void {
    this.reserve(8).setBigUint64(0, BigInt(value), true);
  }

  string(value: string): void {
    const encoded = this.encoder.encode(value);
    this.uint64(encoded.length);
    this.bytes(encoded);
  }

  toBytes(): Uint8Array {
    return this.buffer.subarray(0, this.length);
  }
}
