import type { App } from "../server/create-app.js";
import type { LabelledItem } from "./core/labelled-items.js";
import { promptMentions } from "./core/prompt-mentions.js";
import type { SimulationLedger } from "./core/simulation-ledger.js";
import type { VersionSummary } from "./core/simulation-report.js";
import { goldAccuracyOf } from "./gold-evaluation.js";

/** Every version of the task at the end of the run: where it came from, its label, how it served, its gold accuracy. */
export async function summariseVersions(input: {
  app: App;
  task: string;
  items: readonly LabelledItem[];
  ledger: SimulationLedger;
  blindSpots: readonly string[];
}): Promise<VersionSummary[]> {
  const { app, task } = input;
  const labels = await app.stores.prompts.listLabels(task);
  const served = input.ledger.versionTotals();
  const summaries: VersionSummary[] = [];
  for (const version of await app.stores.prompts.listVersions(task)) {
    const totals = served.get(version.id);
    summaries.push({
      id: version.id,
      parent: version.parentId,
      source: version.source,
      createdAt: new Date(version.createdAt).toISOString(),
      finalLabel: labels.find((label) => label.versionId === version.id)?.label ?? null,
      mentions: promptMentions(version.definition, input.blindSpots),
      answers: totals?.answers ?? 0,
      accuracy: totals ? totals.correct / totals.answers : null,
      goldAccuracy: await goldAccuracyOf(app.backend, version.definition, input.items, app.fewShotMemory),
      goldItems: input.items.length,
    });
  }
  return summaries.sort((a, b) => a.createdAt.localeCompare(b.createdAt) || a.id.localeCompare(b.id));
}
