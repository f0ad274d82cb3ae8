import { Command } from "commander";

// node-llama-cpp must never try to download or build binaries at run time: the prebuilt CPU backend ships in npm.
process.env.NODE_LLAMA_CPP_SKIP_DOWNLOAD ??= "true";

/**
 * Each command's module, loaded only when needed: the others import the database layer and more, and `serve` must
 * reach its start-up checks in well under a second. Listed in the order `--help` shows them.
 */
const commands: Record<string, () => Promise<Command>> = {
  serve: async () => (await import("./serve-command.js")).serveCommand(),
  init: async () => (await import("./init-command.js")).initCommand(),
  "export-feedback": async () => (await import("./export-command.js")).exportFeedbackCommand(),
  // The old name of export-feedback, left out of the help.
  export: async () => (await import("./export-command.js")).deprecatedExportCommand(),
  prompts: async () => (await import("./prompts-command.js")).promptsCommand(),
  analyze: async () => (await import("./analyze-command.js")).analyzeCommand(),
  doctor: async () => (await import("./doctor-command.js")).doctorCommand(),
  backup: async () => (await import("./backup-command.js")).backupCommand(),
  restore: async () => (await import("./restore-command.js")).restoreCommand(),
  "migrate-data": async () => (await import("./migrate-data-command.js")).migrateDataCommand(),
  simulate: async () => (await import("./simulate-command.js")).simulateCommand(),
};

const program = new Command("promptloop")
  .description("Prompt-defined tasks on one local LLM that learn from user feedback without retraining")
  .version("0.1.0")
  .showHelpAfterError();

// With a command name first, only that command is built; otherwise (help, a typo) all of them, for the listing.
const requested = process.argv[2];
const load =
  requested !== undefined && Object.hasOwn(commands, requested) ? [requested] : Object.keys(commands);
for (const name of load) program.addCommand(await commands[name]!(), { hidden: name === "export" });

await program.parseAsync(process.argv);
