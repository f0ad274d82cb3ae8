import "fake-indexeddb/auto";
import { describe, expect, it } from "vitest";
import { conversationOf, maxStoredConversations, openChatHistory, titleOf } from "./chat-history.js";
import { turnsReducer, type Turn } from "./chat-turns.js";

const turnsWith = (...texts: string[]): Turn[] =>
  texts.reduce<Turn[]>(
    (turns, text, index) => turnsReducer(turns, { type: "start", id: index + 1, text }),
    [],
  );

describe("chat history in IndexedDB", () => {
  it("keeps conversations newest first, settles a running turn as stopped, and drops the oldest beyond the cap", async () => {
    const history = (await openChatHistory())!;
    expect(history).not.toBeNull();
    await history.save(conversationOf("a", turnsWith("你好"), 1, 10));
    await history.save(conversationOf("b", turnsWith("第二个对话"), 2, 20));
    expect((await history.list()).map((c) => c.id)).toEqual(["b", "a"]);
    const stored = await history.get("a");
    expect(stored?.turns).toMatchObject([{ userText: "你好", phase: "stopped" }]);

    for (let i = 0; i < maxStoredConversations; i++)
      await history.save(conversationOf(`c${i}`, turnsWith(`消息 ${i}`), 100 + i, 100 + i));
    const listed = await history.list();
    expect(listed).toHaveLength(maxStoredConversations);
    expect(listed.map((c) => c.id)).not.toContain("a");
    await history.remove("c0");
    expect(await history.get("c0")).toBeUndefined();
  });

  it("titles a conversation by its first message, shortened", () => {
    expect(titleOf(turnsWith("  这家店\n很好  "))).toBe("这家店 很好");
    expect(titleOf(turnsWith("字".repeat(60)))).toBe(`${"字".repeat(40)}…`);
    expect(titleOf([])).toBe("");
  });
});
