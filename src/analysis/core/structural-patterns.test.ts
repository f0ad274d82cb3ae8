import { describe, expect, it } from "vitest";
import { detectStructuralPatterns, structuralPattern } from "./structural-patterns.js";

describe("detectStructuralPatterns", () => {
  it.each([
    // The write-up's headline: disappointed before the turn, accepting after it.
    ["这个结果真是令人失望，不过还能接受", ["contrast", "mixed"]],
    ["结果有点失望，但还算能接受", ["contrast", "mixed"]],
    ["虽然贵，味道很好", ["contrast", "mixed"]],
    ["本来想点这家，不过今天休息", ["contrast"]],
    ["不太满意，不过也不算差", ["contrast", "negation", "mixed"]],
    ["虽然价格有点贵，但是味道很好", ["contrast", "mixed"]],
    ["房间干净，服务热情", []],
    // Negative on both sides and no turn: not mixed.
    ["菜不好吃，送得也慢", ["negation"]],
    // 不但…而且 adds rather than turns.
    ["不但好吃而且便宜", []],
    ["没有想象中那么差", ["negation"]],
    ["味道不错，推荐", []],
    ["难道这就是五星级酒店", ["question"]],
    ["这也叫五星级吗？", ["question"]],
    ["呵呵，下次不会再来了", ["sarcasm"]],
    ["真是“好”服务，等了两个小时", ["sarcasm"]],
    ["这服务太周到了吧，一个人都找不到", ["sarcasm"]],
    ["就这？", ["question", "sarcasm"]],
    ["送得很快，但是菜凉了", ["contrast", "mixed"]],
  ])("%s → %j", (text, expected) => {
    expect(detectStructuralPatterns(text)).toEqual(expected);
  });

  it("reports what matched", () => {
    expect(structuralPattern("negation").find("一点都不好吃")).toBe("不好吃");
    expect(structuralPattern("contrast").find("还行，不过有点吵")).toBe("不过");
    expect(structuralPattern("mixed").find("这个结果真是令人失望，不过还能接受")).toBe(
      "这个结果真是令人失望，不过还能接受",
    );
    expect(structuralPattern("mixed").find("好吃但是太贵了吧")).toBe("好吃但是太贵了吧");
  });
});
