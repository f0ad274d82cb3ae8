import type { Command } from "commander";

/**
 * The old name of a renamed command: the same command under `oldName`, left out of the help, printing a
 * deprecation note on stderr before it runs (stdout stays clean for pipes).
 */
export function deprecatedAlias(make: (name: string) => Command, oldName: string, newName: string): Command {
  return make(oldName)
    .description(`deprecated name of \`${newName}\``)
    .hook("preAction", () => {
      process.stderr.write(
        `promptloop: \`${oldName}\` is deprecated and will be removed; use \`${newName}\` (same options)\n`,
      );
    });
}
