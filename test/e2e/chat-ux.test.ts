import type { Browser, Locator, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type App } from "../../src/server/create-app.js";
import { browserAvailable } from "./browser.js";
import { contrastFailures, nonTextContrastFailures } from "./color-contrast.js";
import { startServedWebApp } from "./served-web-app.js";

const maxInputChars = 120;

/** A turn's sentiment chip (the turn also has moderation's, TURN_CLASSIFIERS' default). */
const sentimentOf = (turn: Locator) => turn.locator('[data-testid="classifier"][data-task="sentiment"]');

/**
 * The chat a user keeps using, in Chromium against the real server on the tiny model: a long conversation whose
 * newest reply is always in view, a reload that keeps it, a 👍 changed to 👎 and undone, a failed turn retried,
 * the length check, reasons on a bad reply, regenerate, and edit-and-resend; each turn's feedback survives reloads
 * and can still change; the page passes axe-core's colour-contrast check in both colour schemes.
 */
describe.skipIf(!browserAvailable())(
  "chat page in Chromium: scrolling, history, changeable feedback, retry",
  () => {
    let app: App;
    let browser: Browser;
    let base: string;

    beforeAll(async () => {
      ({ app, browser, base } = await startServedWebApp({
        MAX_REPLY_TOKENS: 24,
        MAX_INPUT_CHARS: String(maxInputChars),
      }));
    });
    afterAll(async () => {
      await browser?.close();
      await app?.close();
    });

    const eventsOf = async (interactionId: string) =>
      (
        await app.database.db
          .selectFrom("feedback_events")
          .select(["type", "payload"])
          .where("interaction_id", "=", interactionId)
          .orderBy("id")
          .execute()
      ).map((event) => [event.type, JSON.parse(event.payload) as unknown]);

    /** The interaction id of a turn's finished reply (null while it runs). */
    const replyIdOf = async (page: Page, turn: number) => {
      const card = page.getByTestId("turn").nth(turn).locator("[data-interaction-id]");
      return (await card.count()) === 0 ? null : card.getAttribute("data-interaction-id");
    };

    async function send(page: Page, text: string): Promise<void> {
      const before = await page.getByTestId("turn").count();
      await page.getByTestId("message-input").fill(text);
      await page.getByTestId("send-button").click();
      await page.locator(`[data-testid="turn"]:nth-child(${before + 1})[data-phase="done"]`).waitFor({
        timeout: 30_000,
      });
    }

    /** The last reply is on screen and not under the composer. */
    async function lastReplyVisible(page: Page): Promise<boolean> {
      return page.evaluate(() => {
        const replies = document.querySelectorAll('[data-testid="reply-text"]');
        const last = replies[replies.length - 1]?.getBoundingClientRect();
        const dock = document.querySelector(".composer-dock")?.getBoundingClientRect();
        if (!last || !dock) return false;
        return last.bottom <= dock.top + 1 && last.bottom > 0;
      });
    }

    /** The feedback kept in IndexedDB with the newest conversation, one entry per turn. */
    async function storedFeedback(page: Page): Promise<unknown[]> {
      return page.evaluate(
        () =>
          new Promise<unknown[]>((resolve, reject) => {
            const open = indexedDB.open("promptloop-chat");
            open.onerror = () => reject(new Error("IndexedDB did not open"));
            open.onsuccess = () => {
              const request = open.result
                .transaction("conversations")
                .objectStore("conversations")
                .index("updatedAt")
                .getAll();
              request.onsuccess = () => {
                const rows = request.result as { turns: { feedback?: unknown }[] }[];
                resolve(rows.at(-1)?.turns.map((turn) => turn.feedback ?? null) ?? []);
                open.result.close();
              };
            };
          }),
      );
    }

    it("follows each reply, keeps the conversation over a reload, and lets 👍 become 👎 and be undone", async () => {
      const context = await browser.newContext({ viewport: { width: 900, height: 560 } });
      const page = await context.newPage();
      await page.goto(base);
      const texts = [
        "第一条：房间很干净",
        "第二条：服务太慢了",
        "第三条：早餐还行",
        "第四条：位置很好",
        "第五条：不会再来",
      ];
      for (const text of texts) {
        await send(page, text);
        expect(await lastReplyVisible(page), `after "${text}"`).toBe(true);
      }
      // The page is long enough to scroll: the follow is real.
      expect(
        await page.evaluate(() => document.documentElement.scrollHeight > window.innerHeight * 1.5),
      ).toBe(true);

      // Scrolled up, the view stays put and offers a way back down.
      await page.mouse.wheel(0, -2000);
      await page.getByTestId("jump-to-latest").waitFor();
      const scrolledTo = await page.evaluate(() => window.scrollY);
      await page.getByTestId("jump-to-latest").click();
      expect(await page.evaluate(() => window.scrollY)).toBeGreaterThan(scrolledTo);
      expect(await lastReplyVisible(page)).toBe(true);

      // 👍, then 👎 instead, then 👎 again to undo: three events, the latest counts.
      const turn = page.getByTestId("turn").nth(1);
      const sentiment = sentimentOf(turn);
      await sentiment.getByTestId("thumbs-up").click();
      await sentiment.getByTestId("thumbs-down").click();
      await sentiment.getByTestId("thumbs-down").click();
      expect(await sentiment.getByTestId("thumbs-down").getAttribute("aria-pressed")).toBe("false");
      const sentimentId = await app.database.db
        .selectFrom("interactions")
        .select("id")
        .where("input", "=", texts[1]!)
        .where("task", "=", "sentiment")
        .executeTakeFirstOrThrow();
      await expect
        .poll(() => eventsOf(sentimentId.id), { timeout: 10_000 })
        .toEqual([
          ["label_confirm", { correct: true }],
          ["label_confirm", { correct: false }],
          ["label_confirm", { correct: false, withdrawn: true }],
        ]);

      // A reload brings the conversation back from IndexedDB, in order, with the history list.
      await page.reload();
      await expect.poll(() => page.getByTestId("turn").count()).toBe(texts.length);
      const shown = await page.locator(".bubble--user").allTextContents();
      expect(shown).toEqual(texts);
      expect(await page.getByTestId("chat-history").textContent()).toContain("第一条：房间很干净");
      expect(await lastReplyVisible(page)).toBe(true);

      // New chat starts empty; the old one stays in the list and opens again.
      await page.getByTestId("new-chat").click();
      await page.getByTestId("chat-empty").waitFor();
      await page.getByTestId("chat-history").locator("summary").click();
      await page.getByTestId("history-item").first().click();
      await expect.poll(() => page.getByTestId("turn").count()).toBe(texts.length);
      await context.close();
    });

    it("checks the length before sending, and retries a failed turn", async () => {
      const context = await browser.newContext({ viewport: { width: 900, height: 700 } });
      const page = await context.newPage();
      await page.goto(base);
      const input = page.getByTestId("message-input");
      await input.fill("好".repeat(maxInputChars - 10));
      expect(await page.getByTestId("char-count").textContent()).toBe(
        `${maxInputChars - 10} / ${maxInputChars} 字`,
      );
      await input.fill("好".repeat(maxInputChars + 1));
      expect(await page.getByTestId("char-count").textContent()).toBe(
        `消息超过 ${maxInputChars} 字，请删减后再发送。`,
      );
      expect(await page.getByTestId("send-button").getAttribute("aria-disabled")).toBe("true");
      await input.press("Enter");
      expect(await page.getByTestId("turn").count()).toBe(0);
      expect(await input.inputValue()).toHaveLength(maxInputChars + 1);

      // The server is busy once: the turn fails with a translated message and a retry that works.
      let refused = 0;
      await page.route("**/api/analyze", async (route) => {
        if (refused++ > 0) return route.fallback();
        await route.fulfill({
          status: 503,
          contentType: "application/json",
          body: JSON.stringify({ error: { code: "ENGINE_BUSY", message: "All sequences are busy" } }),
        });
      });
      await input.fill("早餐很好吃");
      await page.getByTestId("send-button").click();
      const error = page.getByTestId("turn-error");
      await error.waitFor();
      expect(await error.textContent()).toContain("模型正忙，请稍后再试。");
      expect(await error.textContent()).not.toContain("All sequences are busy");
      await page.getByTestId("retry-button").click();
      await page.locator('[data-testid="turn"][data-phase="done"]').waitFor({ timeout: 30_000 });
      expect(await page.getByTestId("turn").count()).toBe(1);
      expect(await page.getByTestId("turn-error").count()).toBe(0);
      await context.close();
    });

    it("takes reasons and a comment on a bad reply, regenerates, and resends an edited message", async () => {
      const context = await browser.newContext({ viewport: { width: 900, height: 900 } });
      const page = await context.newPage();
      await page.goto(base);
      await send(page, "推荐一家餐厅");
      const turn = page.getByTestId("turn").first();
      const replyId = (await replyIdOf(page, 0))!;
      await turn.getByTestId("reply-thumbs-down").click();
      await turn.getByTestId("reply-reason-off_topic").click();
      await turn.getByTestId("reply-reason-inaccurate").click();
      await turn.getByTestId("reply-reason-comment").fill("没有回答问题");
      await turn.getByTestId("reply-reason-send").click();
      // Still editable: one reason fewer, sent again.
      await turn.getByTestId("reply-reason-off_topic").click();
      await turn.getByTestId("reply-reason-send").click();
      await expect
        .poll(() => eventsOf(replyId), { timeout: 10_000 })
        .toEqual([
          ["reply_reason", { reasons: ["inaccurate", "off_topic"], comment: "没有回答问题" }],
          ["reply_reason", { reasons: ["inaccurate"], comment: "没有回答问题" }],
        ]);

      // Regenerate: a new reply (a new interaction) to the same message, still one turn.
      await turn.getByTestId("regenerate-button").click();
      await expect
        .poll(() => replyIdOf(page, 0), { timeout: 30_000 })
        .not.toMatch(new RegExp(`^${replyId}$|^$`));
      expect(await replyIdOf(page, 0)).not.toBeNull();
      expect(await page.getByTestId("turn").count()).toBe(1);

      // Edit the message and resend it: the turn runs again with the new text.
      await page.getByTestId("edit-message").click();
      await page.getByTestId("user-edit-input").fill("推荐一家安静的咖啡馆");
      await page.getByTestId("user-edit-resend").click();
      await expect
        .poll(() => page.locator(".bubble--user").allTextContents())
        .toEqual(["推荐一家安静的咖啡馆"]);
      await page.locator('[data-testid="turn"][data-phase="done"]').waitFor({ timeout: 30_000 });
      expect(await page.locator(".bubble--user").allTextContents()).toEqual(["推荐一家安静的咖啡馆"]);
      const rerun = await app.database.db
        .selectFrom("interactions")
        .select("id")
        .where("input", "=", "推荐一家安静的咖啡馆")
        .where("task", "=", "chat")
        .executeTakeFirst();
      expect(rerun).toBeDefined();
      await context.close();
    });

    it("shows each turn's feedback after a reload, and a 👍 changed to 👎 is still 👎 after another reload", async () => {
      const context = await browser.newContext({ viewport: { width: 900, height: 900 } });
      const page = await context.newPage();
      await page.goto(base);
      await send(page, "酒店的床很舒服");
      await send(page, "前台态度一般");
      const first = () => page.getByTestId("turn").first();
      await sentimentOf(first()).getByTestId("thumbs-up").click();
      await first().getByTestId("rating-star-4").click();
      await first().getByTestId("reply-thumbs-down").click();
      await first().getByTestId("reply-reason-too_long").click();
      await first().getByTestId("reply-reason-send").click();
      await expect
        .poll(() => storedFeedback(page))
        .toEqual([
          {
            labels: { sentiment: { verdict: "up", correctedTo: null, reasons: [] } },
            rating: 4,
            replyReasons: { reasons: ["too_long"], comment: "" },
          },
          null,
        ]);

      await page.reload();
      await expect.poll(() => page.getByTestId("turn").count()).toBe(2);
      expect(await sentimentOf(first()).getByTestId("thumbs-up").getAttribute("aria-pressed")).toBe("true");
      expect(await first().getByTestId("rating-star-4").getAttribute("aria-checked")).toBe("true");
      expect(await first().getByTestId("reply-thumbs-down").getAttribute("aria-pressed")).toBe("true");
      const second = page.getByTestId("turn").nth(1);
      expect(await sentimentOf(second).getByTestId("thumbs-up").getAttribute("aria-pressed")).toBe("false");
      expect(await second.getByTestId("rating-star-1").getAttribute("aria-checked")).toBe("false");

      // Still changeable after the reload: 👍 becomes 👎 with a corrected label, as new events.
      await sentimentOf(first()).getByTestId("thumbs-down").click();
      const correction = sentimentOf(first()).locator('[data-testid^="correct-label-"]').first();
      const correctedLabel = (await correction.getAttribute("data-testid"))!.replace("correct-label-", "");
      await correction.click();
      await expect
        .poll(async () => (await storedFeedback(page))[0])
        .toMatchObject({ labels: { sentiment: { verdict: "down", correctedTo: correctedLabel } } });

      await page.reload();
      await expect.poll(() => page.getByTestId("turn").count()).toBe(2);
      expect(await sentimentOf(first()).getByTestId("thumbs-down").getAttribute("aria-pressed")).toBe("true");
      expect(await sentimentOf(first()).getByTestId("thumbs-up").getAttribute("aria-pressed")).toBe("false");
      expect(await sentimentOf(first()).getByTestId("classifier-chip").getAttribute("data-label")).toBe(
        correctedLabel,
      );
      expect(await sentimentOf(first()).getByTestId("classifier-chip").getAttribute("data-corrected")).toBe(
        "true",
      );

      const sentimentId = await app.database.db
        .selectFrom("interactions")
        .select("id")
        .where("input", "=", "酒店的床很舒服")
        .where("task", "=", "sentiment")
        .executeTakeFirstOrThrow();
      await expect
        .poll(() => eventsOf(sentimentId.id), { timeout: 10_000 })
        .toEqual([
          ["label_confirm", { correct: true }],
          ["label_confirm", { correct: false }],
          ["label_correct", { label: correctedLabel }],
        ]);
      await context.close();
    });

    for (const colorScheme of ["light", "dark"] as const) {
      it(`passes axe-core's colour-contrast check with feedback open, stars, chips and disabled states (${colorScheme})`, async () => {
        const context = await browser.newContext({ viewport: { width: 900, height: 1000 }, colorScheme });
        const page = await context.newPage();
        await page.goto(base);
        expect(await contrastFailures(page)).toEqual([]);
        await send(page, "这家店的菜有点咸");
        const turn = page.getByTestId("turn").first();
        await sentimentOf(turn).getByTestId("thumbs-down").click();
        await sentimentOf(turn).locator('[data-testid^="reason-"]').first().click();
        await sentimentOf(turn).locator('[data-testid^="correct-label-"]').first().click();
        await turn.getByTestId("rating-star-3").click();
        await turn.getByTestId("reply-thumbs-down").click();
        await turn.getByTestId("reply-reason-inaccurate").click();
        // Over the limit: the warning and the disabled send button.
        await page.getByTestId("message-input").fill("好".repeat(maxInputChars + 1));
        await page.getByTestId("chat-history").locator("summary").click();
        expect(await contrastFailures(page)).toEqual([]);
        expect(await nonTextContrastFailures(page, ".star")).toEqual([]);

        // A failed turn with its retry button.
        await page.route("**/api/analyze", (route) =>
          route.fulfill({
            status: 503,
            contentType: "application/json",
            body: JSON.stringify({ error: { code: "ENGINE_BUSY", message: "All sequences are busy" } }),
          }),
        );
        await page.getByTestId("message-input").fill("再来一条");
        await page.getByTestId("send-button").click();
        await page.getByTestId("turn-error").waitFor();
        expect(await contrastFailures(page)).toEqual([]);
        await context.close();
      });
    }
  },
);
