import type { CandidatePrompt, CurrentPrompt } from "../core/candidates/candidate-prompt.js";
import type { PromptStore, PromptVersion } from "../../prompts/store/prompt-store.js";
import {
  contentHash,
  type GenerationParams,
  type PromptDefinition,
  type RetrievalSettings,
} from "../../tasks/prompt-definition.js";
import { retrievalConfigOf } from "./few-shot-memory.js";
import type { AnalysisJobResult } from "./analysis-job-result.js";
import type { DraftOutcome } from "./stored-report.js";

/** The analysis core's view of a stored version. */
export function currentPromptOf(version: PromptVersion): CurrentPrompt {
  const { definition } = version;
  return {
    id: version.id,
    systemPrompt: definition.systemPrompt,
    ...(definition.params && { params: { ...definition.params } }),
    ...(definition.fewShot && { fewShot: definition.fewShot }),
    ...(definition.retrieval && { retrieval: retrievalConfigOf(definition.retrieval) }),
  };
}

/**
 * The prompt definition a candidate would be stored as: the current version's task, kind, labels, flag labels and
 * feedback widgets with the candidate's instruction, parameters, few-shot examples and retrieval. `version` is the
 * part after "@" of the id.
 */
export function candidateDefinition(
  current: PromptDefinition,
  candidate: CandidatePrompt,
  versionId: string,
  description?: string,
): PromptDefinition {
  const definition: PromptDefinition = {
    task: current.task,
    version: versionId.slice(versionId.indexOf("@") + 1),
    kind: current.kind,
    systemPrompt: candidate.systemPrompt,
  };
  if (current.labels) definition.labels = current.labels;
  // What the task flags and which feedback it asks for belong to the task, not to one instruction.
  if (current.flagLabels) definition.flagLabels = current.flagLabels;
  if (current.feedback) definition.feedback = current.feedback;
  // Candidates start from the current version's params, which are GenerationParams already.
  if (candidate.params) definition.params = candidate.params as GenerationParams;
  if (candidate.fewShot) definition.fewShot = candidate.fewShot;
  // The full RetrievalConfig is stored (tokenizer and minScore included) so the version pins its retrieval.
  if (candidate.retrieval) definition.retrieval = candidate.retrieval satisfies RetrievalSettings;
  if (description !== undefined) definition.description = description;
  return definition;
}

/** What a definition does, ignoring its version id and description: equal hashes answer identically. */
export function behaviourHash(definition: PromptDefinition): string {
  return contentHash({ ...definition, version: "" });
}

/** An existing version of the same task that behaves exactly like `definition`, if any. */
export function findEquivalentVersion(
  definition: PromptDefinition,
  versions: readonly PromptVersion[],
): PromptVersion | undefined {
  const hash = behaviourHash(definition);
  return versions.find(
    (version) => version.definition.task === definition.task && behaviourHash(version.definition) === hash,
  );
}

/**
 * Saves each planned draft: source "analysis", parent = the active version, and a changelog citing the report with
 * the evidence (the trigger's statistics, the replay scores, the confidence).
 */
export async function saveDrafts(
  prompts: PromptStore,
  result: AnalysisJobResult,
  reportId: string,
  createdAt: number,
): Promise<DraftOutcome[]> {
  const outcomes: DraftOutcome[] = [];
  for (const draft of result.drafts) {
    const base = { task: draft.task, parentId: draft.parent.id, candidate: draft.candidate.strategy };
    if (draft.existing !== undefined) {
      outcomes.push({ ...base, versionId: draft.existing.id, created: false });
      continue;
    }
    const task = result.report.tasks.find((entry) => entry.task === draft.task);
    const entry = task?.candidates.find((candidate) => candidate.candidate === draft.candidate);
    const replay = entry?.replay ?? null;
    const gate = entry?.gate ?? null;
    const { version, created } = await prompts.saveVersion({
      definition: draft.definition,
      parentId: draft.parent.id,
      source: "analysis",
      changelog: {
        reportId,
        strategy: draft.candidate.strategy,
        changes: draft.candidate.changes,
        rationale: draft.candidate.rationale,
        targetPatterns: draft.candidate.targetPatterns,
        evidence: {
          trigger: task?.trigger.stats ?? null,
          replay: replay === null ? null : { reason: replay.reason, stats: replay.stats },
          ...(gate && {
            generatorGate: {
              reason: gate.reason,
              checks: gate.checks,
              targeted: gate.targeted,
              editSimilarity: gate.editSimilarity,
              limits: gate.limits,
            },
          }),
          confidence: task?.confidence.score ?? null,
        },
      },
      createdAt,
    });
    outcomes.push({ ...base, versionId: version.id, created });
  }
  return outcomes;
}
