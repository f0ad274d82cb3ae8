/** llama.cpp's token types (llama.h: enum llama_token_type), stored in `tokenizer.ggml.token_type`. */
export const tokenTypes = { normal: 1, unknown: 2, control: 3, userDefined: 4, unused: 5, byte: 6 } as const;

/** A finished vocabulary: token i has text `tokens[i]` and type `tokenTypes[i]`; `merges` are ranked pairs. */
export interface ByteLevelBpeVocabulary {
  readonly tokens: readonly string[];
  readonly tokenTypes: readonly number[];
  /** "left right" pairs, highest priority first, as `tokenizer.ggml.merges` stores them. */
  readonly merges: readonly string[];
}

/**
 * GPT-2's byte-to-unicode table: printable bytes stand for themselves, the other 68 bytes are shifted to
 * U+0100 and up (space becomes "Ġ", newline "Ċ"). Returned in GPT-2's order, which is also the order of the
 * first 256 ids in Qwen's vocabulary ("!" = 0).
 */
export function gpt2ByteOrder(): Array<{ byte: number; text: string }> {
  const printable = (byte: number): boolean =>
    (byte >= 0x21 && byte <= 0x7e) || (byte >= 0xa1 && byte <= 0xac) || (byte >= 0xae && byte <= 0xff);
  const order: Array<{ byte: number; text: string }> = [];
  for (let byte = 0; byte < 256; byte++) {
    if (printable(byte)) order.push({ byte, text: String.fromCodePoint(byte) });
  }
  let shifted = 0;
  for (let byte = 0; byte < 256; byte++) {
    if (!printable(byte)) order.push({ byte, text: String.fromCodePoint(256 + shifted++) });
  }
  return order;
}

const byteTexts: readonly string[] = (() => {
  const texts = new Array<string>(256).fill("");
  for (const { byte, text } of gpt2ByteOrder()) texts[byte] = text;
  return texts;
})();

/** How a piece of raw text is spelled inside a byte-level vocabulary: one mapped character per UTF-8 byte. */
export function byteLevelSpelling(text: string): string {
  let spelled = "";
  for (const byte of new TextEncoder().encode(text)) spelled += byteTexts[byte];
  return spelled;
}

/**
 * Builds a byte-level BPE vocabulary the way a trained one looks: 256 byte tokens, then tokens made by merges,
 * then added tokens. Every token is unique and every merge joins two existing tokens into an existing token.
 */
export class ByteLevelBpeVocabularyBuilder {
  private readonly tokens: string[] = [];
  private readonly types: number[] = [];
  private readonly ids = new Map<string, number>();
  private readonly merges: string[] = [];
  private readonly mergeSet = new Set<string>();

  constructor() {
    for (const { text } of gpt2ByteOrder()) this.addToken(text, tokenTypes.normal);
  }

  get size(): number {
    return this.tokens.length;
  }

  /**
   * Adds the merges that make `text` a single token when it stands alone: each character is assembled from
   * its bytes left to right (lead byte + second byte first, as in real Chinese vocabularies), then the
   * characters are joined left to right. Returns the token id.
   */
  addMergedText(text: string): number {
    let word: string | undefined;
    for (const character of text) {
      let assembled: string | undefined;
      for (const byteText of byteLevelSpelling(character)) {
        assembled = assembled === undefined ? byteText : this.merge(assembled, byteText);
      }
      if (assembled === undefined) continue;
      word = word === undefined ? assembled : this.merge(word, assembled);
    }
    if (word === undefined) throw new Error("cannot add an empty text as a token");
    return this.idOf(word);
  }

  /** Adds a token that no merge produces (special or filler tokens); its text must be new. */
  addToken(text: string, type: number): number {
    if (this.ids.has(text)) throw new Error(`token ${JSON.stringify(text)} already exists`);
    const id = this.tokens.length;
    this.tokens.push(text);
    this.types.push(type);
    this.ids.set(text, id);
    return id;
  }

  /** Id of a token by its vocabulary spelling. */
  idOf(spelling: string): number {
    const id = this.ids.get(spelling);
    if (id === undefined) throw new Error(`no token ${JSON.stringify(spelling)}`);
    return id;
  }

  build(): ByteLevelBpeVocabulary {
    return { tokens: [...this.tokens], tokenTypes: [...this.types], merges: [...this.merges] };
  }

  private merge(left: string, right: string): string {
    const joined = left + right;
    if (!this.ids.has(joined)) this.addToken(joined, tokenTypes.normal);
    const pair = `${left} ${right}`;
    if (!this.mergeSet.has(pair)) {
      this.mergeSet.add(pair);
      this.merges.push(pair);
    }
    return joined;
  }
}
