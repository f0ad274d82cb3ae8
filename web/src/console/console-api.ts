import type { ExperimentRow } from "../dashboard/dashboard-data.js";
import type { AdminRequest } from "../dashboard/dashboard-data.js";
import type { ReplayVerdict } from "../i18n/replay-words.js";
import type { LabelMoveReasonParams } from "../../../src/prompts/store/prompt-store.js";

/** GET /api/admin/analysis/status. */
export interface AnalysisStatus {
  running: { trigger: string; startedAt: string; progress: AnalysisProgress | null } | null;
  last: {
    trigger: string;
    finishedAt: string;
    outcome: "completed" | "skipped" | "failed";
    reportId: string | null;
    error: string | null;
  } | null;
}

export type AnalysisProgress =
  | { phase: "stream"; done: number; total: number }
  | { phase: "rewrite"; task: string }
  | { phase: "replay"; done: number; total: number; task: string };

/** One line of GET /api/admin/reports. */
export interface ReportListing {
  id: string;
  trigger: string;
  replayed: boolean;
  startedAt: string;
  finishedAt: string | null;
  tasks: { task: string; decision: "create_draft" | "no_change"; versionId?: string; reason: string }[];
  drafts: { task: string; versionId: string; created: boolean }[];
  links: { json: string; md: string; html: string };
}

export interface Bilingual {
  en: string;
  zh: string;
}

/** The parts of a stored report (GET /api/admin/reports/:id) the console shows; the HTML page has the rest. */
export interface ReportDocument {
  id: string;
  generatedAt: number;
  interactions: number;
  feedbackEvents: number;
  tasks: {
    task: string;
    currentVersionId: string | null;
    trigger: { fire: boolean; explanation?: Bilingual };
    mining: {
      patterns: {
        id: string;
        title: string;
        support: number;
        errorSupport: number;
        errorRate: number;
        lift: number;
      }[];
    } | null;
    candidates: { candidate: { strategy: string }; replay: ReplayVerdict | null }[];
    recommendation: { decision: string; reason: Bilingual; versionId?: string };
    confidence: { level?: string; score?: number } & Record<string, unknown>;
  }[];
}

/** GET /api/admin/prompts and /api/admin/prompts/:id. */
export interface VersionView {
  id: string;
  task: string;
  version: string;
  kind: string;
  status: string;
  labels: string[];
  source: string;
  parentId: string | null;
  changelog: Record<string, unknown>;
  contentHash: string;
  createdAt: string;
  retiredAt: string | null;
  definition: {
    systemPrompt: string;
    labels?: string[];
    fewShot?: { input: string; label: string }[];
    retrieval?: unknown;
    params?: Record<string, unknown>;
    description?: string;
  } & Record<string, unknown>;
}

export interface LabelMoveView {
  label: string;
  fromVersionId: string | null;
  toVersionId: string | null;
  actor: string;
  /** The recorded sentence (English). */
  reason: string;
  /** The rollout's reason code and its facts; null on moves recorded before codes were stored. */
  reasonCode: string | null;
  reasonParams: LabelMoveReasonParams | null;
  /** epoch ms */
  createdAt: number;
}

/** GET /api/admin/prompts/diff. */
export interface VersionDiff {
  from: string;
  to: string;
  sameBehaviour: boolean;
  systemPrompt: string;
  changedFields: { field: string; from: unknown; to: unknown }[];
}

const json = async <T>(response: Response) => (await response.json()) as T;
const id = (value: string) => encodeURIComponent(value);

export const consoleApi = {
  status: async (request: AdminRequest) => json<AnalysisStatus>(await request("/api/admin/analysis/status")),
  startRun: async (request: AdminRequest) =>
    json<AnalysisStatus>(await request("/api/admin/analysis/runs", { method: "POST" })),
  reports: async (request: AdminRequest) =>
    (await json<{ reports: ReportListing[] }>(await request("/api/admin/reports?limit=20"))).reports,
  report: async (request: AdminRequest, reportId: string) =>
    json<ReportDocument>(await request(`/api/admin/reports/${id(reportId)}?format=json`)),
  versions: async (request: AdminRequest) =>
    (await json<{ versions: VersionView[] }>(await request("/api/admin/prompts"))).versions,
  version: async (request: AdminRequest, versionId: string) =>
    json<{ version: VersionView; moves: LabelMoveView[] }>(
      await request(`/api/admin/prompts/${id(versionId)}`),
    ),
  diff: async (request: AdminRequest, from: string, to: string) =>
    json<VersionDiff>(await request(`/api/admin/prompts/diff?from=${id(from)}&to=${id(to)}`)),
  versionAction: async (
    request: AdminRequest,
    versionId: string,
    action: "start-canary" | "promote" | "rollback" | "retire",
    reason: string,
    force = false,
  ) => {
    await request(`/api/admin/prompts/${id(versionId)}/${action}`, {
      method: "POST",
      body: JSON.stringify(force ? { reason, force: true } : { reason }),
    });
  },
  experiments: async (request: AdminRequest) =>
    (await json<{ experiments: ExperimentRow[] }>(await request("/api/admin/rollouts?decisions=200")))
      .experiments,
};
