import path from "node:path";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { App } from "../../src/server/create-app.js";
import {
  factualEverything,
  flaggedLabel,
  flaggingPromptsDir,
  unflaggedLabel,
} from "../support/flagging-prompts.js";
import { browserAvailable } from "./browser.js";
import { artifactsDir, startServedWebApp } from "./served-web-app.js";

/** The stored interactions of one task, read from the real database. */
const rowsOf = (app: App, task: string) =>
  app.database.db
    .selectFrom("interactions")
    .selectAll()
    .where("task", "=", task)
    .orderBy("created_at")
    .execute();

/** The feedback stored on one interaction, oldest first, as [type, payload]. */
const eventsOf = async (app: App, interactionId: string) =>
  (
    await app.database.db
      .selectFrom("feedback_events")
      .select(["type", "payload"])
      .where("interaction_id", "=", interactionId)
      .orderBy("id")
      .execute()
  ).map((event) => [event.type, JSON.parse(event.payload) as unknown]);

async function send(page: Page, text: string): Promise<void> {
  await page.getByTestId("message-input").fill(text);
  await page.getByTestId("send-button").click();
}

const classifierOf = (page: Page, task: string) =>
  page.locator(`[data-testid="classifier"][data-task="${task}"]`);

describe.skipIf(!browserAvailable())("moderation and the turn's classifiers in Chromium", () => {
  describe("MODERATION_POLICY=block", () => {
    let app: App;
    let browser: Browser;
    let base: string;
    beforeAll(async () => {
      // The flagging prompts make the tiny model flag every input (see flaggingPromptsDir).
      ({ app, browser, base } = await startServedWebApp({
        PROMPTS_DIR: await flaggingPromptsDir(),
        MODERATION_POLICY: "block",
      }));
    });
    afterAll(async () => {
      await browser?.close();
      await app?.close();
    });

    it("refuses a flagged message instead of replying, and stores the user's dispute (误判)", async () => {
      const context = await browser.newContext({ viewport: { width: 1200, height: 900 } });
      const page = await context.newPage();
      await page.goto(base);
      await send(page, "你们这些人真是差劲透了");

      await page.locator('[data-testid="turn"][data-phase="refused"]').waitFor({ timeout: 30_000 });
      expect(await page.getByTestId("stream-status").textContent()).toBe("已拒绝回复");
      expect(await page.getByTestId("refusal-text").textContent()).toContain("我不能回复");
      expect(await page.getByTestId("reply-text").count()).toBe(0);
      const chip = classifierOf(page, "moderation").getByTestId("classifier-chip");
      expect(await chip.getAttribute("data-label")).toBe(flaggedLabel);
      expect(await chip.getAttribute("data-flagged")).toBe("true");
      // The model never answered: no chat interaction was stored.
      expect(await rowsOf(app, "chat")).toHaveLength(0);
      const [moderation] = await rowsOf(app, "moderation");
      expect(moderation?.label).toBe(flaggedLabel);

      await page.getByRole("button", { name: "误判" }).click();
      await page.getByTestId("disputed-text").waitFor();
      await page.locator('[data-testid="recorded-dispute"][data-status="recorded"]').waitFor();
      expect(await eventsOf(app, moderation!.id)).toEqual([["label_correct", { label: unflaggedLabel }]]);
      await page.screenshot({ path: path.join(artifactsDir, "moderation-block.png"), fullPage: true });

      // The refusal and the chips survive a reload (IndexedDB).
      await page.reload();
      await page.locator('[data-testid="turn"][data-phase="refused"]').waitFor();
      expect(
        await classifierOf(page, "moderation").getByTestId("classifier-chip").getAttribute("data-label"),
      ).toBe(flaggedLabel);
      await context.close();
    });
  });

  describe("TURN_CLASSIFIERS=intent,moderation,qa-check under MODERATION_POLICY=flag (qa-check: confirm false)", () => {
    let app: App;
    let browser: Browser;
    let base: string;
    beforeAll(async () => {
      // Every input is flagged, and qa-check calls every input a factual question (factualEverything).
      ({ app, browser, base } = await startServedWebApp({
        PROMPTS_DIR: await factualEverything(await flaggingPromptsDir(), { confirm: false }),
        TURN_CLASSIFIERS: "intent,moderation,qa-check",
        MODERATION_POLICY: "flag",
        MAX_REPLY_TOKENS: 12,
      }));
    });
    afterAll(async () => {
      await browser?.close();
      await app?.close();
    });

    it("shows a chip per classifier, withholds the flagged reply, corrects the intent and asks 答案正确吗?", async () => {
      const context = await browser.newContext({ viewport: { width: 1200, height: 900 } });
      const page = await context.newPage();
      await page.goto(base);
      await send(page, "我的卡丢了，怎么补办？");

      await page.locator('[data-testid="turn"][data-phase="done"]').waitFor({ timeout: 60_000 });
      const tasks = await page
        .getByTestId("classifier")
        .evaluateAll((nodes) => nodes.map((node) => node.getAttribute("data-task")));
      expect(tasks).toEqual(["intent", "moderation", "qa-check"]);

      // The intent chip shows what the model answered, one of the task's ten labels.
      const [intent] = await rowsOf(app, "intent");
      const intentChip = classifierOf(page, "intent").getByTestId("classifier-chip");
      expect(await intentChip.getAttribute("data-label")).toBe(intent!.label);
      expect(await intentChip.textContent()).toContain(`意图${intent!.label} · `);

      // MODERATION_POLICY=flag: the reply exists but is hidden until the user asks for it.
      await page.locator('[data-testid="moderation-notice"][data-action="withhold"]').waitFor();
      expect(await page.getByTestId("reply-text").count()).toBe(0);
      await page.getByTestId("reveal-reply").click();
      await page.getByTestId("reply-text").waitFor();

      // 👎 on the intent offers every other label; the correction is stored on the intent interaction.
      await classifierOf(page, "intent").getByTestId("thumbs-down").click();
      const offered = await classifierOf(page, "intent")
        .locator('[data-testid^="correct-label-"]')
        .evaluateAll((nodes) =>
          nodes.map((node) => node.getAttribute("data-testid")!.slice("correct-label-".length)),
        );
      expect(offered).toHaveLength(9);
      expect(offered).not.toContain(intent!.label);
      // The reason tags are the intent task's (its feedback.reasons), named for intents, not for sentiment.
      const tags = await classifierOf(page, "intent")
        .locator('[data-testid^="reason-"]')
        .evaluateAll((nodes) => nodes.map((node) => [node.getAttribute("data-testid"), node.textContent]));
      expect(tags).toEqual([
        ["reason-mixed", "多个意图"],
        ["reason-off_topic", "跑题"],
        ["reason-other", "其他"],
      ]);
      expect(await page.getByText("矛盾情绪").count()).toBe(0);
      const right = intent!.label === "卡片办理" ? "账户管理" : "卡片办理";
      await classifierOf(page, "intent").getByTestId(`correct-label-${right}`).click();

      // 答案正确吗? under the reply: answer_correct on the chat interaction.
      await page.getByTestId("answer-check").waitFor();
      await page.getByTestId("answer-wrong").click();
      await page.locator('[data-testid="recorded-answer"][data-status="recorded"]').waitFor();
      const [chat] = await rowsOf(app, "chat");
      await expect
        .poll(() => eventsOf(app, chat!.id), { timeout: 10_000 })
        .toEqual([["answer_correct", { correct: false }]]);
      await expect
        .poll(() => eventsOf(app, intent!.id), { timeout: 10_000 })
        .toEqual([
          ["label_confirm", { correct: false }],
          ["label_correct", { label: right }],
        ]);

      // qa-check declares confirm: false, correct: true: no 👍/👎, but a 纠正 button opens the correction.
      const qa = classifierOf(page, "qa-check");
      expect(await qa.getByTestId("thumbs-up").count()).toBe(0);
      expect(await qa.getByTestId("thumbs-down").count()).toBe(0);
      expect(await qa.getByTestId("correct-label-其他").count()).toBe(0);
      await qa.getByTestId("open-correction").click();
      await qa.getByTestId("correct-label-其他").click();
      await qa.locator('[data-testid="recorded-correction"][data-status="recorded"]').waitFor();
      const [qaCheck] = await rowsOf(app, "qa-check");
      await expect
        .poll(() => eventsOf(app, qaCheck!.id), { timeout: 10_000 })
        .toEqual([["label_correct", { label: "其他" }]]);
      expect(await qa.getByTestId("classifier-chip").getAttribute("data-corrected")).toBe("true");
      await page.screenshot({ path: path.join(artifactsDir, "chat-classifiers.png"), fullPage: true });
      await context.close();
    });
  });
});
