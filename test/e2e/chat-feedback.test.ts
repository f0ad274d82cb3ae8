import path from "node:path";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type App } from "../../src/server/create-app.js";
import { testAdminToken } from "../support/test-app.js";
import { browserAvailable } from "./browser.js";
import { artifactsDir, startServedWebApp } from "./served-web-app.js";

describe.skipIf(!browserAvailable())("web app in Chromium against the real server", () => {
  let app: App;
  let browser: Browser;
  let base: string;

  beforeAll(async () => {
    ({ app, browser, base } = await startServedWebApp({ MAX_REPLY_TOKENS: 16 }));
  });
  afterAll(async () => {
    await browser?.close();
    await app?.close();
  });

  const eventsOf = (interactionId: string) =>
    app.database.db
      .selectFrom("feedback_events")
      .select(["type", "payload"])
      .where("interaction_id", "=", interactionId)
      .orderBy("id")
      .execute();

  /**
   * The write-up's headline, which its users call 负面, and a plainly positive review. The user gives each message
   * its right label: 👍 when the model has it, else 👎, a reason and the one-click correction. The random-weight test
   * model gets at least one wrong, so the correction flow always runs (and the README's screenshot shows a
   * correction in the direction the write-up's users give).
   */
  const messages = [
    { text: "这个结果真是令人失望，不过还能接受", right: "负面", reason: "mixed" },
    { text: "房间很干净，服务热情，下次还来", right: "正面", reason: "other" },
  ] as const;

  it("sends messages, shows label and reply, and records exactly the feedback the user gave", async () => {
    const context = await browser.newContext({ viewport: { width: 1200, height: 900 } });
    const page = await context.newPage();
    await page.goto(base);
    await page.getByTestId("chat-empty").waitFor();

    // 1–2. Send each message; see its label chip, then the streamed reply; then give it its right label.
    const expected = new Map<string, unknown[]>();
    const sentimentIds: string[] = [];
    for (const [index, message] of messages.entries()) {
      await page.getByTestId("message-input").fill(message.text);
      await page.getByTestId("send-button").click();
      const turn = page.getByTestId("turn").nth(index);
      // The turn runs sentiment and moderation (TURN_CLASSIFIERS' default): one chip each.
      const sentiment = turn.locator('[data-testid="classifier"][data-task="sentiment"]');
      const chip = sentiment.getByTestId("classifier-chip");
      await chip.waitFor();
      await expect.poll(() => chip.textContent()).toMatch(/正面|负面/);
      await page.locator('[data-testid="turn"][data-phase="done"]').nth(index).waitFor({ timeout: 20_000 });
      const row = await app.database.db
        .selectFrom("interactions")
        .selectAll()
        .where("task", "=", "sentiment")
        .where("input", "=", message.text)
        .executeTakeFirstOrThrow();
      const predicted = row.label!;
      expect(await chip.textContent()).toContain(predicted);
      sentimentIds.push(row.id);
      // 3. 👍 when right; else 👎, the reason tag and the one-click correction.
      if (predicted === message.right) {
        await sentiment.getByTestId("thumbs-up").click();
        expected.set(row.id, [["label_confirm", { correct: true }]]);
      } else {
        await sentiment.getByTestId("thumbs-down").click();
        await sentiment.getByTestId(`reason-${message.reason}`).click();
        await sentiment.getByTestId(`correct-label-${message.right}`).click();
        expected.set(row.id, [
          ["label_confirm", { correct: false }],
          ["label_correct", { label: message.right, reasons: [message.reason] }],
        ]);
      }
    }
    expect([...expected.values()].some((events) => events.length === 2)).toBe(true);

    // 4. Rate the last reply. 5. Edit it in place and save it. (The first reply got a follow-up instead.)
    const last = page.getByTestId("turn").nth(messages.length - 1);
    const reply = last.getByTestId("reply-text");
    await last.getByTestId("rating-star-4").click();
    await last.getByTestId("edit-button").click();
    await last.getByTestId("edit-textarea").fill("谢谢你的反馈，我们会改进。");
    await last.getByTestId("save-button").click();
    await last.getByTestId("edited-marker").waitFor();
    await expect.poll(() => reply.textContent()).toContain("谢谢你的反馈，我们会改进。");

    // The random-weight model's first reply is noise: put a readable one in its place for the screenshot.
    const first = page.getByTestId("turn").nth(0);
    await first.getByTestId("edit-button").click();
    await first.getByTestId("edit-textarea").fill("别灰心，还能接受就好。");
    await first.getByTestId("save-button").click();
    await first.getByTestId("edited-marker").waitFor();

    const chat = await app.database.db
      .selectFrom("interactions")
      .selectAll()
      .where("task", "=", "chat")
      .orderBy("created_at", "desc")
      .executeTakeFirstOrThrow();
    await expect
      .poll(async () => (await eventsOf(chat.id)).length, { timeout: 10_000 })
      .toBeGreaterThanOrEqual(2);
    await expect
      .poll(async () => Promise.all(sentimentIds.map(async (id) => (await eventsOf(id)).length)))
      .toEqual(sentimentIds.map((id) => expected.get(id)!.length));
    await page.screenshot({ path: path.join(artifactsDir, "chat-page.png"), fullPage: true });

    // 6. Leave the page: pagehide sends the exit (and the reply's visible time) with sendBeacon.
    await page.goto("about:blank");
    await expect
      .poll(async () => (await eventsOf(chat.id)).map((e) => e.type), { timeout: 10_000 })
      .toContain("exit");
    await context.close();

    for (const id of sentimentIds) {
      const events = (await eventsOf(id)).map((e) => [e.type, JSON.parse(e.payload)]);
      expect(events).toEqual(expected.get(id));
    }
    const chatEvents = (await eventsOf(chat.id)).map((e) => [
      e.type,
      JSON.parse(e.payload) as Record<string, unknown>,
    ]);
    const byType = new Map<string, Record<string, unknown>>(
      chatEvents.map(([type, payload]) => [type as string, payload as Record<string, unknown>]),
    );
    expect([...byType.keys()].sort()).toEqual(["dwell", "exit", "rating", "reply_edit"]);
    expect(chatEvents).toHaveLength(4);
    expect(byType.get("rating")).toEqual({ score: 4 });
    expect(byType.get("reply_edit")).toEqual({ text: "谢谢你的反馈，我们会改进。" });
    expect(byType.get("dwell")!.ms as number).toBeGreaterThan(500);
  });

  it("shows the dashboard after the admin token is entered", async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 1000 } });
    const page = await context.newPage();
    await page.goto(`${base}/#/dashboard`);
    await page.getByTestId("dashboard-token-input").fill(testAdminToken);
    await page.getByTestId("dashboard-token-submit").click();
    await page.getByTestId("dashboard-content").waitFor({ timeout: 15_000 });
    await page.getByTestId("misclassified-table").waitFor();
    // The message the model got wrong, with the user's correction.
    const table = await page.getByTestId("misclassified-table").textContent();
    expect(messages.some((message) => table?.includes(message.text))).toBe(true);
    await page.getByTestId("prompt-versions").waitFor();
    expect(await page.getByTestId("prompt-versions").textContent()).toContain("sentiment@v1");
    await page.waitForTimeout(500);
    await page.screenshot({ path: path.join(artifactsDir, "dashboard.png"), fullPage: true });
    await context.close();
  });

  it("works on a phone-sized screen", async () => {
    const context = await browser.newContext({ viewport: { width: 375, height: 740 }, isMobile: true });
    const page = await context.newPage();
    await page.goto(base);
    await page.getByTestId("message-input").waitFor();
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    await page.screenshot({ path: path.join(artifactsDir, "chat-page-mobile.png"), fullPage: true });
    await context.close();
  });
});
