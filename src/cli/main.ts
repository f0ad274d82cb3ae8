import { Command } from "commander";
import { analyzeCommand } from "./analyze-command.js";
import { backupCommand } from "./backup-command.js";
import { doctorCommand } from "./doctor-command.js";
import { migrateDataCommand } from "./migrate-data-command.js";
import { restoreCommand } from "./restore-command.js";
import { exportCommand } from "./export-command.js";
import { promptsCommand } from "./prompts-command.js";
import { serveCommand } from "./serve-command.js";
import { simulateCommand } from "./simulate-command.js";

// node-llama-cpp must never try to download or build binaries at run time: the prebuilt CPU backend ships in npm.
process.env.NODE_LLAMA_CPP_SKIP_DOWNLOAD ??= "true";

const program = new Command("promptloop")
  .description("Prompt-defined tasks on one local LLM that learn from user feedback without retraining")
  .version("0.1.0")
  .showHelpAfterError()
  .addCommand(serveCommand())
  .addCommand(exportCommand())
  .addCommand(promptsCommand())
  .addCommand(analyzeCommand())
  .addCommand(doctorCommand())
  .addCommand(backupCommand())
  .addCommand(restoreCommand())
  .addCommand(migrateDataCommand())
  .addCommand(simulateCommand());

await program.parseAsync(process.argv);
