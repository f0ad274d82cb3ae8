import path from "node:path";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type App } from "../../src/server/create-app.js";
import { browserAvailable } from "./browser.js";
import { artifactsDir, startServedWebApp } from "./served-web-app.js";

describe.skipIf(!browserAvailable())("the 我记得… memory panel in Chromium against the real server", () => {
  let app: App;
  let browser: Browser;
  let base: string;

  beforeAll(async () => {
    ({ app, browser, base } = await startServedWebApp({ MAX_REPLY_TOKENS: 8, MEMORY: "on" }));
  });
  afterAll(async () => {
    await browser?.close();
    await app?.close();
  });

  /** What the server holds for the page's session, read through the public API. */
  const serverMemory = async (page: Page) => {
    const sessionId = await page.evaluate(() => window.localStorage.getItem("promptloop.sessionId"));
    const response = await fetch(`${base}/api/memory?sessionId=${encodeURIComponent(sessionId ?? "")}`);
    expect(response.status).toBe(200);
    return (await response.json()) as { enabled: boolean; chosen: boolean; entries: { text: string }[] };
  };

  const send = async (page: Page, text: string, index: number) => {
    await page.getByTestId("message-input").fill(text);
    await page.getByTestId("send-button").click();
    await page.locator('[data-testid="turn"][data-phase="done"]').nth(index).waitFor({ timeout: 30_000 });
  };

  it("shows what chat taught it, deletes it, and learns nothing once the user switches it off", async () => {
    const context = await browser.newContext({ viewport: { width: 1200, height: 900 } });
    const page = await context.newPage();
    await page.goto(base);
    await page.getByTestId("chat-empty").waitFor();
    const panel = page.getByTestId("memory-panel");
    await panel.locator("summary").click();
    await panel.getByTestId("memory-empty").waitFor();
    // MEMORY=on: on by the deployment's default, not by the user's choice.
    expect(await panel.getByTestId("memory-switch-state").textContent()).toBe("已开启（默认设置）");

    // Stating a preference in chat: after the reply the panel lists it, without a reload.
    await send(page, "以后请叫我小王", 0);
    const entry = panel.getByTestId("memory-entry");
    await entry.first().waitFor();
    expect(await entry.count()).toBe(1);
    expect(await entry.first().textContent()).toContain("小王");
    // When it was stated, as a date in the reader's language (the API gives epoch ms).
    expect(await entry.first().locator("time").textContent()).toMatch(/^记于 \d{4}年\d{1,2}月\d{1,2}日/);
    expect((await serverMemory(page)).entries.map((e) => e.text).join()).toContain("小王");
    await page.screenshot({ path: path.join(artifactsDir, "memory-panel.png"), fullPage: true });

    // Delete it: gone from the panel and from the server.
    await entry.first().getByTestId("memory-delete").click();
    await panel.getByTestId("memory-empty").waitFor();
    expect((await serverMemory(page)).entries).toEqual([]);

    // Switch it off: the user's choice now, and a new preference is not remembered.
    await panel.getByTestId("memory-switch").click();
    await expect
      .poll(() => panel.getByTestId("memory-switch-state").textContent())
      .toBe("已关闭（你的选择）");
    expect(await panel.getByTestId("memory-switch").isChecked()).toBe(false);
    await send(page, "我是素食者", 1);
    const after = await serverMemory(page);
    expect(after).toMatchObject({ enabled: false, chosen: true, entries: [] });
    expect(await entry.count()).toBe(0);

    // The choice holds across a reload (it is the server's, not the page's).
    await page.reload();
    await panel.locator("summary").click();
    await expect
      .poll(() => panel.getByTestId("memory-switch-state").textContent())
      .toBe("已关闭（你的选择）");
    await context.close();
  });
});
