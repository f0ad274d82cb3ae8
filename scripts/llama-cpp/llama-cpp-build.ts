/**
 * The one builder of llama.cpp's own programs (llama-server for the remote backend's tests, llama-bench for the
 * benchmark): from the source node-llama-cpp ships as a git bundle, offline, CPU only, cached per llama.cpp commit
 * so that each machine builds a given llama.cpp once.
 */
import { execFile, spawn } from "node:child_process";
import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";

const run = promisify(execFile);

export const llamaCppTargets = ["llama-server", "llama-bench"] as const;
export type LlamaCppTarget = (typeof llamaCppTargets)[number];

const repoRoot = fileURLToPath(new URL("../../", import.meta.url));

/** The llama.cpp source node-llama-cpp 3.21.1 was built from (its release tag v0.4.0), as a git bundle. */
export const llamaCppBundle = path.join(repoRoot, "node_modules/node-llama-cpp/llama/gitRelease.bundle");
/**
 * Builds live under `.cache/llama.cpp/<commit>/` in the checkout, or under LLAMA_CPP_CACHE_DIR when set (CI points
 * it outside the clone, so that a fresh clone of the same llama.cpp commit doesn't compile it again).
 */
const cacheRoot = () =>
  path.resolve(process.env.LLAMA_CPP_CACHE_DIR || path.join(repoRoot, ".cache/llama.cpp"));

/**
 * What this llama.cpp's CMake knows (checked against its CMakeLists.txt): `LLAMA_CURL` is deprecated there and
 * ignored, so it is left out; the web UI would otherwise be downloaded from Hugging Face at build time, so both of
 * its sources are off. Static libraries keep each binary self-contained.
 */
export const cmakeFlags = [
  "-DCMAKE_BUILD_TYPE=Release",
  "-DGGML_NATIVE=ON",
  "-DBUILD_SHARED_LIBS=OFF",
  "-DLLAMA_OPENSSL=OFF",
  "-DLLAMA_BUILD_TESTS=OFF",
  "-DLLAMA_BUILD_EXAMPLES=OFF",
  "-DLLAMA_BUILD_APP=OFF",
  "-DLLAMA_BUILD_UI=OFF",
  "-DLLAMA_USE_PREBUILT_UI=OFF",
] as const;

export interface LlamaCppBuild {
  /** The commit the bundle holds: the cache key. */
  commit: string;
  directory: string;
  binaries: Record<LlamaCppTarget, string>;
}

export type BuildProgress =
  | { kind: "step"; message: string }
  /** CMake's own percentage of the targets' build. */
  | { kind: "percent"; percent: number; message: string };

export interface BuildOptions {
  targets?: readonly LlamaCppTarget[];
  jobs?: number;
  onProgress?: (event: BuildProgress) => void;
  /** Build output that is not progress (compiler warnings, errors); default: dropped unless the build fails. */
  onOutput?: (line: string) => void;
}

/** The commit in the bundle, read without cloning it. */
export async function bundleCommit(): Promise<string> {
  const { stdout } = await run("git", ["bundle", "list-heads", llamaCppBundle]);
  const commit = /^([0-9a-f]{40})\s/m.exec(stdout)?.[1];
  if (!commit) throw new Error(`no commit in ${llamaCppBundle}: ${stdout.trim()}`);
  return commit;
}

async function exists(file: string): Promise<boolean> {
  return (await fs.stat(file).catch(() => undefined)) !== undefined;
}

/** Where the build for the bundle's commit lives, and whether each binary is there already. */
export async function locateLlamaCppBuild(): Promise<LlamaCppBuild & { built: LlamaCppTarget[] }> {
  const commit = await bundleCommit();
  const directory = path.join(cacheRoot(), commit.slice(0, 12));
  const binaries = Object.fromEntries(
    llamaCppTargets.map((target) => [target, path.join(directory, "build", "bin", target)]),
  ) as Record<LlamaCppTarget, string>;
  const built: LlamaCppTarget[] = [];
  for (const target of llamaCppTargets) if (await exists(binaries[target])) built.push(target);
  return { commit, directory, binaries, built };
}

/** Runs one build step at the lowest priority (it must not slow down whatever shares the machine). */
async function step(
  command: string,
  args: string[],
  cwd: string,
  onLine: (line: string) => void,
): Promise<void> {
  const child = spawn("nice", ["-n", "19", command, ...args], { cwd, stdio: ["ignore", "pipe", "pipe"] });
  const tail: string[] = [];
  const collect = (chunk: Buffer) => {
    for (const line of chunk.toString("utf8").split("\n")) {
      if (line.trim() === "") continue;
      tail.push(line);
      if (tail.length > 40) tail.shift();
      onLine(line);
    }
  };
  child.stdout.on("data", collect);
  child.stderr.on("data", collect);
  const code = await new Promise<number>((resolve, reject) => {
    child.on("error", reject);
    child.on("close", (c) => resolve(c ?? 1));
  });
  if (code !== 0) throw new Error(`${command} ${args.join(" ")} exited with ${code}:\n${tail.join("\n")}`);
}

/**
 * Builds the targets that are missing for the bundle's commit and returns where every binary is. A finished
 * build is reused; an interrupted one resumes where CMake stopped.
 */
export async function ensureLlamaCppBuild(options: BuildOptions = {}): Promise<LlamaCppBuild> {
  const targets = options.targets ?? llamaCppTargets;
  const report = options.onProgress ?? (() => {});
  const found = await locateLlamaCppBuild();
  const missing = targets.filter((target) => !found.built.includes(target));
  if (missing.length === 0) return found;

  const source = path.join(found.directory, "source");
  const onLine = (line: string) => {
    const percent = /^\[\s*(\d+)%\]\s*(.*)$/.exec(line);
    if (percent) report({ kind: "percent", percent: Number(percent[1]), message: percent[2] ?? "" });
    else options.onOutput?.(line);
  };
  await fs.mkdir(found.directory, { recursive: true });
  if (!(await exists(path.join(source, "CMakeLists.txt")))) {
    report({
      kind: "step",
      message: `cloning llama.cpp ${found.commit.slice(0, 12)} from the bundled source`,
    });
    await fs.rm(source, { recursive: true, force: true });
    await step("git", ["clone", "--quiet", llamaCppBundle, source], found.directory, onLine);
    await step("git", ["checkout", "--quiet", found.commit], source, onLine);
  }
  report({ kind: "step", message: `configuring (cmake ${cmakeFlags.join(" ")})` });
  await step(
    "cmake",
    ["-S", source, "-B", path.join(found.directory, "build"), ...cmakeFlags],
    source,
    onLine,
  );
  const jobs = String(options.jobs ?? os.availableParallelism());
  report({ kind: "step", message: `building ${missing.join(", ")} with ${jobs} jobs` });
  await step(
    "cmake",
    ["--build", path.join(found.directory, "build"), "--target", ...missing, "-j", jobs],
    source,
    onLine,
  );
  for (const target of missing) {
    if (!(await exists(found.binaries[target]))) throw new Error(`the build did not produce ${target}`);
  }
  return found;
}
