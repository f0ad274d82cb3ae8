import {
  ByteLevelBpeVocabularyBuilder,
  byteLevelSpelling,
  tokenTypes,
  type ByteLevelBpeVocabulary,
} from "./byte-level-bpe-vocabulary.js";
import {
  chinesePunctuation,
  commonChineseCharacters,
  sampleChineseSentences,
  wholeChineseWords,
} from "./common-chinese-text.js";

/** A Qwen-style vocabulary plus the ids of its special tokens. */
export interface QwenVocabulary extends ByteLevelBpeVocabulary {
  /** `<|endoftext|>`: Qwen1.5-Chat's bos and padding token. */
  readonly endOfTextId: number;
  /** `<|im_start|>`. */
  readonly imStartId: number;
  /** `<|im_end|>`: Qwen1.5-Chat's eos token (the end of every chat turn). */
  readonly imEndId: number;
}

/** Qwen1.5's vocabulary size and the id of its first special token. */
export const QWEN_VOCABULARY_SIZE = 151_936;
export const QWEN_FIRST_SPECIAL_ID = 151_643;

/** A few hundred tokens: bytes, common and sample-sentence characters, punctuation and a few whole words. */
export function buildTinyQwenVocabulary(): QwenVocabulary {
  const builder = new ByteLevelBpeVocabularyBuilder();
  const characters = new Set([...commonChineseCharacters, ...chinesePunctuation]);
  for (const sentence of sampleChineseSentences) {
    for (const character of sentence) characters.add(character);
  }
  for (const character of characters) builder.addMergedText(character);
  for (const word of wholeChineseWords) builder.addMergedText(word);
  return withSpecialTokens(builder);
}

/**
 * Qwen1.5's vocabulary shape: 151,936 tokens with the special tokens at Qwen's own ids (151643–151645) and the
 * unused tail `[PAD151646]`…, like the converted real file. Every CJK Unified Ideograph (U+4E00–U+9FFF),
 * common punctuation and English words, and the ChatML role names are single tokens (so a chat template costs
 * the benchmarks as many tokens as it costs the real model); the remaining regular ids are filler tokens that no
 * merge produces, so they only matter for the embedding and output shapes.
 */
export function buildQwenShapedVocabulary(): QwenVocabulary {
  const builder = new ByteLevelBpeVocabularyBuilder();
  for (const character of chinesePunctuation) builder.addMergedText(character);
  for (let codePoint = 0x4e00; codePoint <= 0x9fff; codePoint++) {
    builder.addMergedText(String.fromCodePoint(codePoint));
  }
  for (const word of wholeChineseWords) builder.addMergedText(word);
  for (const role of chatRoleNames) builder.addMergedText(role);
  for (const word of commonEnglishWords) {
    builder.addMergedText(word);
    builder.addMergedText(` ${word}`);
  }
  while (builder.size < QWEN_FIRST_SPECIAL_ID) builder.addToken(`[FILLER${builder.size}]`, tokenTypes.normal);
  const vocabulary = withSpecialTokens(builder);
  const tail: string[] = [];
  for (let id = vocabulary.tokens.length; id < QWEN_VOCABULARY_SIZE; id++) tail.push(`[PAD${id}]`);
  return {
    ...vocabulary,
    tokens: [...vocabulary.tokens, ...tail],
    tokenTypes: [...vocabulary.tokenTypes, ...tail.map(() => tokenTypes.unused)],
  };
}

function withSpecialTokens(builder: ByteLevelBpeVocabularyBuilder): QwenVocabulary {
  const endOfTextId = builder.addToken("<|endoftext|>", tokenTypes.control);
  const imStartId = builder.addToken("<|im_start|>", tokenTypes.control);
  const imEndId = builder.addToken("<|im_end|>", tokenTypes.control);
  return { ...builder.build(), endOfTextId, imStartId, imEndId };
}

/** Id of the token spelling raw `text`, or undefined when `text` is not a single token of the vocabulary. */
export function tokenIdOfText(vocabulary: ByteLevelBpeVocabulary, text: string): number | undefined {
  const spelling = byteLevelSpelling(text);
  const id = vocabulary.tokens.indexOf(spelling);
  return id === -1 ? undefined : id;
}

/** Single tokens in Qwen's real vocabulary ("system" 8948, "user" 872, "assistant" 77091). */
export const chatRoleNames = ["system", "user", "assistant"] as const;

const commonEnglishWords = (
  "the of and to in is you that it he was for on are as with his they at be this have from or one had by word but " +
  "not what all were we when your can said there use an each which she do how their if will up other about out many " +
  "then them these so some her would make like him into time has look two more write go see number no way could " +
  "people my than first water been call who oil its now find long down day did get come made may part positive " +
  "negative neutral label answer sentiment review text classify output only please hotel room service good bad"
).split(" ");
