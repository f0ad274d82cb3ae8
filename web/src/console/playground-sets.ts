import type { AdminRequest } from "../dashboard/dashboard-data.js";
import { consoleApi } from "./console-api.js";

/** Most inputs one playground run takes (the server's bound, src/playground/playground-request.ts). */
export const maxPlaygroundInputs = 50;

/** One input of a run, with the right label when the set knows it. */
export interface PlaygroundInput {
  input: string;
  expected?: string;
}

/** Where a run's inputs come from; every saved set resolves to the same {@link PlaygroundInput} list. */
export type SetSource =
  | { kind: "typed" }
  | { kind: "misclassified" }
  | { kind: "pattern"; reportId: string; patternId: string }
  | { kind: "regression"; setId: string };

/** Typed text: one input per non-empty line, at most {@link maxPlaygroundInputs}. */
export function inputsFromLines(text: string): { inputs: PlaygroundInput[]; truncated: boolean } {
  const lines = text
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line !== "");
  return {
    inputs: lines.slice(0, maxPlaygroundInputs).map((input) => ({ input })),
    truncated: lines.length > maxPlaygroundInputs,
  };
}

/** An error pattern of a stored report with the examples the miner kept. */
export interface ReportPattern {
  reportId: string;
  id: string;
  title: string;
  examples: { text: string; gold: string | null }[];
}

interface StoredReportPatterns {
  tasks: {
    task: string;
    mining: { patterns: { id: string; title: string; examples?: ReportPattern["examples"] }[] } | null;
  }[];
}

/** The error patterns of the newest report that has some for `task`. */
export async function latestPatterns(request: AdminRequest, task: string): Promise<ReportPattern[]> {
  for (const listing of await consoleApi.reports(request)) {
    if (!listing.tasks.some((entry) => entry.task === task)) continue;
    const report = (await consoleApi.report(request, listing.id)) as unknown as StoredReportPatterns;
    const patterns = report.tasks.find((entry) => entry.task === task)?.mining?.patterns ?? [];
    if (patterns.length > 0) {
      return patterns.map((pattern) => ({
        reportId: listing.id,
        id: pattern.id,
        title: pattern.title,
        examples: pattern.examples ?? [],
      }));
    }
  }
  return [];
}

/** One item of GET /api/admin/misclassifications (the triage list). */
interface Misclassification {
  input: string;
  judgement: { expectedLabel: string | null };
}

/**
 * The task's latest misclassifications (the triage list, newest first), each with its right label: the user's
 * correction, or the label inferred from a 👎.
 */
export async function latestMisclassified(request: AdminRequest, task: string): Promise<PlaygroundInput[]> {
  const query = new URLSearchParams({ task, limit: String(maxPlaygroundInputs) });
  const response = await request(`/api/admin/misclassifications?${query.toString()}`);
  const page = (await response.json()) as { items: Misclassification[] };
  return page.items.map(({ input, judgement }) =>
    judgement.expectedLabel === null ? { input } : { input, expected: judgement.expectedLabel },
  );
}

/** A pattern's examples as inputs (the gold label where the miner knew it). */
export function inputsOfPattern(pattern: ReportPattern): PlaygroundInput[] {
  return pattern.examples
    .slice(0, maxPlaygroundInputs)
    .map((example) =>
      example.gold ? { input: example.text, expected: example.gold } : { input: example.text },
    );
}

/** A named regression set (the triage page's), as GET /api/admin/regression-sets lists it. */
export interface RegressionSetListing {
  id: string;
  name: string;
  /** How many interactions it holds. */
  items: number;
}

/** The task's named regression sets; none for a task that doesn't classify (the server refuses those). */
export async function regressionSetsOf(request: AdminRequest, task: string): Promise<RegressionSetListing[]> {
  const response = await request(`/api/admin/regression-sets?task=${encodeURIComponent(task)}`);
  return ((await response.json()) as { sets: RegressionSetListing[] }).sets;
}

/** A regression set's interactions as inputs, each with the label it is expected to get (at most 50). */
export async function inputsOfRegressionSet(
  request: AdminRequest,
  setId: string,
): Promise<{ inputs: PlaygroundInput[]; truncated: boolean }> {
  const response = await request(`/api/admin/regression-sets/${encodeURIComponent(setId)}`);
  const { items } = (await response.json()) as { items: { input: string; expectedLabel: string | null }[] };
  return {
    inputs: items
      .slice(0, maxPlaygroundInputs)
      .map(({ input, expectedLabel }) =>
        expectedLabel === null ? { input } : { input, expected: expectedLabel },
      ),
    truncated: items.length > maxPlaygroundInputs,
  };
}
