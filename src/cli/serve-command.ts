import { Command } from "commander";
import cliProgress from "cli-progress";
import type { RawConfig } from "../config.js";
import { configFromOptions, withConfigOptions } from "./config-options.js";
import { checkBeforeModelLoads } from "../server/check-before-model-loads.js";
import { listenError } from "../server/reserve-port.js";
import { startedLines } from "../server/started-lines.js";
import { operatorTokensOf } from "../operators/operator-tokens.js";
import { runCommand } from "./run-command.js";
import { exitOnSignals } from "../server/shutdown-signals.js";

function downloadProgressBar() {
  const bar = new cliProgress.SingleBar(
    {
      format: "downloading model [{bar}] {percentage}% | {value}/{total} MB | ETA {eta_formatted}",
      hideCursor: true,
    },
    cliProgress.Presets.shades_classic,
  );
  let started = false;
  return {
    update({ downloadedBytes, totalBytes }: { downloadedBytes: number; totalBytes: number }) {
      const mb = (bytes: number) => Math.round(bytes / 1e6);
      if (!started) {
        bar.start(mb(totalBytes), 0);
        started = true;
      }
      bar.update(mb(downloadedBytes));
    },
    stop() {
      if (started) bar.stop();
    },
  };
}

export function serveCommand(): Command {
  return withConfigOptions(new Command("serve"))
    .description("load the model and serve the HTTP API and web app")
    .option("--host <host>", "address to listen on (env HOST, default 127.0.0.1)")
    .option("--port <port>", "port to listen on (env PORT, default 8080)")
    .option("--model <path-or-uri>", "a .gguf file or hf: URI (env MODEL_PATH)")
    .action(
      runCommand(async (options: Record<string, string | undefined>) => {
        const extra: Partial<RawConfig> = {};
        if (options.host) extra.HOST = options.host;
        if (options.port) extra.PORT = options.port;
        if (options.model) extra.MODEL_PATH = options.model;
        const config = configFromOptions(options, extra);
        const log = (message: string) => process.stderr.write(`promptloop: ${message}\n`);
        const port = await checkBeforeModelLoads(config);
        const progress = downloadProgressBar();
        // Loaded on demand: the engine's native bindings make every other command slow to start.
        const { createApp } = await import("../server/create-app.js");
        const app = await createApp(config, {
          onDownloadProgress: (p) => progress.update(p),
          onStep: (message) => {
            progress.stop();
            log(message);
          },
        }).finally(() => progress.stop());
        await port.release();
        await app.server.listen({ host: config.host, port: config.port }).catch((error: unknown) => {
          throw listenError(error, config.host, config.port);
        });
        const address = app.server.server.address();
        const bound = typeof address === "object" && address !== null ? address.port : config.port;
        const adminEnabled = operatorTokensOf(config).length > 0;
        for (const line of startedLines({ host: config.host, port: bound, adminEnabled })) log(line);
        exitOnSignals(() => app.shutdown(), log);
      }),
    );
}
