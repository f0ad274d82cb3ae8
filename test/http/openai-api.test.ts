import OpenAI from "openai";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { App } from "../../src/server/create-app.js";
import { startTestApp } from "../support/test-app.js";

/**
 * Issue 15 item 3: the official `openai` npm package as a real client of /v1, against the real app (tiny generated
 * model, SQLite, Fastify on a port). Answers are interactions like /api's, and feedback works on them.
 */
async function listen(app: App): Promise<string> {
  await app.server.listen({ host: "127.0.0.1", port: 0 });
  const address = app.server.server.address();
  if (address === null || typeof address === "string") throw new Error("not listening on TCP");
  return `http://127.0.0.1:${address.port}`;
}

const client = (base: string, apiKey = "unused-key") =>
  new OpenAI({ baseURL: `${base}/v1`, apiKey, maxRetries: 0, timeout: 60_000 });

describe("the OpenAI-compatible API", () => {
  let app: App;
  let base: string;
  let openai: OpenAI;
  beforeAll(async () => {
    app = await startTestApp();
    base = await listen(app);
    openai = client(base);
  });
  afterAll(() => app.close());

  const storedInteraction = (id: string) =>
    app.database.db
      .selectFrom("interactions")
      .select(["task", "prompt_version_id", "output", "status", "session_hash"])
      .where("id", "=", id)
      .executeTakeFirst();

  it("lists every task and its versions as models", async () => {
    const ids = [];
    for await (const model of openai.models.list()) ids.push(model.id);
    expect(ids).toEqual(
      expect.arrayContaining([
        "promptloop/chat",
        "promptloop/chat@v1",
        "promptloop/sentiment",
        "promptloop/sentiment@v1",
      ]),
    );
  });

  it("answers a chat without streaming: the id is the interaction, and feedback works on it", async () => {
    const completion = await openai.chat.completions.create({
      model: "promptloop/chat",
      messages: [
        { role: "system", content: "ignored: the prompt version has its own" },
        { role: "user", content: "你好，介绍一下你自己" },
      ],
      user: "openai-user-1",
      max_tokens: 8,
    });
    expect(completion.object).toBe("chat.completion");
    expect(completion.model).toBe("promptloop/chat@v1");
    const choice = completion.choices[0]!;
    expect(choice.message.role).toBe("assistant");
    expect(["stop", "length"]).toContain(choice.finish_reason);
    expect(completion.usage!.completion_tokens).toBeGreaterThan(0);
    expect(completion.usage!.completion_tokens).toBeLessThanOrEqual(8);
    expect(completion.usage!.total_tokens).toBe(
      completion.usage!.prompt_tokens + completion.usage!.completion_tokens,
    );
    const stored = await storedInteraction(completion.id);
    expect(stored).toMatchObject({ task: "chat", prompt_version_id: "chat@v1", status: "ok" });
    expect(stored!.session_hash).not.toBeNull();
    expect(stored!.output).toBe(choice.message.content);

    const extension = (
      completion as unknown as { promptloop: { interactionId: string; feedbackToken: string } }
    ).promptloop;
    expect(extension.interactionId).toBe(completion.id);
    const feedback = await fetch(`${base}/api/feedback`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({
        interactionId: completion.id,
        feedbackToken: extension.feedbackToken,
        sessionId: "openai-user-1",
        type: "rating",
        score: 4,
      }),
    });
    expect(feedback.status).toBe(202);
  });

  it("streams a chat in OpenAI's chunk format, with usage when asked", async () => {
    const stream = await openai.chat.completions.create({
      model: "promptloop/chat",
      messages: [{ role: "user", content: "讲个故事" }],
      stream: true,
      stream_options: { include_usage: true },
      max_tokens: 8,
    });
    let text = "";
    let finish: string | null = null;
    let usage: OpenAI.CompletionUsage | undefined;
    const ids = new Set<string>();
    for await (const chunk of stream) {
      ids.add(chunk.id);
      expect(chunk.object).toBe("chat.completion.chunk");
      const choice = chunk.choices[0];
      if (choice) {
        text += choice.delta.content ?? "";
        finish = choice.finish_reason ?? finish;
      }
      if (chunk.usage) usage = chunk.usage;
    }
    expect(ids.size).toBe(1);
    expect(["stop", "length"]).toContain(finish);
    expect(usage!.completion_tokens).toBeGreaterThan(0);
    const [id] = [...ids];
    const stored = await storedInteraction(id!);
    expect(stored).toMatchObject({ task: "chat", status: "ok" });
    expect(stored!.output).toBe(text);
  });

  it("answers a classifier with its label as the message and the distribution beside it, pinned or not", async () => {
    for (const model of ["promptloop/sentiment", "promptloop/sentiment@v1"]) {
      const completion = await openai.chat.completions.create({
        model,
        messages: [{ role: "user", content: "送餐很快，味道不错" }],
      });
      const extension = (
        completion as unknown as {
          promptloop: {
            label: string;
            distribution: Record<string, number>;
            probabilities: Record<string, number>;
            promptVersion: string;
          };
        }
      ).promptloop;
      expect(["正面", "负面"]).toContain(completion.choices[0]!.message.content);
      expect(extension.label).toBe(completion.choices[0]!.message.content);
      const total = Object.values(extension.distribution).reduce((a, b) => a + b, 0);
      expect(total).toBeCloseTo(1, 5);
      expect(Object.keys(extension.distribution).sort()).toEqual(["正面", "负面"].sort());
      // The deprecated name repeats it for older clients.
      expect(extension.probabilities).toEqual(extension.distribution);
      expect(completion.model).toBe("promptloop/sentiment@v1");
      expect((await storedInteraction(completion.id))?.task).toBe("sentiment");
    }
    // Streamed: one chunk with the label, then the finish.
    const stream = await openai.chat.completions.create({
      model: "promptloop/sentiment",
      messages: [{ role: "user", content: "太难吃了" }],
      stream: true,
    });
    const contents: string[] = [];
    for await (const chunk of stream) contents.push(chunk.choices[0]?.delta.content ?? "");
    expect(["正面", "负面"]).toContain(contents.join(""));
  });

  it("maps errors to OpenAI's error shape, with our code, so the client raises the right exception", async () => {
    const unknownModel = await openai.chat.completions
      .create({ model: "gpt-4o", messages: [{ role: "user", content: "hi" }] })
      .catch((error: unknown) => error);
    expect(unknownModel).toBeInstanceOf(OpenAI.NotFoundError);
    expect((unknownModel as InstanceType<typeof OpenAI.NotFoundError>).code).toBe("TASK_NOT_FOUND");
    expect((unknownModel as InstanceType<typeof OpenAI.NotFoundError>).type).toBe("not_found_error");

    const unknownVersion = await openai.chat.completions
      .create({ model: "promptloop/chat@v99", messages: [{ role: "user", content: "hi" }], stream: true })
      .catch((error: unknown) => error);
    expect(unknownVersion).toBeInstanceOf(OpenAI.NotFoundError);
    expect((unknownVersion as InstanceType<typeof OpenAI.NotFoundError>).code).toBe(
      "PROMPT_VERSION_NOT_FOUND",
    );

    // A version of a task that was never released (no active label) is not a model, pinned or not.
    await app.stores.prompts.saveVersion({
      definition: {
        task: "unreleased",
        version: "v1",
        kind: "classifier",
        systemPrompt: "草稿",
        labels: ["是", "否"],
      },
      source: "human",
      createdAt: Date.now(),
    });
    const unreleased = await openai.chat.completions
      .create({ model: "promptloop/unreleased@v1", messages: [{ role: "user", content: "hi" }] })
      .catch((error: unknown) => error);
    expect(unreleased).toBeInstanceOf(OpenAI.NotFoundError);
    expect((unreleased as InstanceType<typeof OpenAI.NotFoundError>).code).toBe("TASK_NOT_FOUND");

    const empty = await openai.chat.completions
      .create({ model: "promptloop/chat", messages: [] })
      .catch((error: unknown) => error);
    expect(empty).toBeInstanceOf(OpenAI.BadRequestError);
    expect((empty as InstanceType<typeof OpenAI.BadRequestError>).code).toBe("VALIDATION_FAILED");

    const lastNotUser = await openai.chat.completions
      .create({ model: "promptloop/chat", messages: [{ role: "assistant", content: "hi" }] })
      .catch((error: unknown) => error);
    expect(lastNotUser).toBeInstanceOf(OpenAI.BadRequestError);
  });
});

describe("API_KEYS", () => {
  let app: App;
  let base: string;
  const key = "sk-promptloop-test-key-0123456789";
  beforeAll(async () => {
    app = await startTestApp({ API_KEYS: `another-key-0123456789abcdef, ${key}` });
    base = await listen(app);
  });
  afterAll(() => app.close());

  it("refuses /v1 without a listed key before anything runs, and serves with one", async () => {
    const wrong = await client(base, "sk-wrong-key-0123456789")
      .models.list()
      .catch((error: unknown) => error);
    expect(wrong).toBeInstanceOf(OpenAI.AuthenticationError);
    expect((wrong as InstanceType<typeof OpenAI.AuthenticationError>).code).toBe("UNAUTHORIZED");
    const before = await app.database.db.selectFrom("interactions").select("id").execute();
    const refused = await client(base, "sk-wrong-key-0123456789")
      .chat.completions.create({ model: "promptloop/chat", messages: [{ role: "user", content: "hi" }] })
      .catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(OpenAI.AuthenticationError);
    expect(await app.database.db.selectFrom("interactions").select("id").execute()).toHaveLength(
      before.length,
    );

    const completion = await client(base, key).chat.completions.create({
      model: "promptloop/sentiment",
      messages: [{ role: "user", content: "很好" }],
    });
    expect(completion.choices[0]!.message.content).toMatch(/正面|负面/);
  });
});
