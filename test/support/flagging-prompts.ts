import fs from "node:fs/promises";
import path from "node:path";
import { packageRoot } from "../../src/config.js";
import { makeTempDir } from "./test-app.js";

/**
 * A copy of the shipped prompts whose moderation task flags every input on the tiny test model. Its random weights
 * answer 正常 to the shipped moderation prompt whatever the text; between 安全 and 不当 they prefer 不当 (about 0.62 to
 * 0.38 on every input tried; between 正常 and 不当 they now prefer 正常), so with 不当 as the flag label each turn is
 * flagged and a policy's effect can be tested. Tests assert the label they get, so a change of the generated model fails loudly rather than silently.
 */
export async function flaggingPromptsDir(): Promise<string> {
  const dir = await makeTempDir("promptloop-prompts-");
  await fs.cp(path.join(packageRoot, "prompts"), dir, { recursive: true });
  await fs.writeFile(
    path.join(dir, "moderation.v1.yaml"),
    [
      "task: moderation",
      "version: v1",
      "kind: classifier",
      "system: 判断用户输入是否不当。输出只能是'安全'或'不当'。",
      "labels: [安全, 不当]",
      "flagLabels: [不当]",
      "",
    ].join("\n"),
  );
  return dir;
}

/** The label the tiny model gives every input with {@link flaggingPromptsDir}'s moderation prompt. */
export const flaggedLabel = "不当";

/** The other label of {@link flaggingPromptsDir}'s moderation task: what a dispute (误判) corrects the flag to. */
export const unflaggedLabel = "安全";

/**
 * Also makes qa-check call every input a factual question on the tiny model (it prefers 事实 to 其他, about 0.6),
 * so that the page asks "答案正确吗?" under every reply. `confirm: false` declares a qa-check that asks for
 * corrections without 👍/👎.
 */
export async function factualEverything(dir: string, widgets: { confirm?: false } = {}): Promise<string> {
  await fs.writeFile(
    path.join(dir, "qa-check.v1.yaml"),
    [
      "task: qa-check",
      "version: v1",
      "kind: classifier",
      "system: 判断用户的这句话是不是事实性问题。输出只能是'事实'或'其他'。",
      "labels: [事实, 其他]",
      "feedback:",
      "  askAnswerCorrectWhen: 事实",
      ...(widgets.confirm === false ? ["  confirm: false"] : []),
      "",
    ].join("\n"),
  );
  return dir;
}
