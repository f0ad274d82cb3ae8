import type { Migration } from "kysely";
import type { DatabaseDialect } from "../database-dialect.js";
import { initialMigration } from "./001-initial.js";
import { rolloutsMigration } from "./002-rollouts.js";
import { analysisMigration } from "./003-analysis.js";
import { promptYamlShapeMigration } from "./004-prompt-yaml-shape.js";
import { fleetMigration } from "./005-fleet.js";
import { retentionMigration } from "./006-retention.js";
import { feedbackTrustMigration } from "./007-feedback-trust.js";
import { memoryMigration } from "./008-memory.js";
import { regressionSetsMigration } from "./009-regression-sets.js";
import { rateLimitCountersMigration } from "./010-rate-limit-counters.js";
import { revokedSessionsMigration } from "./011-revoked-sessions.js";
import { labelMoveReasonCodesMigration } from "./012-label-move-reason-codes.js";
import { schemaTypesFor } from "./schema-types.js";

/**
 * One migration list for both dialects, ordered by name: add new migrations with the next number, never edit a
 * shipped one. Each is written once with Kysely's schema builder; the few types that differ come from SchemaTypes.
 */
export function migrationsFor(dialect: DatabaseDialect): Record<string, Migration> {
  const types = schemaTypesFor(dialect);
  return {
    "001-initial": initialMigration(types),
    "002-rollouts": rolloutsMigration(types),
    "003-analysis": analysisMigration(types),
    "004-prompt-yaml-shape": promptYamlShapeMigration,
    "005-fleet": fleetMigration(),
    "006-retention": retentionMigration(),
    "007-feedback-trust": feedbackTrustMigration(types),
    "008-memory": memoryMigration(),
    "009-regression-sets": regressionSetsMigration(types),
    "010-rate-limit-counters": rateLimitCountersMigration(dialect),
    "011-revoked-sessions": revokedSessionsMigration(),
    "012-label-move-reason-codes": labelMoveReasonCodesMigration(),
  };
}
