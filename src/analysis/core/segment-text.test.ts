import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  createWordSegmenter,
  decodeHanNgram,
  encodeHanNgram,
  forEachHanNgramCode,
  hanNgrams,
  normaliseText,
} from "./segment-text.js";

describe("segmentation", () => {
  it("segments Chinese words and drops punctuation and numbers", () => {
    const words = createWordSegmenter()("房间很大，WiFi信号不错，123元");
    expect(words).toContain("房间");
    expect(words).toContain("wifi");
    expect(words).toContain("不错");
    expect(words).not.toContain("123");
    expect(words).not.toContain("，");
  });

  it("builds character n-grams inside Han runs only", () => {
    expect(hanNgrams("还行吧，ok好的", [2, 3])).toEqual(["还行", "行吧", "还行吧", "好的"]);
    expect(hanNgrams("𠀀𠀁好", [2])).toEqual(["𠀀𠀁", "𠀁好"]);
  });

  it("normalises width, case, spaces and punctuation", () => {
    expect(normaliseText("ＷｉＦｉ 很好！！")).toBe(normaliseText("wifi很好"));
  });
});

describe("integer n-gram codes", () => {
  const hanText = fc
    .array(fc.oneof(fc.integer({ min: 0x4e00, max: 0x9fff }), fc.constantFrom(0x3002, 0x41, 0xff0c)), {
      maxLength: 12,
    })
    .map((codes) => String.fromCharCode(...codes));

  it("give the same n-grams as the string version, for BMP Han text", () => {
    fc.assert(
      fc.property(hanText, (text) => {
        const codes: number[] = [];
        forEachHanNgramCode(text, [2, 3], (code) => codes.push(code));
        expect(codes.map(decodeHanNgram).sort()).toEqual(hanNgrams(text, [2, 3]).sort());
      }),
    );
  });

  it("round-trip through encode and decode", () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0x4e00, max: 0x9fff }), { minLength: 1, maxLength: 3 }),
        (chars) => {
          const text = String.fromCharCode(...chars);
          expect(decodeHanNgram(encodeHanNgram(text)!)).toBe(text);
        },
      ),
    );
    expect(encodeHanNgram("还行吧呀")).toBeNull();
    expect(encodeHanNgram("ok")).toBeNull();
  });

  it("give distinct codes to distinct n-grams of different sizes", () => {
    expect(new Set(["还", "还行", "还行吧", "行", "行吧"].map(encodeHanNgram)).size).toBe(5);
  });
});
