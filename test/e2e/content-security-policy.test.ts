import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { App } from "../../src/server/create-app.js";
import { testAdminToken } from "../support/test-app.js";
import { browserAvailable } from "./browser.js";
import { startServedWebApp } from "./served-web-app.js";

/** Records every CSP violation the page reports, from the first script on. */
async function watchViolations(page: Page): Promise<() => Promise<string[]>> {
  const console: string[] = [];
  page.on("console", (message) => {
    if (/Content Security Policy/i.test(message.text())) console.push(message.text());
  });
  await page.addInitScript(() => {
    const seen: string[] = [];
    Object.assign(window, { cspViolations: seen });
    document.addEventListener("securitypolicyviolation", (event) =>
      seen.push(`${event.violatedDirective} ${event.blockedURI}`),
    );
  });
  return async () => [
    ...console,
    ...(await page.evaluate(() => (window as unknown as { cspViolations: string[] }).cspViolations)),
  ];
}

/** Issue 17 §5: the strict CSP must not break the app, the dashboard or the API docs. */
describe.skipIf(!browserAvailable())("the web app under its Content-Security-Policy", () => {
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

  it("chats and shows the dashboard's charts with no CSP violation", async () => {
    const page = await browser.newPage();
    const violations = await watchViolations(page);
    await page.goto(base);
    await page.getByTestId("message-input").fill("房间很干净");
    await page.getByTestId("send-button").click();
    await page.locator('[data-testid="stream-status"][data-phase="done"]').waitFor({ timeout: 20_000 });
    await page.goto(`${base}/#/dashboard`);
    await page.getByTestId("dashboard-token-input").fill(testAdminToken);
    await page.getByTestId("dashboard-token-submit").click();
    await page.getByTestId("dashboard-content").waitFor({ timeout: 15_000 });
    await page.locator(".recharts-surface").first().waitFor();
    expect(await violations()).toEqual([]);
    await page.close();
  });

  it("renders the API docs (/docs)", async () => {
    const page = await browser.newPage();
    const violations = await watchViolations(page);
    await page.goto(`${base}/docs`);
    await page.locator(".opblock").first().waitFor({ timeout: 15_000 });
    expect(await violations()).toEqual([]);
    await page.close();
  });
});
