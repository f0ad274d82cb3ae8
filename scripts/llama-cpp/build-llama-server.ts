/**
 * `npm run build:llama-server -- [--bench] [--jobs n] [--json]`: builds llama.cpp's llama-server (and llama-bench
 * with --bench) from the source node-llama-cpp bundles, once per llama.cpp commit. Progress goes to stderr; the
 * binary's path (or, with --json, one JSON line) to stdout, so that `.ci/run` can export it.
 */
import cliProgress from "cli-progress";
import { Command } from "commander";
import {
  ensureLlamaCppBuild,
  locateLlamaCppBuild,
  type BuildProgress,
  type LlamaCppTarget,
} from "./llama-cpp-build.js";

function progressReporter(quiet: boolean): { report: (event: BuildProgress) => void; stop: () => void } {
  const interactive = process.stderr.isTTY && !quiet;
  let bar: cliProgress.SingleBar | undefined;
  let lastPrinted = -10;
  return {
    report(event) {
      if (quiet) return;
      if (event.kind === "step") {
        bar?.stop();
        bar = undefined;
        process.stderr.write(`[llama.cpp] ${event.message}\n`);
        return;
      }
      if (interactive) {
        bar ??= new cliProgress.SingleBar(
          { format: "[llama.cpp] {bar} {percentage}% {file}", stream: process.stderr, hideCursor: true },
          cliProgress.Presets.shades_classic,
        );
        if (!bar.isActive) bar.start(100, 0, { file: "" });
        bar.update(event.percent, { file: event.message.replace(/^.*\//, "").slice(0, 40) });
      } else if (event.percent >= lastPrinted + 10) {
        // Logs (CI) get a line per 10%, not per compiled file.
        lastPrinted = event.percent - (event.percent % 10);
        process.stderr.write(`[llama.cpp] ${event.percent}% ${event.message}\n`);
      }
    },
    stop: () => bar?.stop(),
  };
}

const program = new Command()
  .name("build-llama-server")
  .description(
    "Build llama.cpp's llama-server (and llama-bench) offline from node-llama-cpp's bundled source, CPU only, " +
      "cached in .cache/llama.cpp/<commit>/. About 15 minutes on 2 cores the first time; instant afterwards.",
  )
  .option("--bench", "also build llama-bench (for npm run bench)", false)
  .option("--jobs <n>", "parallel compile jobs (default: the machine's cores)")
  .option("--check", "build nothing: exit 1 if llama-server is not built yet", false)
  .option("--json", "print one JSON line {commit, seconds, binaries} instead of the path", false)
  .option("--quiet", "no progress on stderr", false)
  .action(
    async (options: { bench: boolean; jobs?: string; check: boolean; json: boolean; quiet: boolean }) => {
      if (options.check) {
        const found = await locateLlamaCppBuild();
        const ok = found.built.includes("llama-server");
        process.stdout.write(
          options.json ? `${JSON.stringify({ ...found, ok })}\n` : `${found.binaries["llama-server"]}\n`,
        );
        process.exitCode = ok ? 0 : 1;
        return;
      }
      const targets: LlamaCppTarget[] = options.bench ? ["llama-server", "llama-bench"] : ["llama-server"];
      const started = performance.now();
      const progress = progressReporter(options.quiet);
      const output: string[] = [];
      try {
        const build = await ensureLlamaCppBuild({
          targets,
          ...(options.jobs ? { jobs: Number(options.jobs) } : {}),
          onProgress: progress.report,
          onOutput: (line) => output.push(line),
        });
        progress.stop();
        const seconds = Math.round((performance.now() - started) / 1000);
        if (!options.quiet) process.stderr.write(`[llama.cpp] ready in ${seconds} s: ${build.directory}\n`);
        const binaries = Object.fromEntries(targets.map((t) => [t, build.binaries[t]]));
        process.stdout.write(
          options.json
            ? `${JSON.stringify({ commit: build.commit, seconds, binaries })}\n`
            : `${build.binaries["llama-server"]}\n`,
        );
      } catch (error) {
        progress.stop();
        process.stderr.write(`[llama.cpp] build failed: ${(error as Error).message}\n`);
        process.exitCode = 1;
      }
    },
  );

await program.parseAsync();
