/**
 * One replica for the fleet tests: the real composition root and HTTP server (createApp) with the fake model, on the
 * DATABASE_URL it is given. Prints `{"listening": port}` once it serves, the server's JSON log lines, and
 * `{"holding": runId}` while a completed analysis run's hook holds the tick (REPLICA_HOLD_MS, while REPLICA_HOLD_FILE
 * exists), so a test can kill it mid-job.
 */
import fs from "node:fs";
import { FakeLlmBackend } from "../../../src/engine/fake-llm-backend.js";
import { loadConfig } from "../../../src/config.js";
import { createApp } from "../../../src/server/create-app.js";
import { exitOnSignals } from "../../../src/server/shutdown-signals.js";

const holdMs = Number(process.env.REPLICA_HOLD_MS ?? "0");
// Holds only while this file exists, so a test can switch holding on and off.
const holdFile = process.env.REPLICA_HOLD_FILE ?? "";
// The fleet tests send bursts from one address to both replicas, whose budgets are one on PostgreSQL: limits off
// (test/http/shared-rate-limits.test.ts tests them).
const config = loadConfig(process.env, {
  PORT: 0,
  HOST: "127.0.0.1",
  RATE_LIMIT_PER_MINUTE: 0,
  FEEDBACK_RATE_LIMIT_PER_MINUTE: 0,
});
const app = await createApp(config, {
  // REPLICA_MODEL_DELAY_MS: a slow model (per reply token and per classification), for the shutdown tests.
  backend: new FakeLlmBackend({
    delayMs: Number(process.env.REPLICA_MODEL_DELAY_MS ?? "0"),
    reply: () => process.env.REPLICA_REPLY ?? "好的。",
  }),
  analysisHooks: {
    async afterRun(report) {
      if (holdMs <= 0 || holdFile === "" || !fs.existsSync(holdFile)) return;
      process.stdout.write(`${JSON.stringify({ holding: report.run.runId })}\n`);
      await new Promise((resolve) => setTimeout(resolve, holdMs));
    },
  },
});
await app.server.listen({ host: "127.0.0.1", port: 0 });
const address = app.server.server.address();
process.stdout.write(
  `${JSON.stringify({ listening: typeof address === "object" && address ? address.port : 0 })}\n`,
);
// The same signal handling as `promptloop serve`; its log lines go to stderr.
exitOnSignals(
  () => app.shutdown(),
  (message) => process.stderr.write(`${message}\n`),
);
