/**
 * How a deployment acts on its moderation task's verdict (MODERATION_POLICY):
 * - `off`: the verdict is shown like any other label and changes nothing;
 * - `flag`: a flagged input is still answered, but the page withholds the reply behind a clear notice (the user
 *   may reveal it, or dispute the flag);
 * - `block`: a flagged input gets a polite refusal instead of a reply; the model does not answer it at all.
 */
export const moderationPolicies = ["off", "flag", "block"] as const;
export type ModerationPolicy = (typeof moderationPolicies)[number];

/** What a turn does with its input after moderation. */
export type ModerationAction = "reply" | "withhold" | "refuse";

/** The moderation task's verdict on a turn's input and what the policy makes of it. */
export interface ModerationVerdict {
  task: string;
  policy: ModerationPolicy;
  /** The moderation interaction: a dispute (误判) is a `label_correct` on it. */
  interactionId: string;
  label: string;
  /** The label is one of the version's `flagLabels`. */
  flagged: boolean;
  action: ModerationAction;
  /** The label a dispute corrects to: the version's first label that does not flag. */
  disputeLabel: string | null;
}

/** The refusal a blocked turn gets instead of a reply (the web app shows its own translation). */
export const politeRefusal =
  "抱歉，这条消息可能包含冒犯性的内容，我不能回复。如果你认为这是误判，请点“误判”告诉我们，我们会改进。";

/** Pure: the verdict on one moderation classification under a policy. */
export function decideModeration(input: {
  task: string;
  policy: ModerationPolicy;
  interactionId: string;
  label: string;
  labels: readonly string[];
  flagLabels: readonly string[];
}): ModerationVerdict {
  const flagged = input.flagLabels.includes(input.label);
  const action: ModerationAction = !flagged
    ? "reply"
    : input.policy === "block"
      ? "refuse"
      : input.policy === "flag"
        ? "withhold"
        : "reply";
  return {
    task: input.task,
    policy: input.policy,
    interactionId: input.interactionId,
    label: input.label,
    flagged,
    action,
    disputeLabel: input.labels.find((label) => !input.flagLabels.includes(label)) ?? null,
  };
}
