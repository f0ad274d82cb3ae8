/**
 * `promptloop export --format sft`: reads the interaction store in creation order, keeps the interactions that
 * teach something (corrections, edits, well-received replies), and writes `train.jsonl`, `validation.jsonl`,
 * `data-card.json` and `sft-row.schema.json` into a directory.
 */
import fs from "node:fs";
import path from "node:path";
import { AppError } from "../errors.js";
import type { InteractionQuery, InteractionStore } from "../feedback/store/interaction-store.js";
import { redactPersonalData } from "../feedback/redact-personal-data.js";
import type { PromptStore } from "../prompts/store/prompt-store.js";
import type { PromptDefinition } from "../tasks/prompt-definition.js";
import { sftDataCard, type SftDataCard } from "./core/sft-data-card.js";
import { sftRowJsonSchema, type SftExample } from "./core/sft-example.js";
import { sftExamplesOf } from "./core/sft-examples-of.js";
import { splitSftExamples } from "./core/split-sft-examples.js";

export interface SftExportOptions {
  outDir: string;
  task?: string;
  since?: number;
  minQuality: number;
  validationShare: number;
  now: number;
  /** Called every 1,000 interactions read. */
  onProgress?: (read: number) => void;
}

export interface SftExportResult {
  files: { train: string; validation: string; dataCard: string; schema: string };
  card: SftDataCard;
  interactionsRead: number;
}

export const sftFileNames = {
  train: "train.jsonl",
  validation: "validation.jsonl",
  dataCard: "data-card.json",
  schema: "sft-row.schema.json",
} as const;

function prepareOutDir(outDir: string): void {
  if (fs.existsSync(outDir)) {
    if (!fs.statSync(outDir).isDirectory()) {
      throw new AppError("VALIDATION_FAILED", `--out ${outDir} is a file; the SFT export writes a directory`);
    }
    const clashes = Object.values(sftFileNames).filter((name) => fs.existsSync(path.join(outDir, name)));
    if (clashes.length > 0) {
      throw new AppError(
        "VALIDATION_FAILED",
        `--out ${outDir} already holds ${clashes.join(", ")}; choose an empty directory`,
      );
    }
  }
  fs.mkdirSync(outDir, { recursive: true, mode: 0o700 });
}

export async function exportSft(
  stores: { interactions: InteractionStore; prompts: PromptStore },
  options: SftExportOptions,
): Promise<SftExportResult> {
  prepareOutDir(options.outDir);
  const definitions = new Map<string, PromptDefinition | null>();
  const definitionOf = async (versionId: string) => {
    if (!definitions.has(versionId)) {
      definitions.set(versionId, (await stores.prompts.getVersion(versionId))?.definition ?? null);
    }
    return definitions.get(versionId) ?? null;
  };
  const query: InteractionQuery = {
    ...(options.task !== undefined && { task: options.task }),
    ...(options.since !== undefined && { since: options.since }),
  };
  const examples: SftExample[] = [];
  let read = 0;
  for await (const { interaction, events } of stores.interactions.streamWithFeedback(query)) {
    read += 1;
    if (read % 1000 === 0) options.onProgress?.(read);
    if (events.length === 0) continue;
    const definition = await definitionOf(interaction.promptVersionId);
    if (!definition) continue;
    examples.push(
      ...sftExamplesOf({ ...interaction, events }, definition, {
        minQuality: options.minQuality,
        mask: redactPersonalData,
      }),
    );
  }
  const split = splitSftExamples(examples, options.validationShare);
  const card = sftDataCard(
    split,
    {
      task: options.task ?? null,
      since: options.since === undefined ? null : new Date(options.since).toISOString(),
      minQuality: options.minQuality,
      validationShare: options.validationShare,
    },
    options.now,
  );
  const files = {
    train: path.join(options.outDir, sftFileNames.train),
    validation: path.join(options.outDir, sftFileNames.validation),
    dataCard: path.join(options.outDir, sftFileNames.dataCard),
    schema: path.join(options.outDir, sftFileNames.schema),
  };
  const lines = (part: SftExample[]) => part.map((example) => `${JSON.stringify(example.row)}\n`).join("");
  const write = (file: string, text: string) => fs.writeFileSync(file, text, { mode: 0o600 });
  write(files.train, lines(split.train));
  write(files.validation, lines(split.validation));
  write(files.dataCard, `${JSON.stringify(card, null, 2)}\n`);
  write(files.schema, `${JSON.stringify(sftRowJsonSchema(), null, 2)}\n`);
  return { files, card, interactionsRead: read };
}
