import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { App } from "../../src/server/create-app.js";
import { politeRefusal } from "../../src/tasks/turn/moderation-policy.js";
import { flaggedLabel, flaggingPromptsDir, unflaggedLabel } from "../support/flagging-prompts.js";
import { listenOnFreePort, parseEventStream, requestJson, startTestApp } from "../support/test-app.js";

interface Classification {
  task: string;
  interactionId: string;
  feedbackToken: string;
  label: string;
  distribution: Record<string, number>;
}
interface Verdict {
  task: string;
  policy: string;
  interactionId: string;
  label: string;
  flagged: boolean;
  action: string;
  disputeLabel: string | null;
}
interface TurnBody {
  sentiment?: { interactionId: string; label: string };
  classifications: Classification[];
  moderation: Verdict | null;
  reply: { interactionId: string; reply: string } | null;
  refusal?: { message: string };
}

const storedTasks = async (app: App) =>
  (await app.database.db.selectFrom("interactions").select(["id", "task", "parent_id"]).execute()).map(
    (row) => ({
      id: row.id,
      task: row.task,
      parentId: row.parent_id,
    }),
  );

describe("the all-in-one turn with the default classifiers (sentiment + moderation, policy flag)", () => {
  let app: App;
  let base: string;
  beforeAll(async () => {
    app = await startTestApp();
    base = await listenOnFreePort(app);
  });
  afterAll(() => app.close());

  it("classifies the input with both tasks before the reply, and keeps the sentiment field", async () => {
    const { status, body } = await requestJson<TurnBody>(base, "POST", "/api/analyze", {
      text: "房间很干净",
      sessionId: "s-1",
      stream: false,
    });
    expect(status).toBe(200);
    expect(body.classifications.map((c) => c.task)).toEqual(["sentiment", "moderation"]);
    expect(body.sentiment?.interactionId).toBe(body.classifications[0]!.interactionId);
    expect(Object.keys(body.classifications[1]!.distribution)).toEqual(["正常", "冒犯"]);
    expect(body.moderation).toMatchObject({
      task: "moderation",
      policy: "flag",
      label: "正常",
      flagged: false,
    });
    expect(body.moderation!.action).toBe("reply");
    expect(body.reply?.interactionId).toBeTruthy();
    const rows = await storedTasks(app);
    const chat = rows.find((row) => row.id === body.reply!.interactionId)!;
    expect(chat).toMatchObject({ task: "chat", parentId: body.sentiment!.interactionId });
    expect(rows.find((row) => row.id === body.moderation!.interactionId)?.task).toBe("moderation");
  });

  it("streams sentiment, then classifications, then the reply", async () => {
    const { text } = await requestJson(base, "POST", "/api/analyze", { text: "还行吧", sessionId: "s-1" });
    const names = parseEventStream(text).map((event) => event.event);
    expect(names.slice(0, 2)).toEqual(["sentiment", "classifications"]);
    expect(names.at(-1)).toBe("done");
    expect(names.filter((name) => name === "token").length).toBeGreaterThan(0);
  });

  it("streams only the documented fields of each classification, as the JSON answer does (no promptTokens)", async () => {
    const documented = [
      "confidence",
      "distribution",
      "feedbackToken",
      "interactionId",
      "label",
      "latencyMs",
      "promptVersion",
      "task",
    ];
    const { text } = await requestJson(base, "POST", "/api/analyze", { text: "很好用", sessionId: "s-2" });
    const streamed = parseEventStream(text).find((event) => event.event === "classifications")!
      .data as TurnBody;
    const { body } = await requestJson<TurnBody>(base, "POST", "/api/analyze", {
      text: "很好用",
      sessionId: "s-2",
      stream: false,
    });
    for (const turn of [streamed, body]) {
      expect(turn.classifications).toHaveLength(2);
      for (const classification of turn.classifications) {
        expect(Object.keys(classification).sort()).toEqual(documented);
      }
    }
  });
});

describe("a turn running three classifiers", () => {
  let app: App;
  let base: string;
  beforeAll(async () => {
    app = await startTestApp({ TURN_CLASSIFIERS: "sentiment,moderation,qa-check", SEQUENCES: 4 });
    base = await listenOnFreePort(app);
  });
  afterAll(() => app.close());

  it("returns one classification per configured task, in the configured order", async () => {
    const { body } = await requestJson<TurnBody>(base, "POST", "/api/analyze", {
      text: "长城有多长？",
      stream: false,
    });
    expect(body.classifications.map((c) => c.task)).toEqual(["sentiment", "moderation", "qa-check"]);
    expect(new Set(body.classifications.map((c) => c.interactionId)).size).toBe(3);
  });
});

describe("MODERATION_POLICY=block on a flagged input", () => {
  let app: App;
  let base: string;
  beforeAll(async () => {
    app = await startTestApp({ PROMPTS_DIR: await flaggingPromptsDir(), MODERATION_POLICY: "block" });
    base = await listenOnFreePort(app);
  });
  afterAll(() => app.close());

  it("answers with a polite refusal instead of a reply, and never runs the chat task", async () => {
    const { status, body } = await requestJson<TurnBody>(base, "POST", "/api/analyze", {
      text: "你这个人真差劲",
      stream: false,
    });
    expect(status).toBe(200);
    expect(body.moderation).toMatchObject({
      label: flaggedLabel,
      flagged: true,
      action: "refuse",
      disputeLabel: unflaggedLabel,
    });
    expect(body.reply).toBeNull();
    expect(body.refusal).toEqual({ message: politeRefusal });
    const { text } = await requestJson(base, "POST", "/api/analyze", { text: "再说一遍" });
    const events = parseEventStream(text);
    expect(events.map((event) => event.event)).toEqual(["sentiment", "classifications", "refusal"]);
    expect((await storedTasks(app)).filter((row) => row.task === "chat")).toHaveLength(0);
  });

  it("lets the user dispute the flag (误判): label feedback on the moderation interaction", async () => {
    const { body } = await requestJson<TurnBody>(base, "POST", "/api/analyze", {
      text: "你好",
      stream: false,
    });
    const verdict = body.moderation!;
    const dispute = await requestJson(base, "POST", "/api/feedback", {
      interactionId: verdict.interactionId,
      feedbackToken: body.classifications.find((c) => c.interactionId === verdict.interactionId)!
        .feedbackToken,
      type: "label_correct",
      label: verdict.disputeLabel,
    });
    expect(dispute.status).toBe(202);
    const events = await app.database.db
      .selectFrom("feedback_events")
      .select(["type", "payload"])
      .where("interaction_id", "=", verdict.interactionId)
      .execute();
    expect(events).toEqual([{ type: "label_correct", payload: JSON.stringify({ label: unflaggedLabel }) }]);
  });
});

describe("MODERATION_POLICY=flag on a flagged input", () => {
  let app: App;
  let base: string;
  beforeAll(async () => {
    app = await startTestApp({ PROMPTS_DIR: await flaggingPromptsDir(), MODERATION_POLICY: "flag" });
    base = await listenOnFreePort(app);
  });
  afterAll(() => app.close());

  it("still generates the reply, marked to be withheld behind a notice", async () => {
    const { body } = await requestJson<TurnBody>(base, "POST", "/api/analyze", {
      text: "你这个人真差劲",
      stream: false,
    });
    expect(body.moderation).toMatchObject({ flagged: true, action: "withhold" });
    expect(body.reply?.reply).toEqual(expect.any(String));
  });
});

describe("turn configuration is checked at start", () => {
  it.each([
    [{ TURN_CLASSIFIERS: "sentiment,nope" }, /TURN_CLASSIFIERS: task nope has no active prompt version/],
    [{ TURN_CLASSIFIERS: "sentiment,chat" }, /TURN_CLASSIFIERS: task chat is a generator/],
    [{ MODERATION_TASK: "sentiment" }, /MODERATION_TASK: task sentiment declares no flagLabels/],
    [{ MODERATION_POLICY: "strict" as "off" }, /MODERATION_POLICY/],
  ])("%o", async (overrides, message) => {
    await expect(startTestApp(overrides)).rejects.toThrow(message);
  });
});
