/**
 * Records the OpenAI-compatible backend's exchanges with a real llama-server on the tiny generated model into
 * src/engine/openai-compatible/__fixtures__/llama-server.json, for the fast unit tests that replay them.
 *
 *   npx tsx test/support/llama-server/record-fixtures.ts [--help]
 */
import fs from "node:fs/promises";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { bundleCommit } from "../../../scripts/llama-cpp/llama-cpp-build.js";
import { createOpenAiCompatibleBackend } from "../../../src/engine/openai-compatible/openai-compatible-backend.js";
import {
  fixtureScenarios,
  type FixtureFile,
} from "../../../src/engine/openai-compatible/test-support/fixture-scenarios.js";
import { hideLlamaServerEndpoints } from "../../../src/engine/openai-compatible/test-support/hide-llama-server-endpoints.js";
import {
  recordingFetch,
  type RecordedExchange,
} from "../../../src/engine/openai-compatible/test-support/recorded-fetch.js";
import { findLlamaServerBinary } from "./llama-server-process.js";
import { startTinyLlamaServer } from "./tiny-llama-server.js";

const output = fileURLToPath(
  new URL("../../../src/engine/openai-compatible/__fixtures__/llama-server.json", import.meta.url),
);

const { values } = parseArgs({ options: { help: { type: "boolean", short: "h", default: false } } });
if (values.help) {
  console.log(`usage: npx tsx test/support/llama-server/record-fixtures.ts

Starts llama-server (LLAMA_SERVER_BIN or the cached build) on the tiny generated model, runs the fixture scenarios
through the OpenAI-compatible backend and writes every exchange to
${output}`);
  process.exit(0);
}

const found = await findLlamaServerBinary();
if (!("binary" in found)) throw new Error(found.missing);
const server = await startTinyLlamaServer(found.binary);
try {
  const file: FixtureFile = {
    recordedWith: {
      llamaCpp: (await bundleCommit()).slice(0, 12),
      model: "tiny generated Qwen2 (test/support/gguf, seed 1, f32)",
      server:
        "llama-server --seed 1 -np 2 -c 2048 -t 1, partial-UTF-8 tokens excluded (tiny-llama-server.ts)",
    },
    scenarios: {},
  };
  for (const scenario of fixtureScenarios) {
    const exchanges: RecordedExchange[] = [];
    const backend = await createOpenAiCompatibleBackend({
      baseUrl: server.baseUrl,
      ...(scenario.openAiOnly ? {} : { model: "tiny" }),
      classifyMode: scenario.classifyMode,
      fetch: scenario.openAiOnly
        ? recordingFetch(hideLlamaServerEndpoints(fetch), exchanges)
        : recordingFetch(fetch, exchanges),
    });
    const outcome = await scenario.run(backend);
    file.scenarios[scenario.name] = { exchanges, outcome };
    console.error(`${scenario.name}: ${exchanges.length} exchanges`);
  }
  await fs.mkdir(new URL(".", `file://${output}`), { recursive: true });
  await fs.writeFile(output, `${JSON.stringify(file, null, 2)}\n`);
  console.error(`wrote ${output}`);
} finally {
  await server.stop();
}
