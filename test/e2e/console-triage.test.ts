import path from "node:path";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type App } from "../../src/server/create-app.js";
import { testAdminToken } from "../support/test-app.js";
import { browserAvailable } from "./browser.js";
import { contrastFailures } from "./color-contrast.js";
import { artifactsDir, startServedWebApp } from "./served-web-app.js";

describe.skipIf(!browserAvailable())("misclassification triage in Chromium against the real server", () => {
  let app: App;
  let browser: Browser;
  let base: string;
  const feedback: Array<{ id: string; text: string; label: string }> = [];

  beforeAll(async () => {
    ({ app, browser, base } = await startServedWebApp({ MAX_REPLY_TOKENS: 16, ANALYSIS_CRON: "" }));
    // Three answers judged wrong: two corrected by their users, one given 👎 (its right label is inferred).
    const texts = ["味道一般，但是可以接受", "送餐很慢，不过饭菜还热", "包装破了，还好东西没坏", "非常好吃"];
    for (const [index, text] of texts.entries()) {
      const answer = (
        await app.server.inject({
          method: "POST",
          url: "/api/sentiment",
          payload: { text, sessionId: "e2e-user" },
        })
      ).json() as { interactionId: string; feedbackToken: string; label: string };
      const verdict =
        index === 2
          ? { type: "label_confirm", correct: false }
          : index === 3
            ? { type: "label_confirm", correct: true }
            : { type: "label_correct", label: answer.label === "正面" ? "负面" : "正面", reasons: ["mixed"] };
      const sent = await app.server.inject({
        method: "POST",
        url: "/api/feedback",
        payload: {
          interactionId: answer.interactionId,
          feedbackToken: answer.feedbackToken,
          sessionId: "e2e-user",
          eventId: `e2e-${answer.interactionId.slice(0, 12)}`,
          ...verdict,
        },
      });
      expect(sent.statusCode, sent.body).toBe(202);
      feedback.push({ id: answer.interactionId, text, label: answer.label });
    }
  });
  afterAll(async () => {
    await browser?.close();
    await app?.close();
  });

  it("filters the misclassifications, opens one, adds it to a new regression set, and the set lists it", async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 1000 } });
    const page = await context.newPage();
    await page.goto(`${base}/#/console/triage`);
    await page.getByTestId("dashboard-token-input").fill(testAdminToken);
    await page.getByTestId("sign-in-name").fill("alice");
    await page.getByTestId("dashboard-token-submit").click();
    await page.getByTestId("signed-in-as").waitFor();

    // All three mistakes, newest first; the 👎 one shows its label as inferred, the others as user corrections.
    await page.getByTestId("triage-table").waitFor();
    const rows = page.getByTestId("triage-row");
    expect(await rows.count()).toBe(3);
    expect(await page.getByTestId("triage-range").textContent()).toBe("第 1–3 条，共 3 条");
    expect(await rows.nth(0).textContent()).toContain(feedback[2]!.text);
    expect(await rows.nth(0).locator("[data-source]").getAttribute("data-source")).toBe("inferred");
    expect(await rows.nth(0).textContent()).toContain("推断（👎）");
    expect(await rows.nth(1).locator("[data-source]").getAttribute("data-source")).toBe("correction");
    expect(await rows.nth(1).textContent()).toContain("用户纠正");
    expect(await contrastFailures(page)).toEqual([]);

    // Filter: user corrections only, then search the text of one.
    await page.locator('select[name="judgedBy"]').selectOption("correction");
    await page.getByRole("button", { name: "筛选", exact: true }).click();
    await expect.poll(() => rows.count()).toBe(2);
    await page.locator('input[name="q"]').fill("送餐");
    await page.getByRole("button", { name: "筛选", exact: true }).click();
    await expect.poll(() => rows.count()).toBe(1);
    expect(await rows.first().textContent()).toContain(feedback[1]!.text);
    expect(await rows.first().textContent()).toContain("褒贬混合");
    await page.screenshot({ path: path.join(artifactsDir, "console-triage.png"), fullPage: true });

    // Open it: the interaction with its feedback events.
    await rows.first().getByRole("link", { name: "查看" }).click();
    await page.getByTestId("interaction-input").waitFor();
    expect(await page.getByTestId("interaction-input").textContent()).toBe(feedback[1]!.text);
    expect(await page.getByTestId("interaction-events").textContent()).toContain("纠正标签");
    expect(await page.getByTestId("interaction-events").textContent()).toContain("显式");

    // Add it to a new regression set, with the user's correction as the label it must get.
    await page.locator('input[name="setName"]').fill("转折句");
    await page.getByRole("button", { name: "加入回归集", exact: true }).click();
    await page.getByText("已加入回归集「转折句」。").waitFor();
    expect(await contrastFailures(page)).toEqual([]);
    await page.getByTestId("interaction-sets").getByRole("link", { name: "转折句" }).click();

    // The set lists it.
    const items = page.getByTestId("regression-set-items");
    await items.waitFor();
    const item = items.locator(`tr[data-interaction-id="${feedback[1]!.id}"]`);
    expect(await item.textContent()).toContain(feedback[1]!.text);
    expect(await item.textContent()).toContain(feedback[1]!.label === "正面" ? "负面" : "正面");
    expect(await item.textContent()).toContain("console:alice");
    expect(await page.getByRole("heading", { name: "回归集「转折句」" }).count()).toBe(1);
    expect(await contrastFailures(page)).toEqual([]);
    await context.close();
  });
});
