import fs from "node:fs";
import path from "node:path";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { packageRoot } from "../../src/config.js";
import type { App } from "../../src/server/create-app.js";
import { startTestApp, testAdminToken } from "../support/test-app.js";
import { browserAvailable, launchBrowser } from "./browser.js";

const webBuilt = fs.existsSync(path.join(packageRoot, "web", "dist", "index.html"));

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
    if (!webBuilt) throw new Error("web/dist is missing: run `npm run build:web` (npm test does it)");
    app = await startTestApp({ MAX_REPLY_TOKENS: 8 });
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
