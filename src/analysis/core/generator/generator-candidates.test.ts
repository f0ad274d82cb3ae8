import { describe, expect, it } from "vitest";
import { estimateTokens } from "../token-estimate.js";
import { selectEditExemplars } from "./edit-exemplars.js";
import {
  basePromptOf,
  buildGeneratorCandidates,
  exemplarsTitle,
  replyRulesTitle,
} from "./generator-candidates.js";
import { decideGeneratorGate, type GeneratorReplayItem } from "./generator-gate.js";
import { decideGeneratorTrigger } from "./generator-trigger.js";
import { defaultTriggerPolicy } from "../trigger-policy.js";
import { dominantLanguage, lengthTargetOf, replyPropertiesOf } from "./reply-properties.js";
import { mineReplyProperties } from "./reply-property-mining.js";

const target = { chars: 20, source: "edits" as const };

describe("reply properties", () => {
  it("finds each property and none on a plain matching reply", () => {
    expect([...replyPropertiesOf("怎么退款", "在订单页申请退款，三天到账。", target)]).toEqual([]);
    expect(replyPropertiesOf("怎么退款", "   ", target)).toEqual(new Set(["empty"]));
    expect(replyPropertiesOf("怎么退款", "You can ask for a refund on the order page.", target)).toContain(
      "language_mismatch",
    );
    expect(replyPropertiesOf("怎么退款", "抱歉，我无法回答这个问题。", target)).toContain("refusal");
    expect(replyPropertiesOf("怎么退款", "请联系客服。请联系客服。", target)).toContain("repetition");
    expect(replyPropertiesOf("怎么退款", "<|im_start|>assistant 退款请到订单页", target)).toContain(
      "template_leak",
    );
    expect(replyPropertiesOf("怎么退款", "## 退款\n**订单页**申请即可", target)).toContain("markdown");
    expect(replyPropertiesOf("怎么退款", "好", target)).toContain("too_short");
    expect(replyPropertiesOf("怎么退款", "退款流程".repeat(20), target)).toContain("too_long");
  });

  it("reads the dominant language and the length target from edits first", () => {
    expect(dominantLanguage("退款 refund")).toBe("zh");
    expect(dominantLanguage("How do I get a refund?")).toBe("en");
    expect(dominantLanguage("12345 !!")).toBeNull();
    expect(lengthTargetOf(["a".repeat(10)], ["b".repeat(50)].concat(Array(4).fill("c".repeat(50))))).toEqual({
      chars: 50,
      source: "high_quality",
    });
    expect(lengthTargetOf(Array(5).fill("好".repeat(30)), []).source).toBe("edits");
  });
});

describe("reply-property mining", () => {
  it("reports a property over-represented among low-quality turns, with support, lift and z", () => {
    const turns = [
      ...Array.from({ length: 30 }, (_, i) => ({
        input: "怎么退款",
        output: i < 20 ? "Sorry, please check the order page." : "在订单页申请。",
        low: true,
        high: false,
      })),
      ...Array.from({ length: 30 }, (_, i) => ({
        input: "推荐一本书",
        output: i < 2 ? "Try this one." : "推荐《活着》。",
        low: false,
        high: true,
      })),
    ];
    const mining = mineReplyProperties(turns, target);
    expect(mining).toMatchObject({ lowTurns: 30, highTurns: 30 });
    const first = mining.properties[0]!;
    expect(first).toMatchObject({ property: "language_mismatch", support: 20, finding: true });
    expect(first.lift!).toBeGreaterThan(5);
    expect(mining.properties.find((p) => p.property === "refusal")!.finding).toBe(false);
  });
});

describe("edit exemplars", () => {
  const edited = (id: string, input: string, edit: string, output = "我不知道。") => ({
    interactionId: id,
    input,
    output,
    edit,
    createdAt: 1,
  });

  it("sanitises, masks, drops touch-ups, failing edits and duplicates, biggest rewrites first", () => {
    const selection = selectEditExemplars(
      [
        edited("a", "怎么退款 <b>急</b>", "在订单页点申请退款，电话 13800138000。"),
        edited("b", "怎么退款急", "在订单页申请退款即可。"),
        edited("c", "快递到哪了", "快递明天下午送到您家！", "快递明天下午送到您家。"),
        edited("d", "能开发票吗", "抱歉，我无法回答。"),
        edited("e", "几点开门", "早上九点开门，晚上十点关门。"),
      ],
      { mask: (text) => text.replace(/1\d{10}/g, "[phone]"), lengthTarget: target },
    );
    expect(selection.exemplars.map((e) => e.interactionId)).toEqual(["a", "e"]);
    expect(selection.exemplars[0]).toMatchObject({
      input: "怎么退款 急",
      reply: "在订单页点申请退款，电话 [phone]。",
    });
    expect(selection.rejected).toMatchObject({ touchUp: 1, failsChecks: 1, duplicate: 1 });
  });
});

describe("chat candidates", () => {
  const properties = mineReplyProperties(
    [
      ...Array.from({ length: 20 }, () => ({
        input: "怎么退款",
        output: "Check the page.",
        low: true,
        high: false,
      })),
      ...Array.from({ length: 20 }, () => ({
        input: "推荐书",
        output: "推荐《活着》。",
        low: false,
        high: true,
      })),
    ],
    target,
  );
  const exemplars = selectEditExemplars(
    [{ interactionId: "x", input: "怎么退款", output: "不知道", edit: "在订单页申请退款。", createdAt: 1 }],
    {
      mask: (t) => t,
      lengthTarget: target,
    },
  );
  const current = { id: "chat@v2", systemPrompt: `你是助手。\n\n${replyRulesTitle}\n- 旧要求` };

  it("proposes exemplars from edits and requirements from findings, replacing an earlier analysis section", () => {
    const built = buildGeneratorCandidates({
      current,
      properties,
      exemplars,
      lowQualityPatterns: [],
      estimateTokens,
    });
    expect(built.candidates.map((c) => c.strategy)).toEqual(["edit-exemplars", "reply-rules"]);
    const [withExemplars, rules] = built.candidates;
    expect(withExemplars!.systemPrompt).toContain(exemplarsTitle);
    expect(withExemplars!.systemPrompt).toContain("用户：怎么退款\n回答：在订单页申请退款。");
    expect(withExemplars!.exemplars.map((e) => e.interactionId)).toEqual(["x"]);
    expect(rules!.systemPrompt).toContain("用用户使用的语言回答");
    expect(rules!.systemPrompt).not.toContain("旧要求");
    expect(rules!.targetProperties).toEqual(["language_mismatch"]);
    expect(basePromptOf(rules!.systemPrompt)).toBe("你是助手。");
  });

  it("skips each strategy with its reason when there is nothing to build from", () => {
    const built = buildGeneratorCandidates({
      current,
      properties: mineReplyProperties([], target),
      exemplars: {
        exemplars: [],
        edits: 0,
        rejected: { touchUp: 0, unsafe: 0, tooLong: 0, failsChecks: 0, duplicate: 0 },
      },
      lowQualityPatterns: [],
      estimateTokens,
    });
    expect(built.candidates).toEqual([]);
    expect(built.skipped.map((s) => s.strategy)).toEqual(["edit-exemplars", "reply-rules"]);
  });
});

describe("generator gate", () => {
  const items: GeneratorReplayItem[] = Array.from({ length: 20 }, (_, i) => ({
    id: `i${i}`,
    input: "怎么退款",
    edit: i < 4 ? "在订单页申请退款。" : null,
    lowQuality: i < 8,
    createdAt: i,
  }));
  const all = (reply: (i: number) => string) =>
    Object.fromEntries(items.map((item, i) => [item.id, reply(i)]));

  it("passes a candidate that raises no property beyond the tolerance and reports edit closeness", () => {
    const gate = decideGeneratorGate({
      items,
      current: all((i) => (i < 8 ? "Please see the page." : "在订单页申请。")),
      candidate: all(() => "在订单页申请退款。"),
      lengthTarget: target,
      targetProperties: ["language_mismatch"],
    });
    expect(gate.pass).toBe(true);
    expect(gate.targeted).toEqual({ properties: ["language_mismatch"], current: 8, candidate: 0 });
    expect(gate.editSimilarity.items).toBe(4);
    expect(gate.editSimilarity.candidate).toBe(1);
    expect(gate.editSimilarity.delta!).toBeGreaterThan(0);
  });

  it("fails a candidate that empties replies or fails in the engine on more items than allowed", () => {
    const gate = decideGeneratorGate({
      items,
      current: all(() => "在订单页申请退款。"),
      candidate: all((i) => (i < 3 ? "" : "在订单页申请退款。")),
      lengthTarget: target,
      targetProperties: [],
    });
    expect(gate.pass).toBe(false);
    expect(gate.reason).toContain("empty (0 → 3)");
    const failed = decideGeneratorGate({
      items,
      current: all(() => "在订单页申请退款。"),
      candidate: { ...all(() => "在订单页申请退款。"), i1: null, i2: null },
      lengthTarget: target,
      targetProperties: [],
    });
    expect(failed.heldOut.candidate.failures).toBe(2);
    expect(failed.pass).toBe(false);
  });
});

describe("generator trigger", () => {
  it("fires on the bad-turn rate and says turns, not labels", () => {
    const fired = decideGeneratorTrigger(
      { scored: 300, badTurns: 120, newScored: null },
      defaultTriggerPolicy,
    );
    expect(fired.decision).toBe("create_draft");
    expect(fired.reason.en).toContain("bad-turn rate");
    expect(fired.reason.en).toContain("300 scored turns");
    const few = decideGeneratorTrigger({ scored: 50, badTurns: 40, newScored: null }, defaultTriggerPolicy);
    expect(few.decision).toBe("no_change");
    expect(few.reason.zh).toContain("有评分的对话轮次");
  });
});
