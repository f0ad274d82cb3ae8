import type { Migration } from "kysely";
import { initialMigration } from "./001-initial.js";
import { rolloutsMigration } from "./002-rollouts.js";
import { analysisMigration } from "./003-analysis.js";
import { promptYamlShapeMigration } from "./004-prompt-yaml-shape.js";

/** Ordered by name: add new migrations with the next number, never edit a shipped one. */
export const migrations: Record<string, Migration> = {
  "001-initial": initialMigration,
  "002-rollouts": rolloutsMigration,
  "003-analysis": analysisMigration,
  "004-prompt-yaml-shape": promptYamlShapeMigration,
};
