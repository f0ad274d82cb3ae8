import type { SuggestionReport } from "../core/report/suggestion-report.js";
import type { AnalysisConfig } from "../../config.js";
import type { AnalysisTrigger } from "./analysis-run-store.js";

/** A draft the run saved (or found already saved) for the recommended candidate. */
export interface DraftOutcome {
  task: string;
  versionId: string;
  parentId: string;
  /** The candidate's strategy. */
  candidate: string;
  /** False when a version with identical behaviour already existed: nothing new was stored. */
  created: boolean;
}

/** What the I/O shell adds to the core's report: how the run went and what it changed. */
export interface ReportRunInfo {
  runId: number;
  trigger: AnalysisTrigger;
  startedAt: number;
  finishedAt: number;
  replay: {
    enabled: boolean;
    /** Engine calls made (current version and every candidate, on the replay items). */
    calls: number;
    /** Calls the engine failed on (counted as wrong answers by the gate). */
    failures: number;
    firstFailure: string | null;
    durationMs: number;
  };
  drafts: DraftOutcome[];
  settings: AnalysisConfig;
}

/** The report as written to `DATA_DIR/reports/<id>.json`: the core's report plus its id and the run. */
export interface StoredReport extends SuggestionReport {
  id: string;
  run: ReportRunInfo;
}
