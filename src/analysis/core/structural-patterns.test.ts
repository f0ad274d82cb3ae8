import { describe, expect, it } from "vitest";
import { detectStructuralPatterns, structuralPattern } from "./structural-patterns.js";

describe("detectStructuralPatterns", () => {
  it.each([
    ["这个结果真是令人失望，不过还能接受", ["contrast"]],
    ["虽然价格有点贵，但是味道很好", ["contrast", "mixed"]],
    ["房间干净，服务热情", []],
    ["菜不好吃，送得也慢", ["negation", "mixed"]],
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
  });
});
