import fs from "node:fs";
import path from "node:path";
import { Ajv2020 } from "ajv/dist/2020.js";
import { beforeAll, describe, expect, it } from "vitest";
import { FakeLlmBackend } from "../../src/engine/fake-llm-backend.js";
import type { SftDataCard } from "../../src/finetune/core/sft-data-card.js";
import { cli, requireBuiltCli } from "../support/run-cli.js";
import { makeTempDir, startTestApp } from "../support/test-app.js";
import { createTokenBook } from "../support/token-book.js";

const sessionId = "sft-secret-session-42";

interface Turn {
  sentiment: { interactionId: string };
  reply: { interactionId: string };
}

/** A site's worth of feedback: corrections (one of them twice on the same text), edits, liked and disliked replies. */
async function recordFeedback(dataDir: string) {
  const backend = new FakeLlmBackend({
    reply: (request) => `关于「${request.messages.at(-1)?.content ?? ""}」的回复`,
  });
  const app = await startTestApp({ DATA_DIR: dataDir }, { backend });
  const tokens = createTokenBook();
  const turn = async (text: string) => {
    const response = await app.server.inject({
      method: "POST",
      url: "/api/analyze",
      payload: { text, stream: false, sessionId },
    });
    expect(response.statusCode).toBe(200);
    tokens.remember(response.json());
    return response.json<Turn>();
  };
  const feedback = async (payload: { interactionId: string; [field: string]: unknown }) => {
    const body = { sessionId, ...payload };
    const response = await app.server.inject({
      method: "POST",
      url: "/api/feedback",
      payload: tokens.sign(body),
    });
    expect(response.statusCode).toBe(202);
  };
  try {
    const corrections = [
      ["物流太慢了，再也不买", "负面"],
      ["虽然贵但是很好用", "正面"],
      ["一样的评论", "负面"],
      ["一样的评论", "负面"],
    ] as const;
    for (const [text, label] of corrections) {
      const { sentiment } = await turn(text);
      await feedback({ type: "label_correct", interactionId: sentiment.interactionId, label });
    }
    const edited = await turn("帮我写一句道歉");
    await feedback({
      type: "reply_edit",
      interactionId: edited.reply.interactionId,
      text: "抱歉，请打 13900001111",
    });
    const edited2 = await turn("推荐一本书");
    await feedback({ type: "reply_edit", interactionId: edited2.reply.interactionId, text: "推荐《活着》" });
    const liked = await turn("今天天气怎么样");
    await feedback({ type: "rating", interactionId: liked.reply.interactionId, score: 5 });
    await feedback({ type: "copy", interactionId: liked.reply.interactionId });
    const disliked = await turn("讲个笑话");
    await feedback({ type: "rating", interactionId: disliked.reply.interactionId, score: 1 });
    await turn("没有反馈的一句");
  } finally {
    await app.close();
  }
}

const readRows = (file: string) =>
  fs
    .readFileSync(file, "utf8")
    .split("\n")
    .filter((line) => line !== "")
    .map((line) => JSON.parse(line) as { messages: { role: string; content: string }[] });

describe("promptloop export-feedback --format sft", () => {
  let dataDir: string;
  beforeAll(async () => {
    requireBuiltCli();
    dataDir = await makeTempDir();
    await recordFeedback(dataDir);
  }, 120_000);

  it("writes train/validation chat JSONL valid against its JSON schema, with counts matching the feedback", async () => {
    const out = path.join(await makeTempDir(), "sft");
    const result = await cli(["export-feedback", "--format", "sft", "--out", out, "--json"], {
      DATA_DIR: dataDir,
    });
    expect(result.stderr).toBe("");
    expect(result.code).toBe(0);
    const card = JSON.parse(result.stdout) as SftDataCard;
    expect(card).toEqual(JSON.parse(fs.readFileSync(path.join(out, "data-card.json"), "utf8")));

    const schema = JSON.parse(fs.readFileSync(path.join(out, "sft-row.schema.json"), "utf8")) as object;
    const validate = new Ajv2020({ strict: false }).compile(schema);
    const train = readRows(path.join(out, "train.jsonl"));
    const validation = readRows(path.join(out, "validation.jsonl"));
    for (const row of [...train, ...validation])
      expect(validate(row), JSON.stringify(validate.errors)).toBe(true);

    // 4 corrections on 3 distinct texts, 2 edits, 1 liked reply; the disliked and the silent turns teach nothing.
    const sources = (part: SftDataCard["train"]) => part.bySource;
    const total = (source: "correction" | "edit" | "high_quality") =>
      sources(card.train)[source] + sources(card.validation)[source];
    expect([total("correction"), total("edit"), total("high_quality")]).toEqual([3, 2, 1]);
    expect(card.duplicatesRemoved).toBe(1);
    expect(train.length + validation.length).toBe(6);
    expect([train.length, validation.length]).toEqual([card.train.rows, card.validation.rows]);
    expect(validation.length).toBe(1);
    expect(card.validation.from! >= card.train.to!).toBe(true);
    const labels = { ...card.train.byLabel.sentiment };
    for (const [label, count] of Object.entries(card.validation.byLabel.sentiment ?? {})) {
      labels[label] = (labels[label] ?? 0) + count;
    }
    expect(labels).toEqual({ 负面: 2, 正面: 1 });

    const rows = [...train, ...validation];
    const target = (input: string) =>
      rows.find((row) => row.messages.at(-2)?.content === input)?.messages.at(-1)?.content;
    expect(target("物流太慢了，再也不买")).toBe("负面");
    expect(target("虽然贵但是很好用")).toBe("正面");
    expect(target("帮我写一句道歉")).toBe("抱歉，请打 [phone]");
    expect(target("推荐一本书")).toBe("推荐《活着》");
    expect(target("今天天气怎么样")).toBe("关于「今天天气怎么样」的回复");
    expect(target("讲个笑话")).toBeUndefined();
    for (const row of rows) expect(row.messages[0]?.role).toBe("system");

    const written = ["train.jsonl", "validation.jsonl", "data-card.json"]
      .map((name) => fs.readFileSync(path.join(out, name), "utf8"))
      .join("\n");
    expect(written).not.toContain(sessionId);
    expect(written).not.toMatch(/[0-9a-f]{32}/);
    expect(written).not.toContain("13900001111");
  }, 60_000);

  it("answers bad options with one readable line and exit 2", async () => {
    const noOut = await cli(["export-feedback", "--format", "sft"], { DATA_DIR: dataDir });
    expect([noOut.code, noOut.stderr.trim()]).toEqual([
      2,
      "promptloop: --format sft needs --out <directory>",
    ]);
    const badShare = await cli(
      ["export-feedback", "--format", "sft", "--out", "x", "--validation-share", "2"],
      {
        DATA_DIR: dataDir,
      },
    );
    expect(badShare.code).toBe(2);
    expect(badShare.stderr).toMatch(/--validation-share 2 is not a share/);
    const badFormat = await cli(["export-feedback", "--format", "csv"], { DATA_DIR: dataDir });
    expect([badFormat.code, badFormat.stderr.trim()]).toEqual([
      2,
      "promptloop: --format csv is not jsonl or sft",
    ]);
  }, 60_000);
});
