import { createHash } from "node:crypto";
import { AppError } from "../errors.js";
import { feedbackBodyOf, type FeedbackEventBody, type FeedbackSubmission } from "./feedback-event.js";
import { maxEventsPerInteraction } from "./feedback-limits.js";
import type { FeedbackRateLimiter, FeedbackSender } from "./feedback-rate-limiter.js";
import type { FeedbackTokens } from "./feedback-token.js";
import type { FeedbackType, Interaction, InteractionStore } from "./store/interaction-store.js";

export type { FeedbackSubmission } from "./feedback-event.js";
import { feedbackAppliesTo } from "./feedback-types.js";
import { redactPersonalData } from "./redact-personal-data.js";
import { unitsNamedBy } from "./session-units.js";

/** What feedback validation needs to know about the task an interaction ran. */
export interface FeedbackTarget {
  kind: "classifier" | "generator";
  /** A classifier's labels: a correction must name one of them. */
  labels?: readonly string[] | undefined;
}

export interface FeedbackServiceDeps {
  interactions: InteractionStore;
  /** The task definition of the prompt version that served an interaction. */
  targetOf: (promptVersionId: string) => Promise<FeedbackTarget>;
  hashIdentity: (id: string) => string;
  /** Checks the feedbackToken an answer was given with. */
  tokens: FeedbackTokens;
  /** Per-address and per-session budgets; none in tests that don't ask for one. */
  rateLimiter?: FeedbackRateLimiter;
  now?: () => number;
}

/** Where a submission came from: the rate limit's view of the client. */
export type SubmissionOrigin = Omit<FeedbackSender, "sessionHash">;

/** What happened to a submission: stored now, or the same event was stored before (a replay, stored once). */
export interface SubmissionReceipt {
  feedbackId: number;
  duplicate: boolean;
}

export interface FeedbackService {
  /** Validates, authorises and durably stores one event; resolves once it is on disk. */
  submit(submission: FeedbackSubmission, origin?: SubmissionOrigin): Promise<SubmissionReceipt>;
}

/** The stored body of a submission; free text (a reply edit, a reason's comment) is masked for personal data first. */
function storedBodyOf(submission: FeedbackSubmission): FeedbackEventBody {
  const body = feedbackBodyOf(submission);
  if (body.type === "reply_edit")
    return { ...body, payload: { text: redactPersonalData(body.payload.text) } };
  if (body.type === "reply_reason" && body.payload.comment !== undefined)
    return { ...body, payload: { ...body.payload, comment: redactPersonalData(body.payload.comment) } };
  return body;
}

/**
 * What makes two events the same event: the client's eventId when it sent one, otherwise the content (type and
 * payload), so that a replayed request is stored once either way.
 */
export function dedupeKeyOf(submission: FeedbackSubmission, body: FeedbackEventBody): string {
  if (submission.eventId !== undefined) return `event:${submission.eventId}`;
  const content = createHash("sha256")
    .update(JSON.stringify([body.type, body.payload]))
    .digest("base64url");
  return `content:${content}`;
}

const forbidden = (why: string) =>
  new AppError(
    "FEEDBACK_FORBIDDEN",
    `Feedback refused: ${why}. Send the feedbackToken that came with the answer.`,
  );

export function createFeedbackService(deps: FeedbackServiceDeps): FeedbackService {
  const now = deps.now ?? Date.now;

  /** Only the client that received the answer holds its token; a sessionId, if sent, must be the owner's. */
  function authorise(submission: FeedbackSubmission, interaction: Interaction): void {
    if (submission.feedbackToken === undefined) throw forbidden("no feedbackToken");
    if (!deps.tokens.verify(submission.feedbackToken, interaction.id, interaction.sessionHash))
      throw forbidden("the feedbackToken does not belong to this interaction");
    if (
      submission.sessionId !== undefined &&
      !unitsNamedBy(submission.sessionId).some((unit) => deps.hashIdentity(unit) === interaction.sessionHash)
    )
      throw forbidden("the interaction belongs to another session");
  }

  async function validate(submission: FeedbackSubmission, interaction: Interaction): Promise<void> {
    const definition = await deps.targetOf(interaction.promptVersionId);
    const type: FeedbackType = submission.type;
    if (!feedbackAppliesTo[type].includes(definition.kind)) {
      throw new AppError(
        "UNSUPPORTED_FEEDBACK",
        `Feedback ${type} does not apply to task ${interaction.task} (a ${definition.kind})`,
      );
    }
    if (submission.type === "label_correct" && !definition.labels?.includes(submission.label)) {
      throw new AppError(
        "UNKNOWN_LABEL",
        `Label ${JSON.stringify(submission.label)} is not one of ${interaction.task}'s labels`,
        { details: { allowed: definition.labels ?? [] } },
      );
    }
  }

  return {
    async submit(submission, origin) {
      // In-process callers (no origin) have no address to count; their sessions are still counted.
      if (origin) await deps.rateLimiter?.admitAddress({ ...origin, sessionHash: null });
      const interaction = await deps.interactions.get(submission.interactionId);
      if (!interaction) {
        throw new AppError("INTERACTION_NOT_FOUND", `No interaction ${submission.interactionId}`);
      }
      authorise(submission, interaction);
      await deps.rateLimiter?.admitSession({
        address: origin?.address ?? "in-process",
        beacon: origin?.beacon ?? false,
        sessionHash: interaction.sessionHash,
      });
      await validate(submission, interaction);
      const body = storedBodyOf(submission);
      let appended;
      try {
        appended = await deps.interactions.appendFeedbackOnce(
          { interactionId: interaction.id, ...body, sessionHash: interaction.sessionHash, createdAt: now() },
          { dedupeKey: dedupeKeyOf(submission, body), maxOfType: maxEventsPerInteraction[body.type] },
        );
      } catch (error) {
        throw new AppError("STORAGE_FAILED", "The feedback could not be stored; please retry", {
          cause: error,
        });
      }
      if (appended.outcome === "capped") {
        throw new AppError(
          "FEEDBACK_LIMIT_REACHED",
          `Interaction ${interaction.id} already has ${maxEventsPerInteraction[body.type]} ${body.type} events`,
          { details: { type: body.type, max: maxEventsPerInteraction[body.type] } },
        );
      }
      return { feedbackId: appended.id, duplicate: appended.outcome === "duplicate" };
    },
  };
}
