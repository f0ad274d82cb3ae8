import type { InteractionWithFeedback } from "../src/analysis/core/analysis-input.js";
import { createAnalysisRun } from "../src/analysis/core/analyze-feedback.js";
import type { ScoredRow } from "./evaluate-task-scores.js";

/**
 * Hands evaluated rows to the analysis core as the feedback users would give (👍 when the model was right, a
 * correction to the gold label when it was wrong), one reader per row, a minute apart, and returns what it mines:
 * the trigger, the top patterns and the patterns per confused pair.
 */
export function mineResults(
  rows: readonly ScoredRow[],
  spec: { task: string; version: string; labels: readonly string[]; seed: number },
) {
  const versionId = `${spec.task}@${spec.version}`;
  const run = createAnalysisRun({
    tasks: [{ task: spec.task, labels: [...spec.labels], currentVersionId: versionId }],
    seed: spec.seed,
    ranking: { minSupport: 5, topK: 10 },
  });
  const start = Date.UTC(2026, 0, 1);
  rows.forEach((row, index) => {
    const id = `row${index + 1}`;
    const createdAt = start + index * 60_000;
    const item: InteractionWithFeedback = {
      interaction: {
        id,
        task: spec.task,
        promptVersionId: versionId,
        input: row.text,
        predictedLabel: row.predicted,
        confidence: row.confidence,
        createdAt,
        sessionHash: `reader-${index + 1}`,
      },
      events: [
        row.predicted === row.gold
          ? {
              id: index + 1,
              interactionId: id,
              createdAt: createdAt + 5000,
              type: "label_confirm",
              payload: { correct: true },
            }
          : {
              id: index + 1,
              interactionId: id,
              createdAt: createdAt + 5000,
              type: "label_correct",
              payload: { label: row.gold },
            },
      ],
    };
    run.add(item);
  });
  const task = run.finish().tasks[0]!;
  return {
    trigger: { decision: task.trigger.decision, reason: task.trigger.reason.en },
    patterns: (task.mining?.patterns ?? []).map((p) => ({
      title: p.title,
      support: p.support,
      errors: p.errorSupport,
      errorRate: p.errorRate,
      z: p.zScore,
    })),
    confusedPairs: (task.mining?.confusedPairs ?? []).map((pair) => ({
      predicted: pair.predicted,
      gold: pair.gold,
      errors: pair.errors,
      patterns: pair.patterns.map((p) => ({ title: p.title, errors: p.errorSupport, z: p.zScore })),
    })),
  };
}

export function printMining(mining: ReturnType<typeof mineResults>): void {
  console.log(
    `\nanalysis on these results as feedback: trigger ${mining.trigger.decision} — ${mining.trigger.reason}`,
  );
  if (mining.patterns.length === 0) console.log("no error pattern met the support and significance bars");
  else
    console.table(
      mining.patterns.map((p) => ({
        pattern: p.title,
        support: p.support,
        errors: p.errors,
        "error rate": `${(p.errorRate * 100).toFixed(1)}%`,
        z: p.z.toFixed(1),
      })),
    );
  for (const pair of mining.confusedPairs) {
    const terms = pair.patterns.map((p) => `${p.title} (${p.errors}, z ${p.z.toFixed(1)})`).join("; ");
    console.log(
      `${pair.predicted ?? "?"} → ${pair.gold ?? "?"}: ${pair.errors} errors; ${terms || "no distinctive term"}`,
    );
  }
}
