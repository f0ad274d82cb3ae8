/** Where an item's expected label comes from: the user's correction, 👎 on a two-label task, or the operator. */
export type ExpectedLabelOrigin = "correction" | "inferred" | "operator";
export const expectedLabelOrigins = ["correction", "inferred", "operator"] as const;

/** A named set of interactions with the label each must get, which the replay gate and the playground replay. */
export interface RegressionSet {
  id: string;
  task: string;
  name: string;
  createdBy: string;
  createdAt: number;
  updatedAt: number;
  /** Items in the set. */
  items: number;
}

/** One interaction of a set, with what it must be labelled and (from the interaction) what to replay. */
export interface RegressionSetItem {
  interactionId: string;
  expectedLabel: string;
  expectedSource: ExpectedLabelOrigin;
  addedBy: string;
  addedAt: number;
  /** The interaction's (masked) input, the version that answered it and what it answered. */
  input: string;
  promptVersionId: string;
  predicted: string | null;
  createdAt: number;
}

export type RegressionSetAction = "create" | "rename" | "delete" | "add" | "relabel" | "remove";

/** One line of the sets' audit log. */
export interface RegressionSetChange {
  id: number;
  setId: string;
  action: RegressionSetAction;
  interactionId: string | null;
  detail: Record<string, unknown>;
  actor: string;
  at: number;
}

/** Who changes a set, and when: every change is written to the audit log in the same transaction. */
export interface ChangeContext {
  actor: string;
  at: number;
}

/**
 * Named regression sets on SQLite, PostgreSQL or in memory. Names are unique per task (a second one is a
 * CONFLICT); an item whose interaction is deleted (erasure, retention) leaves its sets with it.
 */
export interface RegressionSetStore {
  create(set: { id: string; task: string; name: string }, context: ChangeContext): Promise<RegressionSet>;
  get(id: string): Promise<RegressionSet | undefined>;
  findByName(task: string, name: string): Promise<RegressionSet | undefined>;
  /** Newest first; one task's when given. */
  list(task?: string): Promise<RegressionSet[]>;
  /** False when there is no such set. */
  rename(id: string, name: string, context: ChangeContext): Promise<boolean>;
  /** Deletes the set and its items (the audit log keeps the lines); false when there is no such set. */
  delete(id: string, context: ChangeContext): Promise<boolean>;
  /** Adds an item, or changes its expected label; `added` false when it was in the set already. */
  putItem(
    setId: string,
    item: { interactionId: string; expectedLabel: string; expectedSource: ExpectedLabelOrigin },
    context: ChangeContext,
  ): Promise<{ added: boolean }>;
  /** False when the interaction was not in the set. */
  removeItem(setId: string, interactionId: string, context: ChangeContext): Promise<boolean>;
  /** The set's items in the order they were added. */
  items(setId: string): Promise<RegressionSetItem[]>;
  /** The sets an interaction is in. */
  setsWith(interactionId: string): Promise<Array<Pick<RegressionSet, "id" | "task" | "name">>>;
  /** The audit log of one set, newest first. */
  changes(setId: string, limit: number): Promise<RegressionSetChange[]>;
}
