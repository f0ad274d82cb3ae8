import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import type { GenerateRequest } from "../../src/engine/llm-backend.js";
import { databaseFileName } from "../../src/storage/sqlite/open-sqlite-database.js";
import { adminHeaders, startTestApp } from "../support/test-app.js";

type TestApp = Awaited<ReturnType<typeof startTestApp>>;

const nameEntry = "用户希望被称为“小王”";

/** The walk-through on the real engine (tiny generated model), memory on by default, the rules path. */
describe("personal memory over HTTP", () => {
  let app: TestApp;
  let prompts: GenerateRequest["messages"][];

  beforeAll(async () => {
    app = await startTestApp({ MEMORY: "on" });
    prompts = [];
    const generate = app.backend!.generate.bind(app.backend!);
    vi.spyOn(app.backend!, "generate").mockImplementation((request) => {
      prompts.push(request.messages);
      return generate(request);
    });
  }, 120_000);
  afterAll(() => app.close());

  const chat = async (sessionId: string, text: string) => {
    const response = await app.server.inject({
      method: "POST",
      url: "/api/chat",
      payload: { messages: [{ role: "user", content: text }], sessionId, stream: false },
    });
    expect(response.statusCode).toBe(200);
    return prompts.at(-1)!;
  };
  const memoryOf = (sessionId: string) =>
    app.server.inject({ method: "GET", url: `/api/memory?sessionId=${sessionId}` });
  const systemOf = (messages: GenerateRequest["messages"]) =>
    messages.find((m) => m.role === "system")?.content ?? "";

  it("remembers 以后请叫我小王 for session A only, and puts it in A's next prompt, not B's", async () => {
    await chat("session-A", "以后请叫我小王");
    const listed = await memoryOf("session-A");
    expect(listed.statusCode).toBe(200);
    expect(listed.json()).toMatchObject({
      enabled: true,
      chosen: false,
      entries: [{ key: "name", text: nameEntry }],
    });
    expect((await memoryOf("session-B")).json()).toMatchObject({ entries: [] });

    const nextA = await chat("session-A", "今天吃什么好？");
    expect(systemOf(nextA)).toContain(nameEntry);
    const nextB = await chat("session-B", "今天吃什么好？");
    expect(systemOf(nextB)).not.toContain("小王");
    expect(systemOf(nextB)).toBe(systemOf(nextA).split("\n\n关于这位用户")[0]);
    const used = (await memoryOf("session-A")).json<{ entries: { uses: number }[] }>();
    expect(used.entries[0]!.uses).toBeGreaterThanOrEqual(2);
  });

  it("lets a newer statement replace the old one, and never shows or deletes another session's entries", async () => {
    await chat("session-A", "从现在起叫我老王吧");
    const { entries } = (await memoryOf("session-A")).json<{ entries: { id: string; text: string }[] }>();
    expect(entries.map((entry) => entry.text)).toEqual(["用户希望被称为“老王”"]);
    const foreign = await app.server.inject({
      method: "DELETE",
      url: `/api/memory/${entries[0]!.id}?sessionId=session-B`,
    });
    expect(foreign.statusCode).toBe(404);
    expect(foreign.json()).toMatchObject({ error: { code: "MEMORY_NOT_FOUND" } });
    const anonymous = await app.server.inject({ method: "GET", url: "/api/memory" });
    expect([anonymous.statusCode, anonymous.json().error.code]).toEqual([404, "MEMORY_NOT_FOUND"]);
    expect((await memoryOf("session-A")).json().entries).toHaveLength(1);
  });

  it("learns and uses nothing once the user switches memory off", async () => {
    const off = await app.server.inject({
      method: "PUT",
      url: "/api/memory/switch",
      payload: { sessionId: "session-C", enabled: false },
    });
    expect(off.json()).toMatchObject({ enabled: false, chosen: true });
    const prompt = await chat("session-C", "我是素食者，以后回答简短一点");
    expect(systemOf(prompt)).not.toContain("素食");
    expect((await memoryOf("session-C")).json().entries).toEqual([]);
  });

  it("deletes for real: after DELETE the database files no longer hold the entry", async () => {
    await chat("session-D", "我对花生过敏");
    const { entries } = (await memoryOf("session-D")).json<{ entries: { id: string; text: string }[] }>();
    expect(entries.map((entry) => entry.text)).toEqual(["用户对花生过敏"]);
    const deleted = await app.server.inject({
      method: "DELETE",
      url: `/api/memory/${entries[0]!.id}?sessionId=session-D`,
    });
    expect(deleted.statusCode).toBe(204);
    const forgot = await app.server.inject({ method: "DELETE", url: "/api/memory?sessionId=session-A" });
    expect(forgot.json()).toEqual({ deleted: 1 });
    const files = [databaseFileName, `${databaseFileName}-wal`]
      .map((name) => path.join(app.dataDir, name))
      .filter((file) => fs.existsSync(file));
    const bytes = Buffer.concat(files.map((file) => fs.readFileSync(file)));
    for (const text of ["用户对花生过敏", "用户希望被称为“老王”", nameEntry]) {
      expect(bytes.includes(Buffer.from(text, "utf8")), text).toBe(false);
    }
  });

  it("has an admin purge by session hash, behind the admin token", async () => {
    await chat("session-E", "我住在杭州");
    const hash = (
      await app.database.db.selectFrom("memory_entries").select("owner_hash").executeTakeFirstOrThrow()
    ).owner_hash;
    const refused = await app.server.inject({ method: "DELETE", url: `/api/admin/memory/${hash}` });
    expect(refused.statusCode).toBe(401);
    const purged = await app.server.inject({
      method: "DELETE",
      url: `/api/admin/memory/${hash}`,
      headers: adminHeaders,
    });
    expect(purged.json()).toEqual({ deleted: 1 });
    expect((await memoryOf("session-E")).json().entries).toEqual([]);

    // Erasing the session (the right to be forgotten) forgets its memory too.
    await chat("session-F", "我住在杭州");
    const ownerF = (
      await app.database.db.selectFrom("memory_entries").select("owner_hash").executeTakeFirstOrThrow()
    ).owner_hash;
    const erased = await app.server.inject({
      method: "DELETE",
      url: `/api/admin/sessions/${ownerF}`,
      headers: adminHeaders,
    });
    expect(erased.statusCode).toBe(200);
    expect((await memoryOf("session-F")).json().entries).toEqual([]);
  });
});
