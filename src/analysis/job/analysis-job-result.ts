import type { CandidatePrompt } from "../core/candidates/candidate-prompt.js";
import type { SuggestionReport } from "../core/report/suggestion-report.js";
import type { PromptVersion } from "../../prompts/store/prompt-store.js";
import type { PromptDefinition } from "../../tasks/prompt-definition.js";

/** The draft a run would save for a task's recommendation. */
export interface PlannedDraft {
  task: string;
  versionId: string;
  parent: PromptVersion;
  candidate: CandidatePrompt;
  definition: PromptDefinition;
  /** A stored version behaving identically, if any: then nothing is saved. */
  existing: PromptVersion | undefined;
}

export interface AnalysisJobResult {
  report: SuggestionReport;
  drafts: PlannedDraft[];
  replay: { calls: number; failures: number; firstFailure: string | null; durationMs: number };
}
