import type { AdminRequest } from "../dashboard/dashboard-data.js";

/** GET /api/admin/misclassifications rows. */
export interface MisclassificationRow {
  interactionId: string;
  task: string;
  promptVersionId: string;
  input: string;
  predicted: string | null;
  confidence: number | null;
  judgement: Judgement;
  createdAt: string;
}

export interface Judgement {
  correct: boolean;
  judgedBy: "correction" | "thumbs_down" | "thumbs_up";
  expectedLabel: string | null;
  expectedLabelSource: "correction" | "inferred" | "unknown" | "confirmation";
  reasons: string[];
  conflict: boolean;
}

export interface MisclassificationPage {
  total: number;
  offset: number;
  limit: number;
  items: MisclassificationRow[];
}

export interface InteractionDetail {
  interaction: {
    id: string;
    task: string;
    promptVersionId: string;
    sessionHash: string | null;
    input: string;
    output: string | null;
    label: string | null;
    confidence: number | null;
    createdAt: string;
  };
  version: { id: string; version: string; kind: string; labels?: string[] } | null;
  judgement: Judgement | null;
  events: { id: number; type: string; signal: "explicit" | "implicit"; payload: object; createdAt: string }[];
  regressionSets: { id: string; name: string }[];
}

export interface RegressionSetSummary {
  id: string;
  task: string;
  name: string;
  createdBy: string;
  createdAt: string;
  updatedAt: string;
  items: number;
}

export interface RegressionSetDetail {
  set: RegressionSetSummary;
  items: {
    interactionId: string;
    expectedLabel: string;
    expectedSource: "correction" | "inferred" | "operator";
    addedBy: string;
    addedAt: string;
    input: string;
    promptVersionId: string;
    predicted: string | null;
  }[];
  changes: { id: number; action: string; interactionId: string | null; actor: string; at: string }[];
}

/** The filters the triage page sends (empty ones are left out). */
export type TriageFilters = Partial<
  Record<
    "task" | "version" | "report" | "pattern" | "predicted" | "expected" | "reason" | "judgedBy" | "q",
    string
  >
>;

const read = async <T>(response: Response) => (await response.json()) as T;
const path = (value: string) => encodeURIComponent(value);

export const triageApi = {
  misclassifications: async (
    request: AdminRequest,
    filters: TriageFilters,
    offset: number,
    limit: number,
  ) => {
    const query = new URLSearchParams({ offset: String(offset), limit: String(limit) });
    for (const [key, value] of Object.entries(filters)) if (value) query.set(key, value);
    return read<MisclassificationPage>(await request(`/api/admin/misclassifications?${query.toString()}`));
  },
  interaction: async (request: AdminRequest, interactionId: string) =>
    read<InteractionDetail>(await request(`/api/admin/interactions/${path(interactionId)}`)),
  sets: async (request: AdminRequest, task?: string) =>
    (
      await read<{ sets: RegressionSetSummary[] }>(
        await request(`/api/admin/regression-sets${task ? `?task=${path(task)}` : ""}`),
      )
    ).sets,
  set: async (request: AdminRequest, setId: string) =>
    read<RegressionSetDetail>(await request(`/api/admin/regression-sets/${path(setId)}`)),
  createSet: async (request: AdminRequest, task: string, name: string) =>
    (
      await read<{ set: RegressionSetSummary }>(
        await request("/api/admin/regression-sets", { method: "POST", body: JSON.stringify({ task, name }) }),
      )
    ).set,
  putItem: async (request: AdminRequest, setId: string, interactionId: string, expectedLabel?: string) =>
    read<{ added: boolean; expectedLabel: string; expectedSource: string }>(
      await request(`/api/admin/regression-sets/${path(setId)}/items/${path(interactionId)}`, {
        method: "PUT",
        body: JSON.stringify(expectedLabel ? { expectedLabel } : {}),
      }),
    ),
  removeItem: async (request: AdminRequest, setId: string, interactionId: string) =>
    request(`/api/admin/regression-sets/${path(setId)}/items/${path(interactionId)}`, { method: "DELETE" }),
};
