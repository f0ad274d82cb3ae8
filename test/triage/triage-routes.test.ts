import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { App } from "../../src/server/create-app.js";
import { createTokenBook } from "../support/token-book.js";
import { adminHeaders, startTestApp } from "../support/test-app.js";

let app: App;
const book = createTokenBook();
const inject = async (url: string, payload?: Record<string, unknown>, headers = adminHeaders) => {
  const response = await app.server.inject({
    method: payload ? "POST" : "GET",
    url,
    ...(payload ? { payload: url === "/api/feedback" ? book.sign(payload) : payload } : {}),
    headers,
  });
  if (String(response.headers["content-type"]).includes("json")) book.remember(response.json());
  return response;
};

interface Row {
  interactionId: string;
  input: string;
  predicted: string;
  judgement: {
    judgedBy: string;
    expectedLabel: string | null;
    expectedLabelSource: string;
    reasons: string[];
  };
}
interface Page {
  total: number;
  offset: number;
  limit: number;
  items: Row[];
}
const list = async (query = "") => {
  const response = await inject(`/api/admin/misclassifications${query}`);
  expect(response.statusCode, response.body).toBe(200);
  return response.json<Page>();
};
const other = (label: string) => (label === "正面" ? "负面" : "正面");

const answers: Array<{ id: string; label: string; text: string }> = [];
beforeAll(async () => {
  app = await startTestApp();
  const texts = [
    "房间还行就是隔音差",
    "服务还行但是早餐冷",
    "位置很好",
    "前台态度一般",
    "价格合理",
    "还行吧",
  ];
  for (const text of texts) {
    const body = (await inject("/api/sentiment", { text })).json<{ interactionId: string; label: string }>();
    answers.push({ id: body.interactionId, label: body.label, text });
  }
  const feedback = (payload: Record<string, unknown>) => inject("/api/feedback", payload);
  const [corrected, thumbedDown, confirmed, , correctedToSame, changedMind] = answers;
  await feedback({
    interactionId: corrected!.id,
    type: "label_correct",
    label: other(corrected!.label),
    reasons: ["sarcasm"],
  });
  await feedback({ interactionId: thumbedDown!.id, type: "dwell", ms: 4200 });
  await feedback({ interactionId: thumbedDown!.id, type: "label_confirm", correct: false });
  await feedback({ interactionId: thumbedDown!.id, type: "copy" });
  await feedback({ interactionId: confirmed!.id, type: "label_confirm", correct: true });
  await feedback({
    interactionId: correctedToSame!.id,
    type: "label_correct",
    label: correctedToSame!.label,
  });
  await feedback({ interactionId: changedMind!.id, type: "label_confirm", correct: false });
  await feedback({ interactionId: changedMind!.id, type: "label_confirm", correct: true });
});
afterAll(() => app.close());

describe("GET /api/admin/misclassifications", () => {
  it("lists the interactions judged wrong, newest first, telling a correction from an inferred label", async () => {
    const page = await list();
    expect(page).toMatchObject({ total: 2, offset: 0, limit: 25 });
    const [newest, oldest] = page.items;
    expect(newest).toMatchObject({
      interactionId: answers[1]!.id,
      input: answers[1]!.text,
      predicted: answers[1]!.label,
      judgement: {
        judgedBy: "thumbs_down",
        expectedLabel: other(answers[1]!.label),
        expectedLabelSource: "inferred",
      },
    });
    expect(oldest).toMatchObject({
      interactionId: answers[0]!.id,
      judgement: {
        judgedBy: "correction",
        expectedLabel: other(answers[0]!.label),
        expectedLabelSource: "correction",
        reasons: ["sarcasm"],
      },
    });
  });

  it("filters by task, version, label pair, reason tag, verdict and text, and pages with a total", async () => {
    const ids = async (query: string) => (await list(query)).items.map((item) => item.interactionId);
    expect(await ids("?task=chat")).toEqual([]);
    expect(await ids("?task=sentiment&version=sentiment%40v1")).toHaveLength(2);
    expect(await ids("?version=sentiment%40v9")).toEqual([]);
    expect(await ids("?reason=sarcasm")).toEqual([answers[0]!.id]);
    expect(await ids("?judgedBy=thumbs_down")).toEqual([answers[1]!.id]);
    expect(await ids(`?q=${encodeURIComponent("早餐")}`)).toEqual([answers[1]!.id]);
    expect(await ids(`?q=${encodeURIComponent("还行")}`)).toEqual([answers[1]!.id, answers[0]!.id]);
    const pair = `?predicted=${encodeURIComponent(answers[0]!.label)}&expected=${encodeURIComponent(other(answers[0]!.label))}`;
    expect(await ids(pair)).toContain(answers[0]!.id);
    const second = await list("?limit=1&offset=1");
    expect(second).toMatchObject({ total: 2, offset: 1, limit: 1 });
    expect(second.items.map((item) => item.interactionId)).toEqual([answers[0]!.id]);
    expect((await list("?offset=2")).items).toEqual([]);
  });

  it("filters by a pattern of a stored report", async () => {
    const run = (await inject("/api/admin/analyze?replay=false", {})).json<{ reportId: string }>();
    // Six answers are too few to mine a pattern: give the stored report the one a busier day would have found.
    const report = await app.stores.reports.load(run.reportId);
    const sentiment = report.tasks.find((task) => task.task === "sentiment")!;
    sentiment.mining!.patterns.push({
      id: "ngram:还行",
      kind: "ngram",
      text: "还行",
      title: "“还行”",
      support: 3,
      errorSupport: 2,
      correctSupport: 1,
      correctSupportSampled: false,
      errorRate: 2 / 3,
      lift: 2,
      logOdds: 1,
      zScore: 2,
      directions: [],
      dominantDirection: null,
      correctedTo: null,
      examples: [],
      aliases: [],
      maxUndercount: 0,
    });
    await app.stores.reports.save(report);
    const page = await list(`?report=${run.reportId}&pattern=${encodeURIComponent("ngram:还行")}`);
    expect(page.items.map((item) => item.interactionId)).toEqual([answers[1]!.id, answers[0]!.id]);
    const unknown = await inject(
      `/api/admin/misclassifications?report=${run.reportId}&pattern=${encodeURIComponent("ngram:早餐")}`,
    );
    expect(unknown.statusCode).toBe(400);
    expect(unknown.json().error.code).toBe("VALIDATION_FAILED");
  });

  it("answers bad filters with 4xx {error:{code,message}}", async () => {
    for (const query of [
      "?limit=0",
      "?limit=101",
      "?offset=10001",
      "?offset=-1",
      "?reason=bogus",
      "?judgedBy=maybe",
      "?task=Bad%20Task",
      "?since=yesterday",
      "?pattern=ngram%3A%E8%BF%98%E8%A1%8C",
      "?report=20261206-030000-r1",
      "?unknown=1",
    ]) {
      const response = await inject(`/api/admin/misclassifications${query}`);
      expect(response.statusCode, query).toBe(400);
      expect(response.json().error).toMatchObject({ code: expect.any(String), message: expect.any(String) });
    }
    // An over-long search text is the service's usual 413 INPUT_TOO_LONG.
    expect((await inject(`/api/admin/misclassifications?q=${"x".repeat(201)}`)).statusCode).toBe(413);
    const missingReport = await inject(
      "/api/admin/misclassifications?report=20261206-030000-r1&pattern=ngram%3A%E8%BF%98%E8%A1%8C",
    );
    expect(missingReport.statusCode).toBe(404);
    const anonymous = await inject("/api/admin/misclassifications", undefined, {} as typeof adminHeaders);
    expect(anonymous.statusCode).toBe(401);
  });
});

describe("GET /api/admin/interactions/:id", () => {
  it("shows the input, version, output, verdict and every feedback event in arrival order", async () => {
    const response = await inject(`/api/admin/interactions/${answers[1]!.id}`);
    expect(response.statusCode, response.body).toBe(200);
    const view = response.json<{
      interaction: Record<string, unknown>;
      version: Record<string, unknown>;
      judgement: Record<string, unknown>;
      events: Array<{ id: number; type: string; signal: string; payload: Record<string, unknown> }>;
    }>();
    expect(view.interaction).toMatchObject({
      id: answers[1]!.id,
      task: "sentiment",
      promptVersionId: "sentiment@v1",
      input: answers[1]!.text,
      label: answers[1]!.label,
      status: "ok",
    });
    expect(view.version).toMatchObject({ id: "sentiment@v1", kind: "classifier", labels: ["正面", "负面"] });
    expect(view.judgement).toMatchObject({ correct: false, expectedLabelSource: "inferred" });
    expect(view.events.map((event) => [event.type, event.signal])).toEqual([
      ["dwell", "implicit"],
      ["label_confirm", "explicit"],
      ["copy", "implicit"],
    ]);
    expect(view.events[0]!.payload).toEqual({ ms: 4200 });
    expect(view.events.map((event) => event.id)).toEqual(
      [...view.events.map((event) => event.id)].sort((a, b) => a - b),
    );
  });

  it("shows personal data masked as stored, and 404s an unknown id", async () => {
    const body = (await inject("/api/sentiment", { text: "联系我 someone@example.com 13812345678" })).json<{
      interactionId: string;
    }>();
    const view = (await inject(`/api/admin/interactions/${body.interactionId}`)).json<{
      interaction: { input: string };
      judgement: unknown;
      events: unknown[];
    }>();
    expect(view.interaction.input).not.toContain("someone@example.com");
    expect(view.interaction.input).not.toContain("13812345678");
    expect(view.interaction.input).toContain("[email]");
    expect(view).toMatchObject({ judgement: null, events: [] });
    const missing = await inject("/api/admin/interactions/no-such-id");
    expect(missing.statusCode).toBe(404);
    expect(missing.json().error.code).toBe("INTERACTION_NOT_FOUND");
  });
});
