/**
 * Writes generated GGUF test models from the command line, e.g.
 *   npx tsx test/support/gguf/generate-cli.ts --type q8_0
 *   npx tsx test/support/gguf/generate-cli.ts --tiny --out-dir /tmp/models
 */
import { Command, Option } from "commander";
import { SingleBar, Presets } from "cli-progress";
import { stat } from "node:fs/promises";
import { defaultModelCacheDir } from "./cached-model-file.js";
import { ggmlTensorTypes, type GgmlTensorType } from "./ggml-tensor-types.js";
import { createQwenShapedGguf } from "./qwen-shaped.js";
import { createTinyQwen2Gguf } from "./tiny-qwen2.js";
import { verifyGgufLoads } from "./verify-gguf-loads.js";

interface CliOptions {
  type?: GgmlTensorType;
  tiny: boolean;
  outDir: string;
  seed: number;
  verify: boolean;
  threads: number;
}

const program = new Command()
  .name("generate-cli")
  .description(
    "Write a GGUF model with random weights: Qwen1.5-0.5B-Chat's exact shapes and tokenizer layout, or a tiny " +
      "qwen2 model for tests. Files are cached by parameters; an existing file is reused.",
  )
  .addOption(
    new Option("--type <type>", "tensor type of the 2-D weights (default: q8_0, f32 with --tiny)").choices(
      ggmlTensorTypes,
    ),
  )
  .option("--tiny", "write the tiny test model (hidden 64, 2 layers) instead", false)
  .option("--out-dir <dir>", "directory for the file", defaultModelCacheDir)
  .option("--seed <n>", "weight seed", (value) => Number.parseInt(value, 10), 1)
  .option("--verify", "then load the file in node-llama-cpp and evaluate a short prompt", false)
  .option("--threads <n>", "threads for --verify", (value) => Number.parseInt(value, 10), 2)
  .action(async (options: CliOptions) => {
    const started = performance.now();
    const path = options.tiny ? await writeTiny(options) : await writeQwenShaped(options);
    const seconds = (performance.now() - started) / 1000;
    const { size } = await stat(path);
    console.log(`${path}\n${(size / 1e6).toFixed(1)} MB, ready in ${seconds.toFixed(1)} s`);
    if (options.verify) {
      const report = await verifyGgufLoads(path, { threads: options.threads });
      console.log(
        `loaded in ${report.loadMs.toFixed(0)} ms, context in ${report.createContextMs.toFixed(0)} ms, ` +
          `${report.promptTokens}-token prompt evaluated in ${report.firstEvaluationMs.toFixed(0)} ms ` +
          `(again, warm: ${report.warmEvaluationMs.toFixed(0)} ms), ` +
          `next token ${report.nextToken} ${JSON.stringify(report.nextTokenText)}`,
      );
    }
  });

async function writeTiny(options: CliOptions): Promise<string> {
  return createTinyQwen2Gguf({ dir: options.outDir, seed: options.seed, tensorType: options.type ?? "f32" });
}

async function writeQwenShaped(options: CliOptions): Promise<string> {
  const bar = new SingleBar(
    { format: "{bar} {percentage}% | {written}/{total} MB | {eta}s left", hideCursor: true },
    Presets.shades_classic,
  );
  let started = false;
  try {
    return await createQwenShapedGguf({
      type: options.type ?? "q8_0",
      dir: options.outDir,
      seed: options.seed,
      onProgress: (written, total) => {
        const megabytes = { written: Math.round(written / 1e6), total: Math.round(total / 1e6) };
        if (!started) {
          bar.start(total, written, megabytes);
          started = true;
        }
        bar.update(written, megabytes);
      },
    });
  } finally {
    if (started) bar.stop();
  }
}

await program.parseAsync();
