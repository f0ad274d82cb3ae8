import { z } from "zod";
import { AppError } from "../errors.js";
import type { PromptDefinition } from "../tasks/prompt-definition.js";
import { describeSchemaIssue, schemaIssuePath } from "./describe-schema-issue.js";
import { parseYamlSource, YamlSyntaxError, type YamlSource } from "./registry-file/yaml-source.js";

const identifier = z.string().regex(/^[a-z][a-z0-9_-]{0,63}$/, "lower-case letters, digits, - and _");

const exampleSchema = z.object({ input: z.string().min(1), label: z.string().min(1) }).strict();

/** `adapter: {path, scale, sha256}` as files and the registry YAML write it. */
export const adapterSchema = z
  .object({
    path: z.string().min(1),
    scale: z.number().min(0).max(10).default(1),
    sha256: z.string().regex(/^[0-9a-f]{64}$/, "expected the adapter file's hex SHA-256"),
  })
  .strict();

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
    memory: z.enum(["on", "off"]).optional(),
    /** A LoRA adapter GGUF (docs/lora.md); `prompts create --adapter` fills in the SHA-256. */
    adapter: adapterSchema.optional(),
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
  if (file.memory !== undefined) definition.memory = file.memory;
  if (file.adapter) definition.adapter = file.adapter;
  if (file.description !== undefined) definition.description = file.description;
  return definition;
}

/** Parses one prompt file's text; errors name the file, and the line and path of every problem. */
export function parsePromptFile(text: string, fileName: string): PromptDefinition {
  let source: YamlSource;
  try {
    source = parseYamlSource(text);
  } catch (error) {
    if (!(error instanceof YamlSyntaxError)) throw error;
    throw new AppError(
      "CONFIG_INVALID",
      `${fileName}:${error.line}: not valid YAML at column ${error.column}: ${error.message}`,
      { cause: error },
    );
  }
  const parsed = promptFileSchema.safeParse(source.value);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => {
      const path = schemaIssuePath(issue);
      const line = source.lineOf(path);
      const where = `${fileName}${line === null ? "" : `:${line}`}`;
      return `${where}: ${path.map(String).join(".") || "(root)"}: ${describeSchemaIssue(issue, Object.keys(promptFileSchema.shape))}`;
    });
    throw new AppError("CONFIG_INVALID", `invalid prompt file:\n  ${problems.join("\n  ")}`, {
      details: { problems },
    });
  }
  return definitionFromPromptFile(parsed.data);
}
