import fs from "node:fs/promises";
import path from "node:path";
import YAML from "yaml";
import { z } from "zod";
import { AppError } from "../errors.js";
import type { PromptDefinition } from "../tasks/prompt-definition.js";

const identifier = z.string().regex(/^[a-z][a-z0-9_-]{0,63}$/, "lower-case letters, digits, - and _");

const exampleSchema = z.object({ input: z.string().min(1), label: z.string().min(1) }).strict();

/** The shape of a `prompts/*.yaml` file. */
export const promptFileSchema = z
  .object({
    task: identifier,
    version: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/),
    kind: z.enum(["classifier", "generator"]),
    description: z.string().optional(),
    system: z.string().min(1),
    labels: z.array(z.string().min(1)).min(2).optional(),
    params: z
      .object({
        temperature: z.number().min(0).max(2).optional(),
        topP: z.number().gt(0).max(1).optional(),
        topK: z.number().int().min(0).optional(),
        repeatPenalty: z.number().min(1).max(2).optional(),
        maxTokens: z.number().int().min(1).max(4096).optional(),
      })
      .strict()
      .optional(),
    fewShot: z.array(exampleSchema).optional(),
    retrieval: z
      .object({
        method: z.literal("bm25"),
        tokenizer: z.string().min(1).optional(),
        minScore: z.number().min(0).optional(),
        k: z.number().int().min(1).max(16),
        k1: z.number().positive(),
        b: z.number().min(0).max(1),
        maxExampleChars: z.number().int().positive(),
        pool: z.array(exampleSchema),
      })
      .strict()
      .optional(),
  })
  .strict()
  .superRefine((file, ctx) => {
    if (file.kind === "classifier" && !file.labels) {
      ctx.addIssue({ code: "custom", message: "a classifier needs labels", path: ["labels"] });
    }
    if (file.labels && new Set(file.labels).size !== file.labels.length) {
      ctx.addIssue({ code: "custom", message: "labels must be unique", path: ["labels"] });
    }
    for (const [i, example] of [...(file.fewShot ?? []), ...(file.retrieval?.pool ?? [])].entries()) {
      if (file.labels && !file.labels.includes(example.label)) {
        ctx.addIssue({
          code: "custom",
          message: `example ${i} has unknown label ${example.label}`,
          path: ["fewShot"],
        });
      }
    }
  });

export type PromptFile = z.infer<typeof promptFileSchema>;

export function definitionFromPromptFile(file: PromptFile): PromptDefinition {
  const definition: PromptDefinition = {
    task: file.task,
    version: file.version,
    kind: file.kind,
    systemPrompt: file.system,
  };
  if (file.labels) definition.labels = file.labels;
  if (file.params)
    definition.params = Object.fromEntries(Object.entries(file.params).filter(([, v]) => v !== undefined));
  if (file.fewShot) definition.fewShot = file.fewShot;
  if (file.retrieval) {
    const { tokenizer, minScore, ...required } = file.retrieval;
    definition.retrieval = {
      ...required,
      ...(tokenizer !== undefined && { tokenizer }),
      ...(minScore !== undefined && { minScore }),
    };
  }
  if (file.description !== undefined) definition.description = file.description;
  return definition;
}

/** Parses one prompt file's text; errors name the file and every problem. */
export function parsePromptFile(text: string, fileName: string): PromptDefinition {
  let raw: unknown;
  try {
    raw = YAML.parse(text);
  } catch (error) {
    throw new AppError("CONFIG_INVALID", `${fileName}: not valid YAML: ${(error as Error).message}`, {
      cause: error,
    });
  }
  const parsed = promptFileSchema.safeParse(raw);
  if (!parsed.success) {
    const problems = parsed.error.issues
      .map((i) => `${i.path.join(".") || "(root)"}: ${i.message}`)
      .join("; ");
    throw new AppError("CONFIG_INVALID", `${fileName}: invalid prompt file: ${problems}`);
  }
  return definitionFromPromptFile(parsed.data);
}

/** Reads every `*.yaml`/`*.yml` file in a folder, in name order. */
export async function readPromptFiles(dir: string): Promise<PromptDefinition[]> {
  let names: string[];
  try {
    names = (await fs.readdir(dir)).filter((n) => /\.ya?ml$/.test(n)).sort();
  } catch (error) {
    throw new AppError("CONFIG_INVALID", `Cannot read PROMPTS_DIR ${dir}: ${(error as Error).message}`, {
      cause: error,
    });
  }
  const definitions: PromptDefinition[] = [];
  for (const name of names) {
    definitions.push(parsePromptFile(await fs.readFile(path.join(dir, name), "utf8"), name));
  }
  return definitions;
}
