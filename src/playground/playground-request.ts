import { z } from "zod";

/** Most inputs one playground run takes (each runs twice: once per version). */
export const maxPlaygroundInputs = 50;

const versionIdPattern = /^[a-z][a-z0-9_-]{0,63}@[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

/** The one definition of a playground request; the route's JSON schema is derived from it. */
export function playgroundRequestSchema(limits: { maxInputChars: number; maxReplyTokens: number }) {
  const versionId = z.string().regex(versionIdPattern).describe("<task>@<version>, e.g. sentiment@v2");
  return z.strictObject({
    versionId: versionId.describe("The version to try (a draft, or any version of the task)"),
    baselineId: versionId
      .optional()
      .describe("The version it runs beside; default: the task's active version"),
    inputs: z
      .array(
        z.strictObject({
          input: z.string().min(1).max(limits.maxInputChars),
          expected: z
            .string()
            .min(1)
            .max(200)
            .optional()
            .describe(
              "The right label (from a labelled set): the summary then gives each version's accuracy",
            ),
        }),
      )
      .min(1)
      .max(maxPlaygroundInputs),
    maxTokens: z
      .int()
      .min(1)
      .max(limits.maxReplyTokens)
      .optional()
      .describe("Reply limit for a generator (at most MAX_REPLY_TOKENS)"),
    stream: z
      .boolean()
      .optional()
      .describe("true: text/event-stream of start, row (one per input), summary, or error events"),
  });
}

export type PlaygroundRequest = z.infer<ReturnType<typeof playgroundRequestSchema>>;

/** An example body for the OpenAPI page. */
export const playgroundRequestExample: PlaygroundRequest = {
  versionId: "sentiment@v2",
  inputs: [{ input: "物流很快,但是味道一般,有点失望", expected: "负面" }, { input: "服务态度好,下次还来" }],
  stream: false,
};

/** The JSON schema Fastify validates the body with (and OpenAPI publishes), derived from the zod one. */
export function playgroundRequestJsonSchema(limits: {
  maxInputChars: number;
  maxReplyTokens: number;
}): Record<string, unknown> {
  const { $schema: _dialect, ...schema } = z.toJSONSchema(playgroundRequestSchema(limits), {
    target: "draft-7",
    io: "input",
  });
  return { ...schema, examples: [playgroundRequestExample] };
}
