import { screen, waitFor } from "@testing-library/react";
import { userEvent } from "@testing-library/user-event";
import { describe, expect, it } from "vitest";
import { fakeServer, renderWithServices } from "../../test/test-services.js";
import { SentimentChip } from "./sentiment-chip.js";

const sentiment = {
  interactionId: "int-7",
  label: "正面",
  confidence: 0.873,
  promptVersion: "sentiment@v1",
  latencyMs: 120,
};

function setup(options: { labels?: string[]; locale?: "zh" | "en" } = {}) {
  const server = fakeServer();
  renderWithServices(<SentimentChip sentiment={sentiment} labels={options.labels ?? ["正面", "负面"]} />, {
    fetchFn: server.fetchFn,
    ...(options.locale ? { locale: options.locale } : {}),
  });
  return server;
}

describe("SentimentChip", () => {
  it("shows the label and the confidence as a percentage", () => {
    setup();
    const chip = screen.getByTestId("sentiment-chip");
    expect(chip).toHaveProperty("textContent", "正面 · 87%");
    expect(chip.getAttribute("aria-label")).toBe("情感：正面，置信度 87%");
  });

  it("👍 confirms the label; 👎 changes it; pressing the chosen thumb again undoes it", async () => {
    const user = userEvent.setup();
    const server = setup();
    await user.click(screen.getByRole("button", { name: "判断正确" }));
    await waitFor(() => expect(screen.getByTestId("recorded-label").textContent).toBe("已记录 ✓"));
    expect(screen.getByTestId("thumbs-up").getAttribute("aria-pressed")).toBe("true");
    await user.click(screen.getByTestId("thumbs-down"));
    expect(screen.getByTestId("thumbs-up").getAttribute("aria-pressed")).toBe("false");
    expect(screen.getByTestId("thumbs-down").getAttribute("aria-pressed")).toBe("true");
    await user.click(screen.getByTestId("thumbs-down"));
    await waitFor(() => expect(server.feedbackBodies()).toHaveLength(3));
    const common = { interactionId: "int-7", type: "label_confirm", sessionId: "test-session" };
    expect(server.feedbackBodies()).toEqual([
      { ...common, correct: true },
      { ...common, correct: false },
      { ...common, correct: false, withdrawn: true },
    ]);
    expect(screen.getByTestId("thumbs-down").getAttribute("aria-pressed")).toBe("false");
    expect(screen.queryByTestId("correct-label-负面")).toBeNull();
  });

  it("shows the correction on the chip, keeps reasons editable, and withdraws the correction for a 👍", async () => {
    const user = userEvent.setup();
    const server = setup();
    await user.click(screen.getByTestId("thumbs-down"));
    await user.click(screen.getByTestId("correct-label-负面"));
    const chip = screen.getByTestId("sentiment-chip");
    expect(chip.dataset.label).toBe("负面");
    expect(chip.textContent).toBe("✎ 已更正为负面");
    await user.click(screen.getByTestId("reason-sarcasm"));
    await user.click(screen.getByTestId("thumbs-up"));
    await waitFor(() => expect(server.feedbackBodies()).toHaveLength(5));
    const bodies = server.feedbackBodies() as Array<Record<string, unknown>>;
    expect(bodies.map(({ sessionId: _s, interactionId: _i, ...body }) => body)).toEqual([
      { type: "label_confirm", correct: false },
      { type: "label_correct", label: "负面" },
      { type: "label_correct", label: "负面", reasons: ["sarcasm"] },
      { type: "label_confirm", correct: false, withdrawn: true },
      { type: "label_confirm", correct: true },
    ]);
    expect(chip.dataset.label).toBe("正面");
    expect(chip.textContent).toBe("正面 · 87%");
  });

  it("👎 offers the other label as the primary one-click correction, with the chosen reasons", async () => {
    const user = userEvent.setup();
    const server = setup();
    expect(screen.queryByTestId("correct-label-负面")).toBeNull();
    await user.click(screen.getByRole("button", { name: "判断错误" }));

    const correction = screen.getByTestId("correct-label-负面");
    expect(correction.className).toContain("button--primary");
    expect(correction.textContent).toBe("改为「负面」");
    expect(screen.queryByTestId("correct-label-正面")).toBeNull();

    // Toggled in a different order than the catalogue, and one toggled off again.
    await user.click(screen.getByTestId("reason-sarcasm"));
    await user.click(screen.getByTestId("reason-other"));
    await user.click(screen.getByTestId("reason-mixed"));
    await user.click(screen.getByTestId("reason-other"));
    expect(screen.getByTestId("reason-other").getAttribute("aria-pressed")).toBe("false");
    await user.click(correction);
    // The same correction again sends nothing new.
    await user.click(correction);

    await waitFor(() => expect(screen.getByTestId("recorded-correction").textContent).toBe("已记录 ✓"));
    expect(server.feedbackBodies()).toEqual([
      { interactionId: "int-7", type: "label_confirm", correct: false, sessionId: "test-session" },
      {
        interactionId: "int-7",
        type: "label_correct",
        label: "负面",
        reasons: ["mixed", "sarcasm"],
        sessionId: "test-session",
      },
    ]);
    expect(correction.textContent).toBe("已更正为「负面」");
  });

  it("sends no reasons field when none was chosen", async () => {
    const user = userEvent.setup();
    const server = setup();
    await user.click(screen.getByTestId("thumbs-down"));
    await user.click(screen.getByTestId("correct-label-负面"));
    await waitFor(() => expect(server.feedbackBodies()).toHaveLength(2));
    expect(server.feedbackBodies()[1]).toEqual({
      interactionId: "int-7",
      type: "label_correct",
      label: "负面",
      sessionId: "test-session",
    });
  });

  it("offers every other label for a task with more than two", async () => {
    const user = userEvent.setup();
    setup({ labels: ["正面", "负面", "中性"] });
    await user.click(screen.getByTestId("thumbs-down"));
    expect(screen.getAllByRole("button", { name: /^改为/ }).map((b) => b.dataset.testid)).toEqual([
      "correct-label-负面",
      "correct-label-中性",
    ]);
  });

  it("speaks English but sends the task's own label", async () => {
    const user = userEvent.setup();
    const server = setup({ locale: "en" });
    expect(screen.getByTestId("sentiment-chip").textContent).toBe("Positive · 87%");
    await user.click(screen.getByRole("button", { name: "Label is wrong" }));
    await user.click(screen.getByRole("button", { name: "Sarcasm" }));
    await user.click(screen.getByRole("button", { name: "Change to Negative" }));
    await waitFor(() => expect(server.feedbackBodies()).toHaveLength(2));
    expect(server.feedbackBodies()[1]).toMatchObject({ label: "负面", reasons: ["sarcasm"] });
  });

  it("says so when the server refuses the feedback", async () => {
    const user = userEvent.setup();
    const server = fakeServer({
      "/api/feedback": () =>
        Response.json({ error: { code: "INTERACTION_NOT_FOUND", message: "unknown" } }, { status: 404 }),
    });
    renderWithServices(<SentimentChip sentiment={sentiment} labels={["正面", "负面"]} />, {
      fetchFn: server.fetchFn,
    });
    await user.click(screen.getByTestId("thumbs-up"));
    await waitFor(() => expect(screen.getByTestId("recorded-label").dataset.status).toBe("rejected"));
    expect(server.requests.filter((r) => r.url === "/api/feedback")).toHaveLength(1);
  });
});
