import { z } from "zod";
import { AppError } from "../errors.js";
import type { PromptDefinition, TaskFeedbackSettings } from "../tasks/prompt-definition.js";
import { describeSchemaIssue, schemaIssuePath } from "./describe-schema-issue.js";
import { parseYamlSource, YamlSyntaxError, type YamlSource } from "./registry-file/yaml-source.js";
import { correctionReasons } from "../feedback/feedback-types.js";

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

/** The task kinds; anything else stops the start with a message naming the file and `kind`. */
export const taskKindSchema = z.enum(["classifier", "generator"], {
  error: (issue) => `unknown kind ${JSON.stringify(issue.input)}: must be "classifier" or "generator"`,
});

/** A classifier's labels: two or more, any language; uniqueness is checked with the rest of the file. */
export const labelsSchema = z
  .array(z.string().min(1, "a label may not be empty").max(100))
  .min(2, "a classifier needs at least two labels")
  .max(200);

/** The feedback widgets a task declares (see TaskFeedbackSettings). */
export const taskFeedbackSchema = z
  .object({
    confirm: z.boolean().optional(),
    correct: z.boolean().optional(),
    reasons: z.array(z.enum(correctionReasons)).optional(),
    reasonNames: z
      .partialRecord(
        z.enum(correctionReasons),
        z.object({ zh: z.string().min(1).max(40), en: z.string().min(1).max(40) }).strict(),
      )
      .optional(),
    askAnswerCorrectWhen: z.string().min(1).optional(),
    rating: z.boolean().optional(),
    edit: z.boolean().optional(),
  })
  .strict();

/** The shape of a `prompts/*.yaml` file. */
export const promptFileSchema = z
  .object({
    task: identifier,
    version: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/),
    kind: taskKindSchema,
    description: z.string().optional(),
    system: z.string().min(1),
    labels: labelsSchema.optional(),
    flagLabels: z.array(z.string().min(1)).min(1).optional(),
    feedback: taskFeedbackSchema.optional(),
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
  .superRefine((file, ctx) => checkTaskFields(file, ctx));

/** The task-level rules a schema cannot express field by field; shared with the registry's YAML entries. */
export function checkTaskFields(
  file: {
    kind: "classifier" | "generator";
    labels?: string[] | undefined;
    flagLabels?: string[] | undefined;
    feedback?: z.infer<typeof taskFeedbackSchema> | undefined;
    fewShot?: Array<{ label: string }> | undefined;
    retrieval?: { pool: Array<{ label: string }> } | undefined;
  },
  ctx: z.RefinementCtx,
): void {
  const issue = (path: Array<string | number>, message: string) =>
    ctx.addIssue({ code: "custom", message, path });
  const { labels, feedback } = file;
  if (file.kind === "classifier" && !labels) issue(["labels"], "a classifier needs labels (two or more)");
  if (file.kind === "generator") {
    if (labels) issue(["labels"], "a generator has no labels");
    if (file.flagLabels) issue(["flagLabels"], "only a classifier can flag");
    for (const key of ["confirm", "correct", "reasons", "reasonNames", "askAnswerCorrectWhen"] as const) {
      if (feedback?.[key] !== undefined) issue(["feedback", key], "only applies to a classifier");
    }
  } else {
    for (const key of ["rating", "edit"] as const) {
      if (feedback?.[key] !== undefined) issue(["feedback", key], "only applies to a generator");
    }
  }
  if (!labels) return;
  const duplicates = labels.filter((label, i) => labels.indexOf(label) !== i);
  if (duplicates.length > 0) {
    issue(["labels"], `labels must be unique; repeated: ${[...new Set(duplicates)].join(", ")}`);
  }
  const known = (label: string) => labels.includes(label);
  for (const label of file.flagLabels ?? []) {
    if (!known(label)) issue(["flagLabels"], `"${label}" is not one of the labels`);
  }
  if (file.flagLabels && file.flagLabels.length >= labels.length) {
    issue(["flagLabels"], "at least one label must not flag");
  }
  const offered = feedback?.reasons;
  for (const reason of Object.keys(feedback?.reasonNames ?? {})) {
    if (offered && !offered.includes(reason as (typeof offered)[number])) {
      issue(["feedback", "reasonNames", reason], `"${reason}" is not one of the task's reasons`);
    }
  }
  const asked = feedback?.askAnswerCorrectWhen;
  if (asked !== undefined && !known(asked)) {
    issue(["feedback", "askAnswerCorrectWhen"], `"${asked}" is not one of the labels`);
  }
  for (const [i, example] of (file.fewShot ?? []).entries()) {
    if (!known(example.label)) issue(["fewShot", i], `example ${i} has unknown label ${example.label}`);
  }
  for (const [i, example] of (file.retrieval?.pool ?? []).entries()) {
    if (!known(example.label)) {
      issue(["retrieval", "pool", i], `example ${i} has unknown label ${example.label}`);
    }
  }
}

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
  if (file.flagLabels) definition.flagLabels = file.flagLabels;
  if (file.feedback) {
    definition.feedback = Object.fromEntries(
      Object.entries(file.feedback).filter(([, v]) => v !== undefined),
    ) as TaskFeedbackSettings;
  }
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
