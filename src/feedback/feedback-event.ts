/**
 * The one definition of a feedback event. Everything else is derived from these zod schemas: the body of
 * POST /api/feedback and its JSON schema (request validation and OpenAPI), the stored event and its payload type,
 * the analysis core's input, and the types the web app sends.
 */
import { z } from "zod";
import { sessionIdPattern } from "./session-units.js";
import {
  correctionReasons,
  maxReplyCommentChars,
  replyReasons,
  type FeedbackType,
} from "./feedback-types.js";

export { correctionReasons, feedbackTypes, replyReasons, type FeedbackType } from "./feedback-types.js";

/** The longest implicit-signal duration accepted: one day. */
const maxDurationMs = 86_400_000;
const duration = z.number().int().min(0).max(maxDurationMs);

/**
 * What each type of event carries. `reply_edit` text is limited by MAX_INPUT_CHARS, which only the HTTP schema
 * knows; stored text (masked for personal data) is read back without that limit.
 */
function payloadSchemas(maxTextChars?: number) {
  const text = maxTextChars === undefined ? z.string() : z.string().min(1).max(maxTextChars);
  return {
    /**
     * 👍 / 👎 on a classification. A user may change their mind: each change is a new event and the latest counts.
     * `withdrawn: true` undoes the user's earlier verdict and correction (`correct` names the verdict undone).
     */
    label_confirm: z.object({ correct: z.boolean(), withdrawn: z.literal(true).optional() }),
    /** The label the user says is right, with optional reasons. */
    label_correct: z.object({
      label: z.string().min(1).max(100),
      reasons: z
        .array(z.enum(correctionReasons))
        .max(10)
        .refine((reasons) => new Set(reasons).size === reasons.length, "reasons must not repeat")
        .meta({ uniqueItems: true })
        .optional(),
    }),
    /** 1–5 stars on a reply. */
    rating: z.object({ score: z.number().int().min(1).max(5) }),
    /** The user's own version of a reply. */
    reply_edit: z.object({ text }),
    /** "答案正确吗?" under a reply to a factual question (qa-check): was the answer correct? */
    answer_correct: z.object({ correct: z.boolean() }),
    /** How long the result stayed in view. */
    dwell: z.object({ ms: duration }),
    /** The user left right after the result. */
    exit: z.object({}),
    /** The user asked again; `afterMs` after the result. */
    follow_up: z.object({ afterMs: duration.optional() }),
    /** The user copied the result. */
    copy: z.object({}),
    /**
     * 👎 on a reply with what was wrong: reason chips and an optional comment. Editable: the latest event counts;
     * an empty `reasons` list without a comment withdraws it.
     */
    reply_reason: z.object({
      reasons: z
        .array(z.enum(replyReasons))
        .max(replyReasons.length)
        .refine((reasons) => new Set(reasons).size === reasons.length, "reasons must not repeat")
        .meta({ uniqueItems: true }),
      comment: z.string().max(maxReplyCommentChars).optional(),
    }),
  } satisfies Record<FeedbackType, z.ZodObject>;
}

const storedPayloads = payloadSchemas();
const bodyOf = <T extends FeedbackType, P extends z.ZodObject>(type: T, payload: P) =>
  z.object({ type: z.literal(type), payload });
/** A type with its payload, as stored: what the database's JSON is checked against when it is read back. */
const feedbackBodySchema = z.discriminatedUnion("type", [
  bodyOf("label_confirm", storedPayloads.label_confirm),
  bodyOf("label_correct", storedPayloads.label_correct),
  bodyOf("rating", storedPayloads.rating),
  bodyOf("reply_edit", storedPayloads.reply_edit),
  bodyOf("answer_correct", storedPayloads.answer_correct),
  bodyOf("dwell", storedPayloads.dwell),
  bodyOf("exit", storedPayloads.exit),
  bodyOf("follow_up", storedPayloads.follow_up),
  bodyOf("copy", storedPayloads.copy),
  bodyOf("reply_reason", storedPayloads.reply_reason),
]);

/** An event's type with its payload, discriminated by `type`. */
export type FeedbackEventBody = z.infer<typeof feedbackBodySchema>;

/** The payload of one event type, as stored. */
export type FeedbackPayload<T extends FeedbackType> = Extract<FeedbackEventBody, { type: T }>["payload"];

/** A feedback event as its readers see it: which interaction, when, and its typed body. */
export type FeedbackEventRecord = {
  /** Monotonic: the order events were acknowledged in. */
  id: number;
  interactionId: string;
  /** epoch ms */
  createdAt: number;
} & FeedbackEventBody;

/** One stored feedback event. */
export type FeedbackEvent = FeedbackEventRecord & {
  /** The salted hash of the sender's session id, or null without one. */
  sessionHash: string | null;
};

/** A feedback event to store; the store assigns the id. */
export type NewFeedbackEvent = FeedbackEvent extends infer E
  ? E extends FeedbackEvent
    ? Omit<E, "id">
    : never
  : never;

/** The body of POST /api/feedback for a given `maxInputChars` (the limit of a reply edit's text). */
export function feedbackSubmissionSchema(maxInputChars: number) {
  const payloads = payloadSchemas(maxInputChars);
  const common = {
    interactionId: z.string().min(1).max(100),
    sessionId: z
      .string()
      .min(1)
      .max(200)
      .regex(new RegExp(sessionIdPattern, "u"))
      .meta({ description: "Opaque client id; stored only as a salted hash" })
      .optional(),
    feedbackToken: z
      .string()
      .min(1)
      .max(200)
      .meta({ description: "The feedbackToken of the answer; without the right one: 403 FEEDBACK_FORBIDDEN" })
      .optional(),
    eventId: z
      .string()
      .regex(/^[A-Za-z0-9_-]{8,64}$/)
      .meta({ description: "Client-chosen id of this event (e.g. a UUID); a repeat is stored once" })
      .optional(),
  };
  const variant = <T extends FeedbackType, S extends z.ZodRawShape>(type: T, shape: S) =>
    z.strictObject({ ...common, type: z.literal(type), ...shape });
  return z.discriminatedUnion("type", [
    variant("label_confirm", payloads.label_confirm.shape),
    variant("label_correct", payloads.label_correct.shape),
    variant("rating", payloads.rating.shape),
    variant("reply_edit", payloads.reply_edit.shape),
    variant("answer_correct", payloads.answer_correct.shape),
    variant("dwell", payloads.dwell.shape),
    variant("exit", payloads.exit.shape),
    variant("follow_up", payloads.follow_up.shape),
    variant("copy", payloads.copy.shape),
    variant("reply_reason", payloads.reply_reason.shape),
  ]);
}

/** A feedback submission as the API receives it. */
export type FeedbackSubmission = z.infer<ReturnType<typeof feedbackSubmissionSchema>>;

/** The JSON schema Fastify validates POST /api/feedback with (and OpenAPI publishes), derived from the zod one. */
export function feedbackSubmissionJsonSchema(maxInputChars: number): Record<string, unknown> {
  const { $schema: _dialect, ...schema } = z.toJSONSchema(feedbackSubmissionSchema(maxInputChars), {
    target: "draft-7",
    io: "input",
  });
  // Ajv's discriminator picks the variant by `type`, so a bad body gets one error about its own variant.
  return { type: "object", required: ["type"], discriminator: { propertyName: "type" }, ...schema };
}

/** The stored body of a submission: its type and its payload, nothing else. */
export function feedbackBodyOf(submission: FeedbackSubmission): FeedbackEventBody {
  const {
    interactionId: _interaction,
    sessionId: _session,
    feedbackToken: _token,
    eventId: _eventId,
    type,
    ...payload
  } = submission;
  return feedbackBodySchema.parse({ type, payload });
}

/**
 * Reads a stored event's type and payload back into its typed body, checked against the type's schema: the one
 * place where untyped JSON from the database becomes a typed event.
 */
export function parseFeedbackBody(type: string, payload: unknown): FeedbackEventBody {
  return feedbackBodySchema.parse({ type, payload });
}
