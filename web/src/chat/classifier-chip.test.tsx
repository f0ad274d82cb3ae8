import { screen, waitFor } from "@testing-library/react";
import { userEvent } from "@testing-library/user-event";
import { describe, expect, it } from "vitest";
import { fakeServer, renderWithServices } from "../../test/test-services.js";
import type { ClassifierWidgets, TurnClassification } from "../api/api-types.js";
import { ClassifierChip } from "./classifier-chip.js";

const sentiment: TurnClassification = {
  task: "sentiment",
  interactionId: "int-7",
  label: "正面",
  confidence: 0.873,
  promptVersion: "sentiment@v1",
  latencyMs: 120,
  distribution: { 正面: 0.873, 负面: 0.127 },
};

const moderation: TurnClassification = {
  task: "moderation",
  interactionId: "int-9",
  label: "冒犯",
  confidence: 0.71,
  promptVersion: "moderation@v1",
  latencyMs: 80,
  distribution: { 正常: 0.29, 冒犯: 0.71 },
};

function setup(
  options: {
    labels?: string[];
    locale?: "zh" | "en";
    classification?: TurnClassification;
    widgets?: ClassifierWidgets;
    named?: boolean;
    flagged?: boolean;
  } = {},
) {
  const server = fakeServer();
  renderWithServices(
    <ClassifierChip
      classification={options.classification ?? sentiment}
      labels={options.labels ?? ["正面", "负面"]}
      widgets={options.widgets}
      named={options.named ?? false}
      flagged={options.flagged ?? false}
    />,
    { fetchFn: server.fetchFn, ...(options.locale ? { locale: options.locale } : {}) },
  );
  return server;
}

describe("ClassifierChip", () => {
  it("shows the label and the confidence as a percentage", () => {
    setup();
    const chip = screen.getByTestId("classifier-chip");
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
    const chip = screen.getByTestId("classifier-chip");
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
    expect(screen.getByTestId("classifier-chip").textContent).toBe("Positive · 87%");
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
    renderWithServices(<ClassifierChip classification={sentiment} labels={["正面", "负面"]} />, {
      fetchFn: server.fetchFn,
    });
    await user.click(screen.getByTestId("thumbs-up"));
    await waitFor(() => expect(screen.getByTestId("recorded-label").dataset.status).toBe("rejected"));
    expect(server.requests.filter((r) => r.url === "/api/feedback")).toHaveLength(1);
  });

  it("names the task of any classifier, marks a flagged label, and corrects it on that task's interaction", async () => {
    const user = userEvent.setup();
    const server = setup({
      classification: moderation,
      labels: ["正常", "冒犯"],
      named: true,
      flagged: true,
      widgets: { confirm: true, correct: true, reasons: ["other"] },
    });
    const chip = screen.getByTestId("classifier-chip");
    expect(chip.textContent).toBe("内容安全冒犯 · 71% · 已标记");
    expect(chip.getAttribute("aria-label")).toBe("内容安全：冒犯，置信度 71%");
    expect(chip.className).toContain("chip--flagged");
    expect(screen.getByTestId("classifier").dataset.task).toBe("moderation");
    await user.click(screen.getByRole("button", { name: "内容安全：判断错误" }));
    // Only the reason tags the task declares.
    expect(
      screen.getAllByRole("button", { name: /./ }).filter((b) => b.dataset.testid?.startsWith("reason-")),
    ).toHaveLength(1);
    await user.click(screen.getByTestId("correct-label-正常"));
    await waitFor(() => expect(server.feedbackBodies()).toHaveLength(2));
    expect(server.feedbackBodies()[1]).toEqual({
      interactionId: "int-9",
      type: "label_correct",
      label: "正常",
      sessionId: "test-session",
    });
    expect(chip.className).not.toContain("chip--flagged");
  });

  it("shows no thumbs for a task that declares confirm: false", () => {
    setup({ classification: moderation, labels: ["正常", "冒犯"], named: true, widgets: { confirm: false } });
    expect(screen.getByTestId("classifier-chip")).toBeTruthy();
    expect(screen.queryByTestId("thumbs-up")).toBeNull();
    expect(screen.queryByTestId("thumbs-down")).toBeNull();
  });

  it("names a task the page does not know by its id, in English too", () => {
    setup({
      classification: { ...moderation, task: "tone", label: "rude", promptVersion: "tone@v3" },
      labels: ["polite", "rude"],
      named: true,
      locale: "en",
    });
    expect(screen.getByTestId("classifier-chip").getAttribute("aria-label")).toBe(
      "tone: rude, confidence 71%",
    );
    expect(screen.getByRole("button", { name: "tone: Label is right" })).toBeTruthy();
  });
});
