import { expect, it } from "vitest";
import { adminHeaders, makeTempDir, startTestApp } from "../support/test-app.js";

interface ExportLine {
  id: string;
  task: string;
  feedback: Array<{ id: number; type: string }>;
}

it("keeps every acknowledged interaction and feedback event across a restart", async () => {
  const dataDir = await makeTempDir();
  const first = await startTestApp({ DATA_DIR: dataDir });
  const acknowledged = { interactions: new Set<string>(), feedback: new Set<number>() };
  for (const text of ["房间很棒", "服务太差", "一般般"]) {
    const res = await first.server.inject({
      method: "POST",
      url: "/api/analyze",
      payload: { text, stream: false, sessionId: "restart" },
    });
    expect(res.statusCode).toBe(200);
    type Answer = { interactionId: string; feedbackToken: string };
    const body = res.json<{ sentiment: Answer; classifications: Answer[]; reply: Answer }>();
    // Every classification of the turn (sentiment, moderation) and the reply were acknowledged.
    for (const classification of body.classifications)
      acknowledged.interactions.add(classification.interactionId);
    acknowledged.interactions.add(body.reply.interactionId);
    const { feedbackToken: sentimentToken } = body.sentiment;
    const { feedbackToken: replyToken } = body.reply;
    for (const payload of [
      {
        interactionId: body.sentiment.interactionId,
        feedbackToken: sentimentToken,
        type: "label_confirm",
        correct: true,
      },
      { interactionId: body.reply.interactionId, feedbackToken: replyToken, type: "rating", score: 3 },
      { interactionId: body.reply.interactionId, feedbackToken: replyToken, type: "exit" },
    ]) {
      const fb = await first.server.inject({ method: "POST", url: "/api/feedback", payload });
      expect(fb.statusCode).toBe(202);
      acknowledged.feedback.add(fb.json<{ feedbackId: number }>().feedbackId);
    }
  }
  await first.close();

  const second = await startTestApp({ DATA_DIR: dataDir });
  try {
    const res = await second.server.inject({
      method: "GET",
      url: "/api/admin/export?format=jsonl",
      headers: adminHeaders,
    });
    expect(res.statusCode).toBe(200);
    expect(res.headers["content-type"]).toContain("application/x-ndjson");
    const lines = res.body
      .trim()
      .split("\n")
      .map((line) => JSON.parse(line) as ExportLine);
    expect(new Set(lines.map((l) => l.id))).toEqual(acknowledged.interactions);
    expect(new Set(lines.flatMap((l) => l.feedback.map((f) => f.id)))).toEqual(acknowledged.feedback);
    expect(lines.filter((l) => l.task === "sentiment")).toHaveLength(3);
  } finally {
    await second.close();
  }
});
