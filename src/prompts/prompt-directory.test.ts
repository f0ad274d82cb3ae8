import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { packageRoot } from "../config.js";
import { readPromptDirectory } from "./prompt-directory.js";
import { writeupYaml } from "./registry-file/test-support/writeup-yaml.js";
import { createInMemoryPromptStore } from "./store/in-memory-prompt-store.js";
import { syncPromptFiles } from "./sync-prompt-files.js";

async function folderWith(files: Record<string, string>): Promise<string> {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), "promptloop-prompts-"));
  const folder = path.join(dir, "prompts");
  await fs.mkdir(folder);
  for (const [name, text] of Object.entries(files)) await fs.writeFile(path.join(folder, name), text);
  return folder;
}

const shipped = (name: string) => fs.readFile(path.join(packageRoot, "prompts", name), "utf8");

describe("PROMPTS_DIR with a file in the write-up's shape", () => {
  it("loads it: v1 with the labels its prompt names, v2 built on it and active on a fresh registry", async () => {
    const loaded = await readPromptDirectory(await folderWith({ "writeup.yaml": writeupYaml }));
    expect(
      loaded.map(({ definition, file, line }) => [definition.version, definition.labels, file, line]),
    ).toEqual([
      ["v1", ["正面", "负面"], "prompts/writeup.yaml", 3],
      ["v2", ["正面", "负面"], "prompts/writeup.yaml", 5],
    ]);
    const store = createInMemoryPromptStore();
    expect(await syncPromptFiles(store, loaded, 1)).toEqual({
      created: ["sentiment@v1", "sentiment@v2"],
      unchanged: [],
      activated: ["sentiment"],
    });
    expect((await store.listLabels("sentiment"))[0]?.versionId).toBe("sentiment@v2");
  });

  it("beside the shipped sentiment.v1.yaml, names both files and lines, the difference and the fix", async () => {
    const folder = await folderWith({
      "sentiment.v1.yaml": await shipped("sentiment.v1.yaml"),
      "writeup.yaml": writeupYaml,
    });
    const failure = readPromptDirectory(folder);
    await expect(failure).rejects.toMatchObject({ code: "CONFIG_INVALID" });
    const message = await failure.catch((error: Error) => error.message);
    expect(message).toMatch(
      /^prompts\/writeup\.yaml:3: sentiment@v1 is already defined by prompts\/sentiment\.v1\.yaml:4 with different content:\n/,
    );
    expect(message).toContain("    +你是一个冷酷的情感分析师...输出只能是'正面'或'负面'\n");
    expect(message).toContain(
      "Fix: give one of them another version (e.g. v1-2), or move prompts/writeup.yaml out of PROMPTS_DIR and load it " +
        "with `promptloop prompts import --as-new-version <file>`.",
    );
  });

  it("names the file and line of a broken entry", async () => {
    const folder = await folderWith({ "writeup.yaml": "prompts:\n  v1:\n    intent: 判断意图\n" });
    await expect(readPromptDirectory(folder)).rejects.toThrow(
      /^PROMPTS_DIR: prompts\/writeup\.yaml cannot be imported \(1 problem\):\n {2}prompts\/writeup\.yaml:3: prompts\.v1\.intent: cannot tell what intent outputs/,
    );
  });

  it("names the file and line of a prompt file's problem", async () => {
    const folder = await folderWith({
      "t.yaml": "task: t\nversion: v1\nkind: classifier\nsystem: s\nlabels: [a]\n",
    });
    await expect(readPromptDirectory(folder)).rejects.toThrow(
      /prompts\/t\.yaml:5: labels: a classifier needs at least two labels/,
    );
  });
});

describe("a task's own names for its reason tags (feedback.reasonNames)", () => {
  const file = (feedback: string) =>
    `task: t\nversion: v1\nkind: classifier\nsystem: s\nlabels: [a, b]\nfeedback:\n${feedback}`;

  it("are kept with the version, in both languages", async () => {
    const folder = await folderWith({
      "t.yaml": file(
        "  reasons: [mixed, other]\n  reasonNames:\n    mixed: { zh: 多个意图, en: Several intents }\n",
      ),
    });
    const [loaded] = await readPromptDirectory(folder);
    expect(loaded?.definition.feedback?.reasonNames).toEqual({
      mixed: { zh: "多个意图", en: "Several intents" },
    });
  });

  it("refuse a name for a reason the task does not offer, an unknown reason, or a missing language", async () => {
    const refused = async (feedback: string) =>
      readPromptDirectory(await folderWith({ "t.yaml": file(feedback) })).catch(
        (error: Error) => error.message,
      );
    expect(
      await refused("  reasons: [other]\n  reasonNames:\n    mixed: { zh: 多个意图, en: Several intents }\n"),
    ).toMatch(/feedback\.reasonNames\.mixed: "mixed" is not one of the task's reasons/);
    expect(await refused("  reasonNames:\n    sorts: { zh: 种类, en: Sorts }\n")).toMatch(
      /feedback\.reasonNames/,
    );
    expect(await refused("  reasonNames:\n    mixed: { zh: 多个意图 }\n")).toMatch(
      /feedback\.reasonNames\.mixed\.en/,
    );
  });
});
