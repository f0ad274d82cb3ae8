import type { Token } from "node-llama-cpp";

/** What {@link verifyGgufLoads} measured, in milliseconds. */
export interface GgufLoadReport {
  readonly loadMs: number;
  readonly createContextMs: number;
  /** Time to evaluate the prompt and produce one next token. */
  readonly firstEvaluationMs: number;
  /** The same prompt again on a cleared sequence: weights are paged in and the kernels warm. */
  readonly warmEvaluationMs: number;
  readonly promptTokens: number;
  readonly nextToken: Token | undefined;
  readonly nextTokenText: string;
}

/**
 * Loads a GGUF file in the real engine (CPU only) and evaluates a short ChatML prompt: proof that a generated
 * file is one llama.cpp accepts and runs, plus the timings of doing so.
 */
export async function verifyGgufLoads(path: string, options: { threads: number }): Promise<GgufLoadReport> {
  process.env.NODE_LLAMA_CPP_GPU = "false";
  process.env.NODE_LLAMA_CPP_SKIP_DOWNLOAD = "true";
  const { getLlama, LlamaLogLevel } = await import("node-llama-cpp");
  const llama = await getLlama({ gpu: false, build: "never", logLevel: LlamaLogLevel.error });
  try {
    let started = performance.now();
    const model = await llama.loadModel({ modelPath: path });
    const loadMs = performance.now() - started;
    started = performance.now();
    const context = await model.createContext({ contextSize: 512, threads: options.threads });
    const createContextMs = performance.now() - started;
    const prompt = model.tokenize(
      "<|im_start|>user\n这家酒店很好。<|im_end|>\n<|im_start|>assistant\n",
      true,
    );
    const sequence = context.getSequence();
    const evaluateOnce = async (): Promise<{ token: Token | undefined; ms: number }> => {
      const evaluationStarted = performance.now();
      let token: Token | undefined;
      for await (const generated of sequence.evaluate(prompt, { temperature: 0 })) {
        token = generated;
        break;
      }
      return { token, ms: performance.now() - evaluationStarted };
    };
    const first = await evaluateOnce();
    await sequence.clearHistory();
    const warm = await evaluateOnce();
    const [nextToken, firstEvaluationMs, warmEvaluationMs] = [first.token, first.ms, warm.ms];
    const nextTokenText = nextToken === undefined ? "" : model.detokenize([nextToken], true);
    await context.dispose();
    await model.dispose();
    return {
      loadMs,
      createContextMs,
      firstEvaluationMs,
      warmEvaluationMs,
      promptTokens: prompt.length,
      nextToken,
      nextTokenText,
    };
  } finally {
    await llama.dispose();
  }
}
