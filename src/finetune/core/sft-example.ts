/**
 * One supervised fine-tuning example in the chat JSONL shape that common tools accept (OpenAI fine-tuning,
 * Hugging Face TRL's SFTTrainer, Axolotl's `chat_template` datasets): `{"messages": [{role, content}, …]}`, the
 * last message being the assistant's target. Pure.
 */
import { z } from "zod";

export const sftSources = ["correction", "edit", "high_quality"] as const;
/** Where an example came from: a corrected classification, a reply a user edited, or a reply users liked. */
export type SftSource = (typeof sftSources)[number];

export const sftMessageSchema = z.strictObject({
  role: z.enum(["system", "user", "assistant"]),
  content: z.string().min(1),
});

/** A written row: messages only (no ids, no session data), ending with the assistant's target. */
export const sftRowSchema = z
  .strictObject({ messages: z.array(sftMessageSchema).min(2) })
  .refine(
    (row) => row.messages.at(-1)?.role === "assistant",
    "the last message must be the assistant's target",
  )
  .refine((row) => row.messages.at(-2)?.role === "user", "the target must answer a user message");

export type SftMessage = z.infer<typeof sftMessageSchema>;
export type SftRow = z.infer<typeof sftRowSchema>;

/** An example before it is written: its row plus what the data card and the split need. */
export interface SftExample {
  row: SftRow;
  source: SftSource;
  task: string;
  promptVersionId: string;
  /** The classifier's gold label (corrections only). */
  label: string | null;
  /** When the interaction happened (epoch ms): the split is by time. */
  createdAt: number;
}

/** The row schema as JSON Schema (draft 2020-12), for docs and for validating a written file with any tool. */
export function sftRowJsonSchema(): Record<string, unknown> {
  return z.toJSONSchema(sftRowSchema, { target: "draft-2020-12" }) as Record<string, unknown>;
}
