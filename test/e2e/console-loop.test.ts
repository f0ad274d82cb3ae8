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

  it("signs in, runs the analysis, reads the report, creates a draft in the form, diffs it, tries it in the playground, starts its canary, watches it and promotes it", async () => {
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

    // Answers users corrected (after the run, so the report above has no draft of its own): the playground's
    // "latest misclassifications" set.
    const corrected = ["味道一般，但是可以接受", "送餐很慢，不过饭菜还热", "包装破了，还好东西没坏"];
    const correctedIds: string[] = [];
    for (const text of corrected) {
      const answer = (
        await app.server.inject({
          method: "POST",
          url: "/api/sentiment",
          payload: { text, sessionId: "e2e-user" },
        })
      ).json() as { interactionId: string; feedbackToken: string; label: string };
      const feedback = await app.server.inject({
        method: "POST",
        url: "/api/feedback",
        payload: {
          interactionId: answer.interactionId,
          feedbackToken: answer.feedbackToken,
          sessionId: "e2e-user",
          eventId: `e2e-${answer.interactionId.slice(0, 12)}`,
          type: "label_correct",
          label: answer.label === "正面" ? "负面" : "正面",
        },
      });
      expect(feedback.statusCode, feedback.body).toBe(202);
      correctedIds.push(answer.interactionId);
    }
    // Two of them in a named regression set (as the triage page would add them).
    const regressionSet = await app.server.inject({
      method: "POST",
      url: "/api/admin/regression-sets",
      headers: adminHeaders,
      payload: { task: "sentiment", name: "转折句" },
    });
    expect(regressionSet.statusCode, regressionSet.body).toBe(201);
    const setId = (regressionSet.json() as { set: { id: string } }).set.id;
    for (const id of correctedIds.slice(0, 2)) {
      const added = await app.server.inject({
        method: "PUT",
        url: `/api/admin/regression-sets/${setId}/items/${id}`,
        headers: adminHeaders,
        payload: {},
      });
      expect(added.statusCode, added.body).toBeLessThan(300);
    }

    // The draft: a new version derived from the active one, in the create-version form.
    await page.goto(`${base}/#/console/versions/${encodeURIComponent("sentiment@v1")}`);
    await page.getByTestId("version-derive").click();
    await page.getByTestId("version-form").waitFor();
    const system = page.getByTestId("form-system");
    expect(await system.inputValue()).toContain("情感");
    const draftId = `sentiment@${await page.getByTestId("form-version").inputValue()}`;
    await page.getByTestId("form-changelog").fill("矛盾情绪（失望但能接受）被判为正面");
    // Unchanged, it is refused, and the form says why in the reader's language.
    await page.getByTestId("form-create").click();
    await page.getByTestId("form-problem").waitFor();
    expect(await page.getByTestId("form-problem").textContent()).toContain("与父版本完全相同");
    await system.fill(
      `${await system.inputValue()}\n注意：如果句子包含矛盾情绪（如“失望但能接受”），优先判定为“负面”。`,
    );
    expect(await contrastFailures(page)).toEqual([]);
    await page.screenshot({ path: path.join(artifactsDir, "console-version-form.png"), fullPage: true });
    await page.getByTestId("form-create").click();
    await page.getByTestId("version-page").waitFor();
    expect(await page.getByTestId("version-page").getAttribute("data-status")).toBe("draft");
    expect(await page.locator("#version-heading").textContent()).toBe(draftId);
    const shown = (
      await app.server.inject({ url: `/api/admin/prompts/${draftId}`, headers: adminHeaders })
    ).json();
    expect(shown.version.changelog.createdBy).toBe("console:alice");
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

    // Try it in the playground beside the active version: typed inputs, then the latest misclassifications.
    await page.getByTestId("version-try").click();
    await page.getByTestId("playground").waitFor();
    expect(await page.getByTestId("playground-candidate").inputValue()).toBe(draftId);
    await page.getByTestId("playground-inputs").fill("失望但能接受\n服务很好，下次还来\n一般般吧");
    await page.getByTestId("playground-run").click();
    await page.getByTestId("playground-summary").waitFor();
    await page.locator('[data-testid="playground-run"]:not([disabled])').waitFor();
    expect(await page.getByRole("alert").count(), await page.locator("body").innerText()).toBe(0);
    expect(await page.getByTestId("playground-row").count()).toBe(3);
    const header = await page.getByTestId("playground-results").locator("thead").textContent();
    expect(header).toContain("sentiment@v1");
    expect(header).toContain(draftId);
    expect(await page.getByTestId("playground-summary").textContent()).toMatch(/一致率：\d\/3/);
    await page.getByTestId("playground-source").selectOption("misclassified");
    await page.getByTestId("playground-set-size").filter({ hasText: "共 3 条输入" }).waitFor();
    await page.getByTestId("playground-run").click();
    await page.getByTestId("playground-summary").filter({ hasText: "准确率" }).first().waitFor();
    await page.locator('[data-testid="playground-run"]:not([disabled])').waitFor();
    expect(await page.getByTestId("playground-row").count()).toBe(3);
    expect(await page.getByTestId("playground-summary").textContent()).toMatch(/sentiment@v1 准确率：\d\/3/);
    await page.getByTestId("playground-source").selectOption("regression");
    await page.getByTestId("playground-regression-set").waitFor();
    expect(await page.getByTestId("playground-regression-set").textContent()).toContain("转折句");
    await page.getByTestId("playground-set-size").filter({ hasText: "共 2 条输入" }).waitFor();
    await page.getByTestId("playground-run").click();
    await page.getByTestId("playground-summary").filter({ hasText: "准确率：" }).first().waitFor();
    await page.locator('[data-testid="playground-run"]:not([disabled])').waitFor();
    expect(await page.getByTestId("playground-row").count()).toBe(2);
    expect(await page.getByTestId("playground-summary").textContent()).toMatch(/sentiment@v1 准确率：\d\/2/);
    expect(await contrastFailures(page)).toEqual([]);
    await page.screenshot({ path: path.join(artifactsDir, "console-playground.png"), fullPage: true });
    await page.goto(`${base}/#/console/versions/${encodeURIComponent(draftId)}`);
    await page.getByTestId("version-page").waitFor();

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
    expect(await result.textContent()).toContain(draftId);
    await result.getByTestId("experiment-arms").waitFor();
    expect(await result.getByTestId("experiment-guardrails").locator("tbody tr").count()).toBeGreaterThan(0);
    expect(await result.getByTestId("experiment-srm").textContent()).toContain("SRM");
    expect(await contrastFailures(page)).toEqual([]);
    await page.waitForTimeout(300);
    await page.screenshot({ path: path.join(artifactsDir, "console-experiments.png"), fullPage: true });

    await page.goto(`${base}/#/console/versions/${encodeURIComponent(draftId)}`);
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
    // Told from the moves' stored reason codes and facts, in Chinese, with the operator's own words.
    expect(moves).toMatch(
      /全量发布（实验 [\w-]+，console:alice，证据不足时手动发布：人工确认：新提示词更准确）/,
    );
    expect(moves).toMatch(/开始灰度（实验 [\w-]+，console:alice：矛盾情绪的错误率高）/);
    expect(moves).not.toMatch(/[A-Z][a-z]+ (started|by hand|without evidence)|Promot/);
    const storedMoves = await app.database.db
      .selectFrom("prompt_label_moves")
      .select(["reason_code", "reason_params"])
      .where("to_version_id", "=", draftId)
      .orderBy("id")
      .execute();
    expect(storedMoves.map((row) => row.reason_code)).toEqual(["canary_started", "promoted"]);
    expect(JSON.parse(storedMoves[1]!.reason_params!)).toMatchObject({
      byHand: "promoted",
      note: "人工确认：新提示词更准确",
      withoutEvidence: true,
    });

    // In English (the language switch): the recorded sentences, no Chinese summary.
    await page.getByTestId("language-switch").click();
    await page
      .getByTestId("version-moves")
      .getByText("Promoted without evidence", { exact: false })
      .first()
      .waitFor();
    const english = await page.getByTestId("version-moves").textContent();
    expect(english).toMatch(/Promoted without evidence.*人工确认：新提示词更准确/);
    expect(english).not.toMatch(/全量发布|开始灰度|证据不足/);
    await page.goto(`${base}/#/dashboard`);
    await page.getByTestId("experiment-start-reason").first().waitFor();
    expect(await page.getByTestId("experiment-start-reason").first().textContent()).toBe(
      "矛盾情绪的错误率高",
    );
    expect(await page.getByTestId("experiments").textContent()).not.toMatch(/进行中|已发布|开始原因/);
    await page.getByTestId("language-switch").click();

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
