import { loadConfig } from "../../src/config.js";
import { createLocalLlmBackend } from "../../src/engine/local/local-llm-backend.js";
import { fileSha256 } from "../../src/engine/local/lora-adapter-file.js";
import { qwen15HalfBillionShape } from "../../test/support/gguf/qwen2-gguf-spec.js";
import { createTinyLoraGguf } from "../../test/support/gguf/tiny-lora.js";
import { roundTo } from "../lib/percentiles.js";
import { progress, runAsScript, type SectionOptions, type SectionResult } from "../lib/section-protocol.js";
import type { TableRow } from "../lib/render-table.js";

const mib = (bytes: number) => bytes / 2 ** 20;

/**
 * Resident memory each LoRA adapter version adds: the Qwen1.5-0.5B-shaped Q8_0 model under the service's default
 * SEQUENCES and CONTEXT_SIZE, then one rank-8 adapter (attn_q/attn_v of all 24 blocks, f32) after another, each
 * served once so its context is created and used. RSS is read after every step.
 */
export async function measureAdapterContexts(options: SectionOptions): Promise<SectionResult> {
  const config = loadConfig({}, {});
  const adapters = options.quick ? 2 : 3;
  const backend = await createLocalLlmBackend({
    modelFile: options.models.q8_0,
    threads: options.threads,
    contextSize: config.contextSize,
    sequences: config.sequences,
    maxAdapters: adapters,
  });
  const request = {
    prefix: [{ role: "system" as const, content: "判断情感。" }],
    input: "房间很干净",
    labels: ["正面", "负面"],
  };
  try {
    await backend.classify(request);
    const rss = [process.memoryUsage().rss];
    for (let i = 1; i <= adapters; i++) {
      progress("adapter-contexts", `adapter ${i} of ${adapters}`);
      const path = await createTinyLoraGguf({ shape: qwen15HalfBillionShape, rank: 8, seed: i, std: 0.02 });
      await backend.classify({ ...request, adapter: { path, scale: 1, sha256: await fileSha256(path) } });
      rss.push(process.memoryUsage().rss);
    }
    const deltas = rss.slice(1).map((value, i) => mib(value - rss[i]!));
    const perAdapter = deltas.reduce((a, b) => a + b, 0) / deltas.length;
    const figures = {
      sequences: config.sequences,
      contextSize: config.contextSize,
      baseRssMiB: roundTo(mib(rss[0]!), 0),
      rssMiBAfterEachAdapter: rss.slice(1).map((value) => roundTo(mib(value), 0)),
      rssMiBPerAdapterContext: roundTo(perAdapter, 0),
    };
    const rows: TableRow[] = [
      {
        section: "adapter-contexts",
        metric: "RSS per adapter context",
        value: `${roundTo(perAdapter, 0)} MiB`,
        note: `mean of ${adapters}; SEQUENCES ${config.sequences} × CONTEXT_SIZE ${config.contextSize}, base ${figures.baseRssMiB} MiB`,
      },
    ];
    return { figures, rows };
  } finally {
    await backend.dispose();
  }
}

runAsScript(import.meta.url, measureAdapterContexts);
