import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { App } from "../../src/server/create-app.js";
import { adminHeaders, testAdminToken } from "../support/test-app.js";
import { browserAvailable } from "./browser.js";
import { startServedWebApp } from "./served-web-app.js";

interface Turn {
  interactionId: string;
  feedbackToken: string;
}

/**
 * The dashboard page shows chat@v1's fused quality score and bad-turn rate with their intervals, and a
 * classification's exits through its reply apart from its own exits. On the tiny model, through HTTP: twelve chat
 * turns, four rated 1 (bad turns) and eight rated 5 and copied; then three all-in-one turns (/api/analyze: a
 * sentiment classification and its chat reply), the user leaving on one of the replies.
 */
describe.skipIf(!browserAvailable())("dashboard: chat quality in Chromium", () => {
  let app: App;
  let browser: Browser;
  let base: string;

  beforeAll(async () => {
    ({ app, browser, base } = await startServedWebApp({ MAX_REPLY_TOKENS: 8 }));
  });
  afterAll(async () => {
    await browser?.close();
    await app?.close();
  });

  async function post<T>(url: string, body: unknown, status: number): Promise<T> {
    const res = await fetch(`${base}${url}`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(body),
    });
    const text = await res.text();
    expect(res.status, text).toBe(status);
    return JSON.parse(text) as T;
  }

  it("shows chat@v1's quality with intervals, and exits through replies apart", async () => {
    for (let i = 0; i < 12; i++) {
      const sessionId = `dash-quality-${i}`;
      const turn = await post<Turn>(
        "/api/chat",
        { messages: [{ role: "user", content: `你好，第${i}个问题` }], sessionId, stream: false },
        200,
      );
      const base = { interactionId: turn.interactionId, sessionId, feedbackToken: turn.feedbackToken };
      await post("/api/feedback", { ...base, type: "rating", score: i < 4 ? 1 : 5 }, 202);
      if (i >= 4) await post("/api/feedback", { ...base, type: "copy" }, 202);
    }
    for (let i = 0; i < 3; i++) {
      const sessionId = `dash-turn-${i}`;
      const turn = await post<{ reply: Turn }>(
        "/api/analyze",
        { text: `这家店的服务很好，第${i}次来`, sessionId, stream: false },
        200,
      );
      if (i === 0) {
        const { interactionId, feedbackToken } = turn.reply;
        await post("/api/feedback", { interactionId, sessionId, feedbackToken, type: "exit" }, 202);
      }
    }
    const api = await fetch(`${base}/api/admin/dashboard`, { headers: adminHeaders });
    expect(api.status).toBe(200);
    const totals = ((await api.json()) as { totals: Record<string, number | string | null>[] }).totals;
    const row = totals.find((entry) => entry.promptVersion === "chat@v1")!;
    // The three replies are chat turns too; only the one left on has a signal (the exit alone is not a bad turn).
    expect(row).toMatchObject({ interactions: 15, scoredTurns: 13, badTurns: 4, exits: 1 });
    const sentiment = totals.find((entry) => entry.promptVersion === "sentiment@v1")!;
    expect(sentiment).toMatchObject({ interactions: 3, exits: 0, exitsThroughReplies: 1 });

    const context = await browser.newContext({ viewport: { width: 1400, height: 1000 } });
    const page = await context.newPage();
    await page.goto(`${base}/#/dashboard`);
    await page.getByTestId("dashboard-token-input").fill(testAdminToken);
    await page.getByTestId("dashboard-token-submit").click();
    await page.getByTestId("totals-table").waitFor({ timeout: 15_000 });
    const chatRow = page.getByTestId("totals-table").locator("tr", { hasText: "chat@v1" });
    const fixed = (value: unknown) => (value as number).toFixed(2);
    expect(await chatRow.getByTestId("quality-score").textContent()).toBe(
      `${fixed(row.meanScore)} [${fixed(row.meanScoreLow)}, ${fixed(row.meanScoreHigh)}] n=13`,
    );
    const badTurns = await chatRow.getByTestId("bad-turn-rate").textContent();
    expect(badTurns).toMatch(/^30\.8% \[\d+\.\d%, \d+\.\d%\] 4\/13$/);
    const [low, high] = badTurns!
      .match(/\[(\d+\.\d)%, (\d+\.\d)%\]/)!
      .slice(1)
      .map(Number);
    expect(low).toBeCloseTo((row.badTurnRateLow as number) * 100, 1);
    expect(high).toBeCloseTo((row.badTurnRateHigh as number) * 100, 1);
    const sentimentRow = page.getByTestId("totals-table").locator("tr", { hasText: "sentiment@v1" });
    expect(await sentimentRow.getByTestId("exits-through-replies").textContent()).toBe("1 (33.3%)");
    expect(await chatRow.getByTestId("exits-through-replies").textContent()).toBe("–");

    // At 1280×800 the totals table fits its box in both languages: nothing to scroll sideways.
    await page.setViewportSize({ width: 1280, height: 800 });
    const overflow = () =>
      page.getByTestId("totals-table").evaluate((table) => {
        const box = table.parentElement!;
        return { scrollWidth: box.scrollWidth, clientWidth: box.clientWidth };
      });
    const zh = await overflow();
    await page.getByTestId("language-switch").click();
    await page.getByTestId("totals-table").getByText("Interactions").waitFor();
    const en = await overflow();
    expect(zh.scrollWidth).toBeLessThanOrEqual(zh.clientWidth);
    expect(en.scrollWidth).toBeLessThanOrEqual(en.clientWidth);
    await context.close();
  }, 300_000);
});
