import { describe, expect, it } from "vitest";
import { createInMemoryPromptStore } from "../store/in-memory-prompt-store.js";
import { importRegistryYaml } from "./import-registry-file.js";

const meta = { now: 1, actor: "test", fileName: "mine.yaml" };

async function problemsOf(text: string): Promise<unknown> {
  const error = await importRegistryYaml(createInMemoryPromptStore(), text, meta).then(
    () => null,
    (failure: { code: string; message: string; details?: { problems?: unknown } }) => failure,
  );
  expect(error).toMatchObject({ code: "VALIDATION_FAILED" });
  expect(error?.message).not.toMatch(/Invalid input/);
  return error?.details?.problems;
}

describe("registry file errors name the path, the line and what was expected", () => {
  it("reports every problem of an entry at once, in line order", async () => {
    const text = [
      "prompts:",
      "  v1:",
      "    sentiment:",
      "      system_prompt: 只输出'正面'或'负面'",
      "      status: 待删除",
      "      changelog: [1]",
      "      kind: classfier",
      "      extra: 1",
    ].join("\n");
    expect(await problemsOf(text)).toEqual([
      {
        path: "prompts.v1.sentiment.status",
        line: 5,
        message: expect.stringMatching(/^expected one of active, canary, .*待淘汰, .*草稿$/),
        file: "mine.yaml",
      },
      {
        path: "prompts.v1.sentiment.changelog",
        line: 6,
        message: "expected a text or a mapping (summary, evidence, …)",
        file: "mine.yaml",
      },
      {
        path: "prompts.v1.sentiment.kind",
        line: 7,
        message: 'Invalid option: expected one of "classifier"|"generator"',
        file: "mine.yaml",
      },
      {
        path: "prompts.v1.sentiment.extra",
        line: 8,
        message: expect.stringMatching(
          /^unknown key "extra"; expected one of kind, system, system_prompt, labels/,
        ),
        file: "mine.yaml",
      },
    ]);
  });

  it.each([
    [
      "the write-up's YAML on one line, as the page renders it",
      `prompts: v1: sentiment: "你是一个冷酷的情感分析师...输出只能是'正面'或'负面'" v2: sentiment: "注意"`,
      {
        path: "(yaml)",
        line: 1,
        message: expect.stringContaining("put each key on its own line and indent"),
      },
    ],
    [
      "an entry that is neither text nor mapping",
      "prompts:\n  v1:\n    sentiment: 123\n",
      { path: "prompts.v1.sentiment", line: 3, message: expect.stringContaining("got a number") },
    ],
    [
      "a bad version key",
      "prompts:\n  V 2:\n    sentiment: x\n",
      {
        path: "prompts.V 2",
        line: 2,
        message: expect.stringContaining("is not a version name: expected letters"),
      },
    ],
    [
      "both system and system_prompt",
      "prompts:\n  v1:\n    chat:\n      system: a\n      system_prompt: b\n      kind: generator\n",
      { path: "prompts.v1.chat.system_prompt", line: 5, message: "give system or system_prompt, not both" },
    ],
    [
      "a mapping without a prompt",
      "prompts:\n  v1:\n    chat:\n      kind: generator\n",
      { path: "prompts.v1.chat", line: 3, message: "expected system (or system_prompt): the prompt's text" },
    ],
    [
      "a misspelt top key",
      "prompt:\n  v1: {}\n",
      {
        path: "(root)",
        line: 1,
        message: expect.stringContaining("expected a mapping with the key prompts, found the keys prompt"),
      },
    ],
    [
      "labels the base version does not have",
      "prompts:\n  v1:\n    s: {system: \"只输出'正面'或'负面'\"}\n  v2:\n    s: 只能输出'好'或'坏'\n",
      { path: "prompts.v2.s", line: 5, message: expect.stringContaining("restricts the output to 好 / 坏") },
    ],
  ])("%s", async (_name, text, problem) => {
    expect(await problemsOf(text)).toEqual([{ ...problem, file: "mine.yaml" }]);
  });

  it("refuses a file whose aliases expand without bound (a 'billion laughs' file), as a problem, not a crash", async () => {
    // Before, yaml's own guard threw a ReferenceError out of the parser: POST /api/admin/prompts/import answered 500.
    const lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]'];
    for (const [name, previous] of [..."bcdefghij"].map((n, i) => [n, "abcdefghij"[i]!])) {
      lines.push(`${name}: &${name} [${Array(9).fill(`*${previous}`).join(",")}]`);
    }
    lines.push("prompts:", "  v9:", "    sentiment: *j", "");
    expect(await problemsOf(lines.join("\n"))).toEqual([
      expect.objectContaining({ message: expect.stringContaining("aliases") }),
    ]);
  });

  it("refuses a file nested deeper than the parser's stack in words, not the engine's", async () => {
    // Before, the problem read "Maximum call stack size exceeded".
    const problems = await problemsOf(`prompts: ${"[".repeat(20_000)}${"]".repeat(20_000)}\n`);
    expect(problems).toEqual([
      expect.objectContaining({ message: expect.stringContaining("nested too deeply") }),
    ]);
    expect(JSON.stringify(problems)).not.toContain("call stack");
  });
});
