import path from "node:path";
import type { Kysely } from "kysely";
import type { Config } from "../../config.js";
import type { LlmBackend } from "../../engine/llm-backend.js";
import type { PromptStore } from "../../prompts/store/prompt-store.js";
import type { Database } from "../../storage/database-schema.js";
import type { InteractionStore } from "../../feedback/store/interaction-store.js";
import { createAnalysisEvidenceQueries } from "./evidence-queries.js";
import type { FewShotMemory } from "./few-shot-memory.js";
import { createSqliteAnalysisRunStore } from "./analysis-run-store.js";
import { createAnalysisService, type AnalysisService, type AnalysisServiceDeps } from "./analysis-service.js";
import { createReportFileStore } from "./report-file-store.js";

/** The folder of the suggestion reports inside DATA_DIR. */
export const reportsFolderName = "reports";

/**
 * The analysis service over the SQLite database and DATA_DIR/reports, as both `serve` and `promptloop analyze`
 * build it.
 */
export function createSqliteAnalysisService(
  deps: {
    db: Kysely<Database>;
    config: Pick<Config, "dataDir" | "analysis">;
    interactions: InteractionStore;
    prompts: PromptStore;
    backend: LlmBackend | null;
    memory: FewShotMemory;
  } & Pick<AnalysisServiceDeps, "hooks" | "now" | "log">,
): AnalysisService {
  const { db, config, ...rest } = deps;
  return createAnalysisService({
    ...rest,
    runs: createSqliteAnalysisRunStore(db),
    evidence: createAnalysisEvidenceQueries(db),
    reports: createReportFileStore(path.join(config.dataDir, reportsFolderName)),
    settings: config.analysis,
  });
}
