import { describe, expect, it } from "vitest";
import {
  feedbackBodyOf,
  feedbackSubmissionJsonSchema,
  feedbackSubmissionSchema,
  feedbackTypes,
  parseFeedbackBody,
} from "./feedback-event.js";

const submissions = feedbackSubmissionSchema(50);

describe("the feedback event schema", () => {
  it.each([
    [{ interactionId: "i", type: "label_confirm", correct: false }, { correct: false }],
    [
      { interactionId: "i", type: "label_correct", label: "负面", reasons: ["sarcasm"] },
      { label: "负面", reasons: ["sarcasm"] },
    ],
    [{ interactionId: "i", type: "label_correct", label: "负面" }, { label: "负面" }],
    [{ interactionId: "i", sessionId: "s", type: "rating", score: 4 }, { score: 4 }],
    [{ interactionId: "i", type: "reply_edit", text: "改好了" }, { text: "改好了" }],
    [{ interactionId: "i", type: "dwell", ms: 1200 }, { ms: 1200 }],
    [{ interactionId: "i", type: "exit" }, {}],
    [{ interactionId: "i", type: "follow_up", afterMs: 3000 }, { afterMs: 3000 }],
    [{ interactionId: "i", type: "follow_up" }, {}],
    [{ interactionId: "i", type: "copy" }, {}],
  ])("stores %j as its type and payload only", (body, payload) => {
    const stored = feedbackBodyOf(submissions.parse(body));
    expect(stored).toEqual({ type: body.type, payload });
    expect(parseFeedbackBody(stored.type, JSON.parse(JSON.stringify(stored.payload)))).toEqual(stored);
  });

  it.each([
    ["an unknown type", { interactionId: "i", type: "like" }],
    ["a missing payload field", { interactionId: "i", type: "rating" }],
    ["a rating out of range", { interactionId: "i", type: "rating", score: 6 }],
    ["a fractional rating", { interactionId: "i", type: "rating", score: 2.5 }],
    ["a negative dwell", { interactionId: "i", type: "dwell", ms: -1 }],
    ["a field of another type", { interactionId: "i", type: "exit", score: 3 }],
    ["an unknown reason", { interactionId: "i", type: "label_correct", label: "负面", reasons: ["bored"] }],
    [
      "a repeated reason",
      { interactionId: "i", type: "label_correct", label: "负面", reasons: ["mixed", "mixed"] },
    ],
    [
      "an edit longer than MAX_INPUT_CHARS",
      { interactionId: "i", type: "reply_edit", text: "长".repeat(51) },
    ],
  ])("refuses a submission with %s", (_what, body) => {
    expect(submissions.safeParse(body).success).toBe(false);
  });

  it("refuses a stored payload that does not match its type", () => {
    expect(() => parseFeedbackBody("rating", { score: "5" })).toThrow();
    expect(() => parseFeedbackBody("thumbs", {})).toThrow();
  });

  it("derives the HTTP JSON schema: one strict variant per type, chosen by `type`", () => {
    const schema = feedbackSubmissionJsonSchema(50) as {
      discriminator: unknown;
      oneOf: {
        properties: Record<string, { const?: string; maxLength?: number }>;
        additionalProperties: boolean;
      }[];
    };
    expect(schema.discriminator).toEqual({ propertyName: "type" });
    expect(schema.oneOf.map((variant) => variant.properties.type?.const)).toEqual([...feedbackTypes]);
    expect(schema.oneOf.every((variant) => variant.additionalProperties === false)).toBe(true);
    const replyEdit = schema.oneOf.find((variant) => variant.properties.type?.const === "reply_edit");
    expect(replyEdit?.properties.text?.maxLength).toBe(50);
    expect(schema).not.toHaveProperty("$schema");
  });
});
