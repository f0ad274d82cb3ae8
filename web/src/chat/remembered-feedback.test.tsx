import { screen, waitFor } from "@testing-library/react";
import { userEvent } from "@testing-library/user-event";
import { describe, expect, it, vi } from "vitest";
import { fakeServer, renderWithServices } from "../../test/test-services.js";
import { ReplyRating } from "./reply-rating.js";
import { ReplyReasons } from "./reply-reasons.js";
import { ClassifierChip } from "./classifier-chip.js";
import type { LabelFeedback, ReplyReasonFeedback } from "./turn-feedback.js";

const sentiment = {
  task: "sentiment",
  distribution: { 正面: 0.873, 负面: 0.127 },
  interactionId: "int-7",
  label: "正面",
  confidence: 0.873,
  promptVersion: "sentiment@v1",
  latencyMs: 120,
};

/** Feedback kept with a stored conversation comes back after a reload, and can still be changed. */
describe("feedback remembered across a reload", () => {
  it("the chip shows an earlier correction with its reasons, and a change away from it is reported", async () => {
    const user = userEvent.setup();
    const server = fakeServer();
    const onRemember = vi.fn<(feedback: LabelFeedback) => void>();
    renderWithServices(
      <ClassifierChip
        classification={sentiment}
        labels={["正面", "负面"]}
        remembered={{ verdict: "down", correctedTo: "负面", reasons: ["sarcasm"] }}
        onRemember={onRemember}
      />,
      { fetchFn: server.fetchFn },
    );
    const chip = screen.getByTestId("classifier-chip");
    expect(chip.getAttribute("data-label")).toBe("负面");
    expect(chip.getAttribute("data-corrected")).toBe("true");
    expect(screen.getByTestId("thumbs-down").getAttribute("aria-pressed")).toBe("true");
    expect(screen.getByTestId("reason-sarcasm").getAttribute("aria-pressed")).toBe("true");
    // Nothing is sent or reported just for showing it.
    expect(onRemember).not.toHaveBeenCalled();

    await user.click(screen.getByTestId("thumbs-up"));
    await waitFor(() => expect(server.feedbackBodies()).toHaveLength(2));
    const common = { interactionId: "int-7", type: "label_confirm", sessionId: "test-session" };
    expect(server.feedbackBodies()).toEqual([
      { ...common, correct: false, withdrawn: true },
      { ...common, correct: true },
    ]);
    expect(onRemember).toHaveBeenLastCalledWith({ verdict: "up", correctedTo: null, reasons: [] });
    expect(chip.getAttribute("data-corrected")).toBe("false");
  });

  it("the stars show an earlier rating, and a new one is sent and reported", async () => {
    const user = userEvent.setup();
    const server = fakeServer();
    const onRemember = vi.fn<(score: number) => void>();
    renderWithServices(<ReplyRating interactionId="reply-1" remembered={4} onRemember={onRemember} />, {
      fetchFn: server.fetchFn,
    });
    expect(screen.getByTestId("rating-star-4").getAttribute("aria-checked")).toBe("true");
    await user.click(screen.getByTestId("rating-star-2"));
    await waitFor(() => expect(server.feedbackBodies()).toHaveLength(1));
    expect(server.feedbackBodies()[0]).toMatchObject({ interactionId: "reply-1", type: "rating", score: 2 });
    expect(onRemember).toHaveBeenCalledWith(2);
    expect(screen.getByTestId("rating-star-4").getAttribute("aria-checked")).toBe("false");
  });

  it("reasons sent on a bad reply show as sent, and withdrawing them is reported", async () => {
    const user = userEvent.setup();
    const server = fakeServer();
    const onRemember = vi.fn<(sent: ReplyReasonFeedback | null) => void>();
    renderWithServices(
      <ReplyReasons
        interactionId="reply-2"
        remembered={{ reasons: ["too_long"], comment: "太长" }}
        onRemember={onRemember}
      />,
      { fetchFn: server.fetchFn },
    );
    const thumb = screen.getByTestId("reply-thumbs-down");
    expect(thumb.getAttribute("aria-pressed")).toBe("true");
    await user.click(thumb);
    await waitFor(() => expect(server.feedbackBodies()).toHaveLength(1));
    expect(server.feedbackBodies()[0]).toMatchObject({ type: "reply_reason", reasons: [] });
    expect(onRemember).toHaveBeenCalledWith(null);
    expect(thumb.getAttribute("aria-pressed")).toBe("false");
  });
});
