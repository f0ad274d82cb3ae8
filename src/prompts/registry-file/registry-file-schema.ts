import { z } from "zod";
import { promptFileSchema } from "../prompt-file.js";
import { acceptedStatusNames, statusFromName } from "./status-names.js";

/** The keys a version's mapping may have, for messages. */
export const entryKeys = [
  "kind",
  "system",
  "system_prompt",
  "labels",
  "params",
  "fewShot",
  "retrieval",
  "memory",
  "adapter",
  "flagLabels",
  "feedback",
  "description",
  "parent",
  "source",
  "changelog",
  "createdAt",
  "status",
] as const;

const statusName = z.string().refine((name) => statusFromName(name) !== null, {
  message: `expected one of ${acceptedStatusNames.join(", ")}`,
});

/**
 * One version in the mapping form: a prompt file's fields (kind, system, labels, params, fewShot, retrieval,
 * description) plus the registry's metadata. Everything a version is, so export → import loses nothing.
 * Hand-written files may leave out `kind` (inferred), write `system_prompt` for `system`, a text `changelog`, and
 * Chinese status names (status-names.ts).
 */
export const registryEntrySchema = z
  .object({
    kind: z.enum(["classifier", "generator"]).optional(),
    system: z.string().min(1, "expected a non-empty system prompt").optional(),
    /** Alias of `system`, as some prompt libraries write it. */
    system_prompt: z.string().min(1, "expected a non-empty system prompt").optional(),
    labels: z.array(z.string().min(1)).optional(),
    params: z.record(z.string(), z.unknown()).optional(),
    fewShot: z.array(z.unknown()).optional(),
    retrieval: z.record(z.string(), z.unknown()).optional(),
    memory: z.enum(["on", "off"]).optional(),
    /** A LoRA adapter: `{path, scale, sha256}` (docs/lora.md). */
    adapter: z.record(z.string(), z.unknown()).optional(),
    /** A classifier's labels that flag an input (moderation); see prompt files. */
    flagLabels: z.array(z.string()).optional(),
    /** The feedback widgets the task declares; see prompt files. */
    feedback: z.record(z.string(), z.unknown()).optional(),
    description: z.string().optional(),
    /** The full id (`sentiment@v1`) of the version this one was derived from. */
    parent: z.string().min(1).nullable().optional(),
    source: z.enum(["file", "human", "analysis"]).optional(),
    /** What changed and why: a text (stored as `{summary}`) or a mapping with evidence. */
    changelog: z
      .union([z.string(), z.record(z.string(), z.unknown())], {
        error: "expected a text or a mapping (summary, evidence, …)",
      })
      .optional(),
    createdAt: z.iso
      .datetime({ offset: true, error: "expected an ISO date-time such as 2026-05-01T08:00:00Z" })
      .optional(),
    /** Informative on export; restored on import only into a task that has no labels yet. English or Chinese. */
    status: statusName.optional(),
  })
  .strict()
  .superRefine((entry, ctx) => {
    if (entry.system !== undefined && entry.system_prompt !== undefined) {
      ctx.addIssue({
        code: "custom",
        message: "give system or system_prompt, not both",
        path: ["system_prompt"],
      });
    }
    if (entry.system === undefined && entry.system_prompt === undefined) {
      ctx.addIssue({
        code: "custom",
        message: "expected system (or system_prompt): the prompt's text",
        path: [],
      });
    }
  });

export type RegistryEntry = z.infer<typeof registryEntrySchema>;

/** The version and task keys: the same rules as a prompt file's `version` and `task`. */
export const versionKeySchema = promptFileSchema.shape.version;
export const taskKeySchema = promptFileSchema.shape.task;

/** An entry as export writes it (canonical keys; the recorded shape may rename some, see export-registry-file.ts). */
export interface ExportedEntry {
  kind: "classifier" | "generator";
  system?: string;
  system_prompt?: string;
  labels?: string[];
  params?: Record<string, unknown>;
  fewShot?: unknown[];
  retrieval?: Record<string, unknown>;
  memory?: "on" | "off";
  adapter?: Record<string, unknown>;
  flagLabels?: string[];
  feedback?: Record<string, unknown>;
  description?: string;
  parent: string | null;
  source: string;
  changelog: string | Record<string, unknown>;
  createdAt: string;
  status: string;
}

/** `prompts: <version>: <task>: <entry>`, the write-up's shape (`prompts: v1: sentiment: "..."`). */
export interface RegistryDocument {
  prompts: Record<string, Record<string, ExportedEntry>>;
}
