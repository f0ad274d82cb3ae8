import { z } from "zod";
import { promptFileSchema } from "./prompt-file.js";

/** The version and task keys: the same rules as a prompt file's `version` and `task`. */
const versionKey = promptFileSchema.shape.version;
const taskKey = promptFileSchema.shape.task;

/**
 * One version in the mapping form: a prompt file's fields (kind, system, labels, params, fewShot, retrieval,
 * description) plus the registry's metadata. Everything a version is, so export → import loses nothing.
 */
export const registryEntrySchema = z
  .object({
    kind: z.enum(["classifier", "generator"]),
    system: z.string().min(1),
    labels: z.array(z.string().min(1)).optional(),
    params: z.record(z.string(), z.unknown()).optional(),
    fewShot: z.array(z.unknown()).optional(),
    retrieval: z.record(z.string(), z.unknown()).optional(),
    description: z.string().optional(),
    /** The full id (`sentiment@v1`) of the version this one was derived from. */
    parent: z.string().min(1).nullable().optional(),
    source: z.enum(["file", "human", "analysis"]).optional(),
    /** What changed and why, with evidence. */
    changelog: z.record(z.string(), z.unknown()).optional(),
    createdAt: z.iso.datetime({ offset: true }).optional(),
    /** Informative on export; restored on import only into a task that has no labels yet. */
    status: z.enum(["active", "canary", "pending_retirement", "retired", "draft"]).optional(),
  })
  .strict();

/**
 * `prompts: <version>: <task>: <entry>`, the write-up's shape (`prompts: v1: sentiment: "..."`). An entry is
 * either the system prompt as a string (everything else taken from the task's previous version) or a mapping.
 */
export const registryDocumentSchema = z
  .object({
    prompts: z.record(versionKey, z.record(taskKey, z.union([z.string().min(1), registryEntrySchema]))),
  })
  .strict();

export type RegistryEntry = z.infer<typeof registryEntrySchema>;
export type RegistryDocument = z.infer<typeof registryDocumentSchema>;
