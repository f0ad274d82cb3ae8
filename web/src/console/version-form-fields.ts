import type { VersionView } from "./console-api.js";

/** What the create-version form edits, as text the operator types. */
export interface VersionFormState {
  version: string;
  system: string;
  /** Comma-separated class labels (classifiers). */
  labels: string;
  fewShot: { input: string; label: string }[];
  /** JSON object text; "" = none. */
  params: string;
  /** JSON object text; "" = none. */
  retrieval: string;
  description: string;
  changelog: string;
}

/** POST /api/admin/prompts body: the task, the name, the parent, and only the fields that differ from it. */
export interface CreateVersionBody {
  task: string;
  version: string;
  parentId: string;
  system?: string;
  labels?: string[];
  fewShot?: { input: string; label: string }[];
  params?: Record<string, unknown>;
  retrieval?: Record<string, unknown>;
  description?: string;
  changelog: { summary: string };
}

export type FormProblem = { kind: "json"; field: "params" | "retrieval" } | { kind: "changelog" };

/** The next free `v<n>` among a task's version names (v1, v2, v10 → v11); `v2` when none is numbered. */
export function nextVersionName(taken: readonly string[]): string {
  const numbers = taken.map((name) => /^v(\d+)$/.exec(name)?.[1]).filter((n) => n !== undefined);
  const highest = Math.max(1, ...numbers.map(Number));
  return `v${highest + 1}`;
}

const jsonText = (value: unknown) => (value === undefined ? "" : JSON.stringify(value, null, 2));

/** The form filled with every field of the parent, named after the task's next free version. */
export function formFromParent(parent: VersionView, taskVersions: readonly string[]): VersionFormState {
  const definition = parent.definition;
  return {
    version: nextVersionName(taskVersions),
    system: definition.systemPrompt,
    labels: definition.labels?.join(", ") ?? "",
    fewShot: (definition.fewShot ?? []).map((example) => ({ ...example })),
    params: jsonText(definition.params),
    retrieval: jsonText(definition.retrieval),
    description: "",
    changelog: "",
  };
}

function parseObject(text: string): Record<string, unknown> | undefined | null {
  if (text.trim() === "") return undefined;
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === "object" && value !== null && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : null;
  } catch {
    return null;
  }
}

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/**
 * The request body for the form, or what is wrong with it. Only fields that differ from the parent are sent
 * (the server takes the rest from it), so an untouched form reaches the server as "no change" and is refused.
 */
export function createBodyOf(
  parent: VersionView,
  form: VersionFormState,
): { body: CreateVersionBody } | { problem: FormProblem } {
  const definition = parent.definition;
  if (form.changelog.trim() === "") return { problem: { kind: "changelog" } };
  const params = parseObject(form.params);
  if (params === null) return { problem: { kind: "json", field: "params" } };
  const retrieval = parseObject(form.retrieval);
  if (retrieval === null) return { problem: { kind: "json", field: "retrieval" } };
  const labels = form.labels
    .split(/[,，]/)
    .map((label) => label.trim())
    .filter((label) => label !== "");
  const fewShot = form.fewShot
    .map((example) => ({ input: example.input.trim(), label: example.label.trim() }))
    .filter((example) => example.input !== "" && example.label !== "");
  const body: CreateVersionBody = {
    task: parent.task,
    version: form.version.trim(),
    parentId: parent.id,
    changelog: { summary: form.changelog.trim() },
  };
  if (form.system !== definition.systemPrompt) body.system = form.system;
  if (definition.labels && !same(labels, definition.labels)) body.labels = labels;
  if (!same(fewShot, definition.fewShot ?? [])) body.fewShot = fewShot;
  if (params !== undefined && !same(params, definition.params)) body.params = params;
  if (retrieval !== undefined && !same(retrieval, definition.retrieval)) body.retrieval = retrieval;
  if (form.description.trim() !== "") body.description = form.description.trim();
  return { body };
}
