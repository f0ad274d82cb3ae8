import { AppError } from "../../errors.js";
import { contentHash, promptVersionId } from "../../tasks/prompt-definition.js";
import type { PromptLabel, PromptStore, PromptVersion, RecordedLabelMove } from "./prompt-store.js";

/** A test double that passes the same contract suite as the SQLite store. */
export function createInMemoryPromptStore(): PromptStore {
  const versions = new Map<string, PromptVersion>();
  let labels: PromptLabel[] = [];
  const moves: RecordedLabelMove[] = [];
  return {
    async saveVersion({ definition, parentId = null, source, changelog = {}, createdAt, yamlShape }) {
      const id = promptVersionId(definition.task, definition.version);
      const hash = contentHash(definition);
      const existing = versions.get(id);
      if (existing) {
        if (existing.contentHash !== hash) {
          throw new AppError(
            "PROMPT_VERSION_CONFLICT",
            `Prompt version ${id} already exists with different content`,
          );
        }
        return { version: structuredClone(existing), created: false };
      }
      if (parentId !== null && !versions.has(parentId)) {
        throw new AppError("PROMPT_VERSION_NOT_FOUND", `Parent version ${parentId} does not exist`);
      }
      const version: PromptVersion = {
        id,
        definition: structuredClone(definition),
        contentHash: hash,
        parentId,
        source,
        changelog: structuredClone(changelog),
        createdAt,
        ...(yamlShape && Object.keys(yamlShape).length > 0 && { yamlShape: structuredClone(yamlShape) }),
      };
      versions.set(id, version);
      return { version: structuredClone(version), created: true };
    },
    async getVersion(id) {
      const version = versions.get(id);
      return version && structuredClone(version);
    },
    async listVersions(task) {
      return [...versions.values()]
        .filter((v) => task === undefined || v.definition.task === task)
        .sort((a, b) => a.createdAt - b.createdAt || (a.id < b.id ? -1 : 1))
        .map((v) => structuredClone(v));
    },
    async listLabels(task) {
      return labels
        .filter((l) => task === undefined || l.task === task)
        .sort((a, b) => (a.task + a.label < b.task + b.label ? -1 : 1))
        .map((l) => ({ ...l }));
    },
    async moveLabels(requested, meta) {
      // Each move sees the ones before it; nothing is kept unless all succeed, like the SQLite transaction.
      let next = [...labels];
      const recorded: RecordedLabelMove[] = [];
      for (const move of requested) {
        const current = next.find((l) => l.task === move.task && l.label === move.label);
        const from = current?.versionId ?? null;
        if (move.fromVersionId !== undefined && from !== move.fromVersionId) {
          throw new AppError(
            meta.conflictCode ?? "CONFLICT",
            `The ${move.label} label of ${move.task} moved meanwhile (expected ${move.fromVersionId ?? "none"}, ` +
              `found ${from ?? "none"}); nothing was changed`,
          );
        }
        if (from === move.toVersionId) continue;
        if (move.toVersionId !== null && versions.get(move.toVersionId)?.definition.task !== move.task) {
          throw new AppError(
            "PROMPT_VERSION_NOT_FOUND",
            `Version ${move.toVersionId} does not exist for task ${move.task}`,
          );
        }
        next = next.filter((l) => l !== current);
        if (move.toVersionId !== null) {
          next.push({ task: move.task, label: move.label, versionId: move.toVersionId, updatedAt: meta.now });
        }
        recorded.push({
          id: moves.length + recorded.length + 1,
          task: move.task,
          label: move.label,
          fromVersionId: from,
          toVersionId: move.toVersionId,
          actor: meta.actor,
          reason: move.reason ?? meta.reason,
          reasonCode: move.reasonCode ?? null,
          reasonParams: move.reasonParams ? { ...move.reasonParams } : null,
          createdAt: meta.now,
        });
      }
      labels = next;
      moves.push(...recorded);
    },
    async listMoves(task) {
      return moves.filter((m) => task === undefined || m.task === task).map((m) => ({ ...m }));
    },
  };
}
