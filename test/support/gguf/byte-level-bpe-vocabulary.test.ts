import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  ByteLevelBpeVocabularyBuilder,
  byteLevelSpelling,
  gpt2ByteOrder,
  tokenTypes,
  type ByteLevelBpeVocabulary,
} from "./byte-level-bpe-vocabulary.js";
import { wholeChineseWords } from "./common-chinese-text.js";
import {
  buildQwenShapedVocabulary,
  chatRoleNames,
  buildTinyQwenVocabulary,
  QWEN_VOCABULARY_SIZE,
  tokenIdOfText,
  type QwenVocabulary,
} from "./qwen-vocabularies.js";

/** The rules llama.cpp relies on: unique token texts, and merges that join two existing tokens into a third. */
function expectWellFormed(vocabulary: ByteLevelBpeVocabulary): void {
  const ids = new Map(vocabulary.tokens.map((token, id) => [token, id]));
  expect(ids.size).toBe(vocabulary.tokens.length);
  expect(vocabulary.tokenTypes).toHaveLength(vocabulary.tokens.length);
  expect(new Set(vocabulary.merges).size).toBe(vocabulary.merges.length);
  const broken = vocabulary.merges.filter((merge) => {
    // llama.cpp splits a merge at the first space after position 0.
    const split = merge.indexOf(" ", 1);
    const [left, right] = [merge.slice(0, split), merge.slice(split + 1)];
    return split <= 0 || !ids.has(left) || !ids.has(right) || !ids.has(left + right);
  });
  expect(broken).toEqual([]);
}

/**
 * Reference byte-level BPE (GPT-2's loop: join every occurrence of the best-ranked pair, left to right, until
 * no pair has a merge), written independently of the builder.
 */
function tokenizeWord(vocabulary: ByteLevelBpeVocabulary, text: string): string[] {
  const ranks = new Map(vocabulary.merges.map((merge, rank) => [merge, rank]));
  let pieces = [...byteLevelSpelling(text)];
  for (;;) {
    const ranked = pieces.slice(1).map((piece, i) => ranks.get(`${pieces[i]} ${piece}`) ?? Infinity);
    const bestRank = Math.min(...ranked);
    if (bestRank === Infinity) return pieces;
    const [left, right] = (vocabulary.merges[bestRank] ?? "").split(" ");
    const joined: string[] = [];
    for (let i = 0; i < pieces.length; i++) {
      if (pieces[i] === left && pieces[i + 1] === right) {
        joined.push(`${left}${right}`);
        i++;
      } else {
        joined.push(pieces[i] ?? "");
      }
    }
    pieces = joined;
  }
}

describe("byte-level spelling", () => {
  it("maps every byte to its own character, in GPT-2's order", () => {
    const order = gpt2ByteOrder();
    expect(new Set(order.map(({ byte }) => byte)).size).toBe(256);
    expect(new Set(order.map(({ text }) => text)).size).toBe(256);
    expect(order[0]).toEqual({ byte: 0x21, text: "!" });
    expect(order.every(({ text }) => !/\s/.test(text))).toBe(true);
  });

  it.each([
    [" ", "Ġ"],
    ["\n", "Ċ"],
    ["a b", "aĠb"],
    ["正", "æŃ£"],
  ])("spells %j as %j", (text, spelling) => {
    expect(byteLevelSpelling(text)).toBe(spelling);
  });
});

describe("ByteLevelBpeVocabularyBuilder", () => {
  it("keeps any set of merged texts well formed, each one a single token that BPE reaches", () => {
    const texts = fc.array(fc.string({ unit: "grapheme", minLength: 1, maxLength: 6 }), { maxLength: 20 });
    // Overlapping ASCII words are the hard case: earlier merges ("it") cut through later words ("positive").
    const words = fc.array(fc.stringMatching(/^[a-e]{1,6}$/), { maxLength: 30 });
    fc.assert(
      fc.property(fc.oneof(texts, words), (added) => {
        const builder = new ByteLevelBpeVocabularyBuilder();
        const ids = added.map((text) => builder.addMergedText(text));
        const vocabulary = builder.build();
        expectWellFormed(vocabulary);
        added.forEach((text, index) => {
          expect(vocabulary.tokens[ids[index] ?? -1]).toBe(byteLevelSpelling(text));
          expect(tokenizeWord(vocabulary, text)).toEqual([byteLevelSpelling(text)]);
        });
      }),
      { numRuns: 300 },
    );
  });

  it("builds a Chinese character from lead + second byte, then + third byte", () => {
    const builder = new ByteLevelBpeVocabularyBuilder();
    builder.addMergedText("正");
    const [lead, second, third] = [...byteLevelSpelling("正")];
    expect(builder.build().merges).toEqual([`${lead} ${second}`, `${lead}${second} ${third}`]);
  });

  it("refuses a second token with the same text", () => {
    const builder = new ByteLevelBpeVocabularyBuilder();
    builder.addToken("<|im_end|>", tokenTypes.control);
    expect(() => builder.addToken("<|im_end|>", tokenTypes.control)).toThrow(/already exists/);
    expect(() => builder.addToken("!", tokenTypes.normal)).toThrow(/already exists/);
  });
});

describe("Qwen vocabularies", () => {
  const tiny = buildTinyQwenVocabulary();
  let full: QwenVocabulary | undefined;
  const fullVocabulary = (): QwenVocabulary => (full ??= buildQwenShapedVocabulary());

  it("builds a tiny vocabulary of a few hundred well-formed tokens", () => {
    expectWellFormed(tiny);
    expect(tiny.tokens.length).toBeGreaterThan(500);
    expect(tiny.tokens.length).toBeLessThan(1000);
  });

  it.each([["tiny"], ["full"]] as const)(
    "puts the %s vocabulary's special tokens last as control tokens",
    (which) => {
      const vocabulary = which === "tiny" ? tiny : fullVocabulary();
      const specials = [vocabulary.endOfTextId, vocabulary.imStartId, vocabulary.imEndId];
      expect(specials.map((id) => vocabulary.tokens[id])).toEqual([
        "<|endoftext|>",
        "<|im_start|>",
        "<|im_end|>",
      ]);
      expect(specials.map((id) => vocabulary.tokenTypes[id])).toEqual([3, 3, 3]);
      expect(vocabulary.tokenTypes.filter((type) => type === tokenTypes.control)).toHaveLength(3);
    },
  );

  const singleTokenTexts: Array<[string]> = [
    ["正"],
    ["面"],
    ["负"],
    ...wholeChineseWords.map((word): [string] => [word]),
  ];
  it.each(singleTokenTexts)("makes %s one token of the tiny vocabulary", (text) => {
    expect(Number.isInteger(tokenIdOfText(tiny, text))).toBe(true);
  });

  it("builds the full vocabulary with Qwen1.5's size, special ids and every CJK ideograph as a token", () => {
    const full = fullVocabulary();
    expectWellFormed(full);
    expect(full.tokens).toHaveLength(QWEN_VOCABULARY_SIZE);
    expect([full.endOfTextId, full.imStartId, full.imEndId]).toEqual([151_643, 151_644, 151_645]);
    expect(full.tokens[151_646]).toBe("[PAD151646]");
    expect(full.tokenTypes.slice(151_646).every((type) => type === tokenTypes.unused)).toBe(true);
    const ids = new Set(full.tokens);
    const missing: string[] = [];
    for (let codePoint = 0x4e00; codePoint <= 0x9fff; codePoint++) {
      const character = String.fromCodePoint(codePoint);
      if (!ids.has(byteLevelSpelling(character))) missing.push(character);
    }
    expect(missing).toEqual([]);
  });

  it.each(chatRoleNames.map((role): [string] => [role]))(
    "makes the ChatML role name %s one token of the full vocabulary, as in Qwen's",
    (role) => {
      expect(tokenizeWord(fullVocabulary(), role)).toEqual([byteLevelSpelling(role)]);
    },
  );
});
