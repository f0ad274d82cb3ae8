import { AppError } from "../errors.js";
import { feedbackBodyOf, type FeedbackEventBody, type FeedbackSubmission } from "./feedback-event.js";
import type { FeedbackType, InteractionStore } from "./store/interaction-store.js";

export type { FeedbackSubmission } from "./feedback-event.js";
import { feedbackAppliesTo } from "./feedback-types.js";
import { redactPersonalData } from "./redact-personal-data.js";

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
  now?: () => number;
}

export interface FeedbackService {
  /** Validates and durably stores one event; resolves with its id once it is on disk. */
  submit(submission: FeedbackSubmission): Promise<number>;
}

/** The stored body of a submission; a reply edit's text is masked for personal data first. */
function storedBodyOf(submission: FeedbackSubmission): FeedbackEventBody {
  const body = feedbackBodyOf(submission);
  return body.type === "reply_edit"
    ? { ...body, payload: { text: redactPersonalData(body.payload.text) } }
    : body;
}

export function createFeedbackService(deps: FeedbackServiceDeps): FeedbackService {
  const now = deps.now ?? Date.now;
  return {
    async submit(submission) {
      const interaction = await deps.interactions.get(submission.interactionId);
      if (!interaction) {
        throw new AppError("INTERACTION_NOT_FOUND", `No interaction ${submission.interactionId}`);
      }
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
      try {
        return await deps.interactions.appendFeedback({
          interactionId: interaction.id,
          ...storedBodyOf(submission),
          sessionHash: submission.sessionId === undefined ? null : deps.hashIdentity(submission.sessionId),
          createdAt: now(),
        });
      } catch (error) {
        throw new AppError("STORAGE_FAILED", "The feedback could not be stored; please retry", {
          cause: error,
        });
      }
    },
  };
}
