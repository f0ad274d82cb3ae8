import { execFile } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";

const run = promisify(execFile);

/** A real, small file system (tmpfs) to fill up: the only honest way to see what a full disk does. */
export interface SmallDisk {
  dir: string;
  /** Writes a junk file until the disk is full (ENOSPC). */
  fill(): void;
  /** Removes the junk file again. */
  free(): void;
  unmount(): Promise<void>;
}

/** Mounts a tmpfs of `megabytes`, or returns the reason it can't (not root, no mount). */
export async function mountSmallDisk(megabytes: number): Promise<SmallDisk | string> {
  if (process.platform !== "linux" || process.getuid?.() !== 0) return "mounting a tmpfs needs root on Linux";
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "promptloop-small-disk-"));
  try {
    await run("mount", ["-t", "tmpfs", "-o", `size=${megabytes}m`, "tmpfs", dir]);
  } catch (error) {
    fs.rmdirSync(dir);
    return `mount -t tmpfs failed: ${(error as Error).message.split("\n")[0]}`;
  }
  const junk = path.join(dir, "junk.bin");
  return {
    dir,
    fill() {
      const fd = fs.openSync(junk, "a");
      const chunk = Buffer.alloc(64 * 1024, 1);
      try {
        for (;;) fs.writeSync(fd, chunk);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== "ENOSPC") throw error;
      } finally {
        fs.closeSync(fd);
      }
      // The last, partial chunk: what is left over after whole chunks.
      const fd2 = fs.openSync(junk, "a");
      try {
        for (;;) fs.writeSync(fd2, Buffer.alloc(512, 1));
      } catch {
        // full
      } finally {
        fs.closeSync(fd2);
      }
    },
    free() {
      fs.rmSync(junk, { force: true });
    },
    async unmount() {
      await run("umount", [dir]);
      fs.rmdirSync(dir);
    },
  };
}
