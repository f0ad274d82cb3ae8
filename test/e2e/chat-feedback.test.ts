import fs from "node:fs";
import path from "node:path";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { packageRoot } from "../../src/config.js";
import { type App } from "../../src/server/create-app.js";
import { startTestApp, testAdminToken } from "../support/test-app.js";
import { browserAvailable, launchBrowser } from "./browser.js";

const artifacts = path.join(packageRoot, "test-artifacts");
const webBuilt = fs.existsSync(path.join(packageRoot, "web", "dist", "index.html"));

describe.skipIf(!browserAvailable())("web app in Chromium against the real server", () => {
  let app: App;
  let browser: Browser;
  let base: string;

  beforeAll(async () => {
    if (!webBuilt) throw new Error("web/dist is missing: run `npm run build:web` (npm test does it)");
    fs.mkdirSync(artifacts, { recursive: true });
    app = await startTestApp({ MAX_REPLY_TOKENS: 16 });
    await app.server.listen({ host: "127.0.0.1", port: 0 });
    const address = app.server.server.address();
    if (address === null || typeof address === "string") throw new Error("not listening on TCP");
    base = `http://127.0.0.1:${address.port}`;
    browser = await launchBrowser();
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

  it("sends a message, shows label and reply, and records exactly the feedback the user gave", async () => {
    const context = await browser.newContext({ viewport: { width: 1200, height: 900 } });
    const page = await context.newPage();
    await page.goto(base);
    await page.getByTestId("chat-empty").waitFor();

    // 1–2. Send a message; see the label chip, then the streamed reply.
    await page.getByTestId("message-input").fill("这个结果真是令人失望，不过还能接受");
    await page.getByTestId("send-button").click();
    const chip = page.getByTestId("sentiment-chip");
    await chip.waitFor();
    await expect.poll(() => chip.textContent()).toMatch(/正面|负面/);
    const reply = page.getByTestId("reply-text");
    await reply.waitFor();
    await page.locator('[data-testid="stream-status"][data-phase="done"]').waitFor({ timeout: 20_000 });

    const rows = await app.database.db.selectFrom("interactions").selectAll().orderBy("created_at").execute();
    expect(rows.map((r) => r.task)).toEqual(["sentiment", "chat"]);
    const [sentiment, chat] = rows as [(typeof rows)[0], (typeof rows)[0]];
    const predicted = sentiment.label!;
    const other = predicted === "正面" ? "负面" : "正面";
    expect(await chip.textContent()).toContain(predicted);

    // 3. 👎, then the one-click correction with a reason tag.
    await page.getByTestId("thumbs-down").click();
    await page.getByTestId("reason-sarcasm").click();
    await page.getByTestId(`correct-label-${other}`).click();

    // 4. Rate the reply.
    await page.getByTestId("rating-star-4").click();

    // 5. Edit the reply in place and save it.
    await page.getByTestId("edit-button").click();
    await page.getByTestId("edit-textarea").fill("谢谢你的反馈，我们会改进。");
    await page.getByTestId("save-button").click();
    await page.getByTestId("edited-marker").waitFor();
    await expect.poll(() => reply.textContent()).toContain("谢谢你的反馈，我们会改进。");

    await expect
      .poll(async () => (await eventsOf(chat.id)).length, { timeout: 10_000 })
      .toBeGreaterThanOrEqual(2);
    await page.screenshot({ path: path.join(artifacts, "chat-page.png"), fullPage: true });

    // 6. Leave the page: pagehide sends the exit (and the reply's visible time) with sendBeacon.
    await page.goto("about:blank");
    await expect
      .poll(async () => (await eventsOf(chat.id)).map((e) => e.type), { timeout: 10_000 })
      .toContain("exit");
    await context.close();

    const sentimentEvents = (await eventsOf(sentiment.id)).map((e) => [e.type, JSON.parse(e.payload)]);
    expect(sentimentEvents).toEqual([
      ["label_confirm", { correct: false }],
      ["label_correct", { label: other, reasons: ["sarcasm"] }],
    ]);
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
    expect(await page.getByTestId("misclassified-table").textContent()).toContain("这个结果真是令人失望");
    await page.getByTestId("prompt-versions").waitFor();
    expect(await page.getByTestId("prompt-versions").textContent()).toContain("sentiment@v1");
    await page.waitForTimeout(500);
    await page.screenshot({ path: path.join(artifacts, "dashboard.png"), fullPage: true });
    await context.close();
  });

  it("works on a phone-sized screen", async () => {
    const context = await browser.newContext({ viewport: { width: 375, height: 740 }, isMobile: true });
    const page = await context.newPage();
    await page.goto(base);
    await page.getByTestId("message-input").waitFor();
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    await page.screenshot({ path: path.join(artifacts, "chat-page-mobile.png"), fullPage: true });
    await context.close();
  });
});
