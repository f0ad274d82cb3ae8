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
 * The dashboard page shows chat@v1's fused quality score and bad-turn rate with their intervals. Twelve chat turns
 * on the tiny model get scripted feedback through HTTP: four are rated 1 (bad turns), eight are rated 5 and copied.
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

  it("shows chat@v1's mean score and bad-turn rate with intervals and scored turns", async () => {
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
    const api = await fetch(`${base}/api/admin/dashboard`, { headers: adminHeaders });
    expect(api.status).toBe(200);
    const row = ((await api.json()) as { totals: Record<string, number | string | null>[] }).totals.find(
      (entry) => entry.promptVersion === "chat@v1",
    )!;
    expect(row).toMatchObject({ scoredTurns: 12, badTurns: 4 });

    const context = await browser.newContext({ viewport: { width: 1400, height: 1000 } });
    const page = await context.newPage();
    await page.goto(`${base}/#/dashboard`);
    await page.getByTestId("dashboard-token-input").fill(testAdminToken);
    await page.getByTestId("dashboard-token-submit").click();
    await page.getByTestId("totals-table").waitFor({ timeout: 15_000 });
    const chatRow = page.getByTestId("totals-table").locator("tr", { hasText: "chat@v1" });
    const fixed = (value: unknown) => (value as number).toFixed(2);
    expect(await chatRow.getByTestId("quality-score").textContent()).toBe(
      `${fixed(row.meanScore)} [${fixed(row.meanScoreLow)}, ${fixed(row.meanScoreHigh)}] n=12`,
    );
    const badTurns = await chatRow.getByTestId("bad-turn-rate").textContent();
    expect(badTurns).toMatch(/^33\.3% \[\d+\.\d%, \d+\.\d%\] 4\/12$/);
    const [low, high] = badTurns!
      .match(/\[(\d+\.\d)%, (\d+\.\d)%\]/)!
      .slice(1)
      .map(Number);
    expect(low).toBeCloseTo((row.badTurnRateLow as number) * 100, 1);
    expect(high).toBeCloseTo((row.badTurnRateHigh as number) * 100, 1);
    await context.close();
  }, 300_000);
});
