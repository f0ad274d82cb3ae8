import { AppError } from "../../errors.js";
import type { InteractionStore } from "../../feedback/store/interaction-store.js";
import type {
  ChangeContext,
  ExpectedLabelOrigin,
  RegressionSet,
  RegressionSetAction,
  RegressionSetChange,
  RegressionSetItem,
  RegressionSetStore,
} from "./regression-set-store.js";

interface StoredItem {
  interactionId: string;
  expectedLabel: string;
  expectedSource: ExpectedLabelOrigin;
  addedBy: string;
  addedAt: number;
}

/**
 * The RegressionSetStore in memory (createTestServices). Items whose interaction is gone from `interactions` are
 * left out, as the SQL store's foreign key deletes them.
 */
export function createInMemoryRegressionSetStore(
  interactions: Pick<InteractionStore, "get">,
): RegressionSetStore {
  const sets = new Map<string, Omit<RegressionSet, "items"> & { entries: Map<string, StoredItem> }>();
  const changes: RegressionSetChange[] = [];
  const log = (
    setId: string,
    action: RegressionSetAction,
    context: ChangeContext,
    detail: Record<string, unknown> = {},
    interactionId: string | null = null,
  ) =>
    changes.push({
      id: changes.length + 1,
      setId,
      action,
      interactionId,
      detail,
      actor: context.actor,
      at: context.at,
    });
  const liveItems = async (setId: string): Promise<RegressionSetItem[]> => {
    const items: RegressionSetItem[] = [];
    for (const entry of sets.get(setId)?.entries.values() ?? []) {
      const interaction = await interactions.get(entry.interactionId);
      if (interaction === undefined) continue;
      items.push({
        ...entry,
        input: interaction.input,
        promptVersionId: interaction.promptVersionId,
        predicted: interaction.label,
        createdAt: interaction.createdAt,
      });
    }
    return items;
  };
  const view = async (id: string): Promise<RegressionSet | undefined> => {
    const set = sets.get(id);
    if (set === undefined) return undefined;
    const { entries: _entries, ...rest } = set;
    return { ...rest, items: (await liveItems(id)).length };
  };
  const nameTaken = (task: string, name: string) =>
    [...sets.values()].some((set) => set.task === task && set.name === name);
  return {
    async create(set, context) {
      if (sets.has(set.id) || nameTaken(set.task, set.name)) {
        throw new AppError("CONFLICT", `A regression set ${set.task}/${set.name} exists already`);
      }
      sets.set(set.id, {
        ...set,
        createdBy: context.actor,
        createdAt: context.at,
        updatedAt: context.at,
        entries: new Map(),
      });
      log(set.id, "create", context, { task: set.task, name: set.name });
      return (await view(set.id))!;
    },
    get: view,
    async findByName(task, name) {
      const found = [...sets.values()].find((set) => set.task === task && set.name === name);
      return found && view(found.id);
    },
    async list(task) {
      const chosen = [...sets.values()]
        .filter((set) => task === undefined || set.task === task)
        .sort((a, b) => b.createdAt - a.createdAt || (a.id < b.id ? 1 : -1));
      return Promise.all(chosen.map(async (set) => (await view(set.id))!));
    },
    async rename(id, name, context) {
      const set = sets.get(id);
      if (set === undefined) return false;
      if (set.name !== name && nameTaken(set.task, name)) {
        throw new AppError("CONFLICT", `A regression set ${set.task}/${name} exists already`);
      }
      log(id, "rename", context, { from: set.name, to: name });
      Object.assign(set, { name, updatedAt: context.at });
      return true;
    },
    async delete(id, context) {
      const set = sets.get(id);
      if (set === undefined) return false;
      sets.delete(id);
      log(id, "delete", context, { task: set.task, name: set.name });
      return true;
    },
    async putItem(setId, item, context) {
      const set = sets.get(setId);
      if (set === undefined) throw new Error(`no regression set ${setId}`);
      if ((await interactions.get(item.interactionId)) === undefined) {
        throw new Error(`no interaction ${item.interactionId}`);
      }
      const existing = set.entries.get(item.interactionId);
      const detail = { expectedLabel: item.expectedLabel, expectedSource: item.expectedSource };
      if (existing?.expectedLabel === item.expectedLabel && existing.expectedSource === item.expectedSource) {
        return { added: false };
      }
      if (existing === undefined) {
        set.entries.set(item.interactionId, { ...item, addedBy: context.actor, addedAt: context.at });
        log(setId, "add", context, detail, item.interactionId);
      } else {
        log(setId, "relabel", context, { ...detail, from: existing.expectedLabel }, item.interactionId);
        Object.assign(existing, detail);
      }
      set.updatedAt = context.at;
      return { added: existing === undefined };
    },
    async removeItem(setId, interactionId, context) {
      const set = sets.get(setId);
      if (set === undefined || !set.entries.delete(interactionId)) return false;
      log(setId, "remove", context, {}, interactionId);
      set.updatedAt = context.at;
      return true;
    },
    items: liveItems,
    async setsWith(interactionId) {
      return [...sets.values()]
        .filter((set) => set.entries.has(interactionId))
        .map((set) => ({ id: set.id, task: set.task, name: set.name }))
        .sort((a, b) => (a.name < b.name ? -1 : 1));
    },
    async changes(setId, limit) {
      return changes
        .filter((change) => change.setId === setId)
        .reverse()
        .slice(0, limit);
    },
  };
}
