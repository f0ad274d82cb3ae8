import type { FetchFunction } from "../remote-backend-options.js";

/** llama-server's own endpoints; without them it looks like any other OpenAI-compatible server (vLLM, Ollama). */
const llamaServerOnly = new Set(["/props", "/apply-template", "/tokenize", "/completion"]);

/** Answers 404, as other servers do, for llama-server's own endpoints, and passes everything else on. */
export function hideLlamaServerEndpoints(inner: FetchFunction): FetchFunction {
  return (input, init) =>
    llamaServerOnly.has(new URL(input).pathname)
      ? Promise.resolve(
          new Response(JSON.stringify({ error: { message: "File Not Found" } }), {
            status: 404,
            headers: { "content-type": "application/json" },
          }),
        )
      : inner(input, init);
}
