import path from "node:path";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type App } from "../../src/server/create-app.js";
import { adminHeaders, testAdminToken } from "../support/test-app.js";
import { browserAvailable } from "./browser.js";
import { contrastFailures } from "./color-contrast.js";
import { artifactsDir, startServedWebApp } from "./served-web-app.js";

describe.skipIf(!browserAvailable())("the operator console in Chromium against the real server", () => {
  let app: App;
  let browser: Browser;
  let base: string;

  beforeAll(async () => {
    ({ app, browser, base } = await startServedWebApp({ MAX_REPLY_TOKENS: 16, ANALYSIS_CRON: "" }));
  });
  afterAll(async () => {
    await browser?.close();
    await app?.close();
  });

  it("signs in, runs the analysis, reads the report, diffs a draft, starts its canary, watches it and promotes it", async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 1000 } });
    const page = await context.newPage();
    await page.goto(`${base}/#/console`);
    await page.getByTestId("dashboard-token-input").fill(testAdminToken);
    await page.getByTestId("sign-in-name").fill("alice");
    await page.getByTestId("dashboard-token-submit").click();
    await page.getByTestId("signed-in-as").waitFor();
    expect(await page.getByTestId("signed-in-as").textContent()).toContain("alice");
    // The session is a cookie the page's scripts can't read; the token is nowhere in the page's storage.
    expect(await page.evaluate(() => document.cookie)).toBe("");
    const stored = await page.evaluate(() => JSON.stringify({ ...localStorage, ...sessionStorage }));
    expect(stored).not.toContain(testAdminToken);

    // Run the analysis: the button shows the run, then its report opens.
    await page.getByTestId("analysis-run").click();
    await page.getByTestId("report-detail").waitFor({ timeout: 120_000 });
    expect(await page.getByTestId("reports-table").locator("tbody tr").count()).toBeGreaterThan(0);
    expect(await page.getByTestId("report-task-sentiment").textContent()).toContain("sentiment");
    // The full HTML report opens in a new tab on the session cookie, with no token in the URL.
    const [reportTab] = await Promise.all([
      context.waitForEvent("page"),
      page.getByTestId("report-html-link").first().click(),
    ]);
    await reportTab.waitForLoadState();
    expect(reportTab.url()).not.toContain(testAdminToken);
    expect(await reportTab.locator("body").textContent()).toContain("Prompt");
    await reportTab.close();
    expect(await contrastFailures(page)).toEqual([]);
    await page.screenshot({ path: path.join(artifactsDir, "console-reports.png"), fullPage: true });

    // A draft derived from the active version (as the analysis would save one).
    const created = await app.server.inject({
      method: "POST",
      url: "/api/admin/prompts",
      headers: adminHeaders,
      payload: {
        task: "sentiment",
        version: "v7",
        system:
          "你是一个冷酷的情感分析师。\n注意：如果句子包含矛盾情绪（如“失望但能接受”），优先判定为“负面”。",
        changelog: { why: "mixed sentiment was judged positive" },
      },
    });
    expect(created.statusCode).toBe(201);

    await page.goto(`${base}/#/console/versions`);
    await page.getByTestId("version-row-sentiment@v7").waitFor();
    await page.getByTestId("version-row-sentiment@v7").getByRole("link").click();
    await page.getByTestId("version-page").waitFor();
    expect(await page.getByTestId("version-page").getAttribute("data-status")).toBe("draft");
    await page.getByTestId("diff-against").selectOption("sentiment@v1");
    await page.getByTestId("diff-show").click();
    await page.locator('[data-testid="version-diff"], [role="alert"]').first().waitFor();
    expect(await page.getByRole("alert").count(), await page.locator("body").innerText()).toBe(0);
    expect(
      await page
        .locator(
          '[data-testid="version-diff"] tr[data-kind="changed"], [data-testid="version-diff"] tr[data-kind="added"]',
        )
        .count(),
    ).toBeGreaterThan(0);
    expect(await contrastFailures(page)).toEqual([]);
    await page.screenshot({ path: path.join(artifactsDir, "console-version-diff.png"), fullPage: true });

    await page.getByTestId("version-action-start-canary").click();
    await page.getByTestId("version-action-reason").fill("矛盾情绪的错误率高");
    await page.getByTestId("version-action-confirm").click();
    await page
      .locator('[data-testid="version-page"][data-status="canary"], [role="alert"]')
      .first()
      .waitFor();
    expect(await page.getByRole("alert").count(), await page.locator("body").innerText()).toBe(0);
    await page.locator('[data-testid="version-page"][data-status="canary"]').waitFor();
    expect(await page.getByTestId("version-moves").textContent()).toContain("console:alice");

    // One look by the rollout (as the schedule would): its statistics fill the results page.
    const evaluated = await app.server.inject({
      method: "POST",
      url: "/api/admin/rollouts/evaluate",
      headers: adminHeaders,
    });
    expect(evaluated.statusCode).toBe(200);
    await page.goto(`${base}/#/console/experiments`);
    const result = page.locator('[data-testid^="experiment-result-"][data-status="running"]');
    await result.waitFor();
    expect(await result.textContent()).toContain("sentiment@v7");
    await result.getByTestId("experiment-arms").waitFor();
    expect(await result.getByTestId("experiment-guardrails").locator("tbody tr").count()).toBeGreaterThan(0);
    expect(await result.getByTestId("experiment-srm").textContent()).toContain("SRM");
    expect(await contrastFailures(page)).toEqual([]);
    await page.waitForTimeout(300);
    await page.screenshot({ path: path.join(artifactsDir, "console-experiments.png"), fullPage: true });

    await page.goto(`${base}/#/console/versions/${encodeURIComponent("sentiment@v7")}`);
    await page.getByTestId("version-action-promote").click();
    await page.getByTestId("version-action-reason").fill("人工确认：新提示词更准确");
    await page.getByTestId("version-action-confirm").click();
    // Nobody labelled the canary's answers: the server asks for an explicit "promote without evidence".
    await page.getByTestId("version-action-no-evidence").waitFor();
    expect(await page.getByTestId("version-action-confirm").isDisabled()).toBe(true);
    await page.getByTestId("version-action-force").check();
    await page.getByTestId("version-action-confirm").click();
    await page.locator('[data-testid="version-page"][data-status="active"]').waitFor();
    const moves = await page.getByTestId("version-moves").textContent();
    expect(moves).toContain("人工确认：新提示词更准确");
    expect(moves).toContain("without evidence");

    await page.goto(`${base}/#/console/experiments`);
    const promoted = page.locator('[data-testid^="experiment-result-"][data-status="promoted"]');
    await promoted.waitFor();

    // Sign out: the admin API refuses the browser again.
    await page.getByTestId("dashboard-sign-out").click();
    await page.getByTestId("dashboard-token-input").waitFor();
    const after = await page.evaluate(async () => (await fetch("/api/admin/prompts")).status);
    expect(after).toBe(401);
    await context.close();
  }, 300_000);

  it("the dashboard and the sign-in form pass axe-core's contrast check", async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 1000 } });
    const page = await context.newPage();
    await page.goto(`${base}/#/dashboard`);
    await page.getByTestId("dashboard-token-input").waitFor();
    expect(await contrastFailures(page)).toEqual([]);
    await page.getByTestId("dashboard-token-input").fill(testAdminToken);
    await page.getByTestId("dashboard-token-submit").click();
    await page.getByTestId("dashboard-content").waitFor({ timeout: 15_000 });
    expect(await contrastFailures(page)).toEqual([]);
    await context.close();
  }, 120_000);
});
