import { mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { basename, join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { cachedModelFile } from "./cached-model-file.js";

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), "model-cache-"));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** A writer that records every path it was asked to write and which files existed at that moment. */
function recordingWriter(content: string) {
  const writes: string[] = [];
  const filesBeforeWrite: string[][] = [];
  const write = async (path: string): Promise<void> => {
    writes.push(path);
    filesBeforeWrite.push(await readdir(dir));
    await writeFile(path, content);
  };
  return { writes, filesBeforeWrite, write };
}

describe("cachedModelFile", () => {
  it("writes once under a temporary name, renames it into place and reuses it afterwards", async () => {
    const writer = recordingWriter("model");
    const first = await cachedModelFile({
      dir,
      baseName: "tiny",
      parameters: { seed: 1 },
      write: writer.write,
    });
    const second = await cachedModelFile({
      dir,
      baseName: "tiny",
      parameters: { seed: 1 },
      write: writer.write,
    });
    expect(second).toBe(first);
    expect(writer.writes).toHaveLength(1);
    expect(writer.writes[0]).toMatch(/\.tmp$/);
    expect(writer.filesBeforeWrite[0]).toEqual([]);
    expect(basename(first)).toMatch(/^tiny-[0-9a-f]{16}\.gguf$/);
    expect(await readFile(first, "utf8")).toBe("model");
    expect(await readdir(dir)).toEqual([basename(first)]);
  });

  it("names files by their parameters, so different parameters never share a file", async () => {
    const writer = recordingWriter("model");
    const one = await cachedModelFile({
      dir,
      baseName: "tiny",
      parameters: { seed: 1 },
      write: writer.write,
    });
    const two = await cachedModelFile({
      dir,
      baseName: "tiny",
      parameters: { seed: 2 },
      write: writer.write,
    });
    expect(two).not.toBe(one);
    expect(writer.writes).toHaveLength(2);
  });

  it("writes only once when several callers ask at the same time", async () => {
    const writer = recordingWriter("model");
    const paths = await Promise.all(
      [1, 2, 3].map(() => cachedModelFile({ dir, baseName: "tiny", parameters: {}, write: writer.write })),
    );
    expect(new Set(paths).size).toBe(1);
    expect(writer.writes).toHaveLength(1);
  });

  it("leaves nothing behind when writing fails, and tries again next time", async () => {
    const failing = async (path: string): Promise<void> => {
      await writeFile(path, "half a file");
      throw new Error("disk full");
    };
    await expect(cachedModelFile({ dir, baseName: "tiny", parameters: {}, write: failing })).rejects.toThrow(
      "disk full",
    );
    expect(await readdir(dir)).toEqual([]);
    const writer = recordingWriter("model");
    await cachedModelFile({ dir, baseName: "tiny", parameters: {}, write: writer.write });
    expect(writer.writes).toHaveLength(1);
  });
});
