import { expect, it } from "vitest";
import { byteLevelSpelling } from "../gguf/byte-level-bpe-vocabulary.js";
import { tinyQwen2Vocabulary } from "../gguf/tiny-qwen2.js";
import { partialUtf8TokenIds } from "./partial-utf8-tokens.js";

it("lists the byte tokens and merges that stop inside a character, and nothing that is whole text", () => {
  const vocabulary = tinyQwen2Vocabulary();
  const ids = new Set(partialUtf8TokenIds(vocabulary));
  const idOf = (text: string) => vocabulary.tokens.indexOf(byteLevelSpelling(text));
  // A lone lead byte of a 3-byte character, and the first two bytes of one.
  const leadByte = vocabulary.tokens.indexOf(byteLevelSpelling("正").slice(0, 1));
  const twoBytes = vocabulary.tokens.indexOf(byteLevelSpelling("正").slice(0, 2));
  expect(ids.has(leadByte)).toBe(true);
  if (twoBytes !== -1) expect(ids.has(twoBytes)).toBe(true);
  for (const whole of ["正面", "负面", "正", "a", " "]) expect(ids.has(idOf(whole))).toBe(false);
  for (const special of [vocabulary.imEndId, vocabulary.imStartId, vocabulary.endOfTextId]) {
    expect(ids.has(special)).toBe(false);
  }
});
