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
  private readonly mergeRanks = new Map<string, number>();

  constructor() {
    for (const { text } of gpt2ByteOrder()) this.addToken(text, tokenTypes.normal);
  }

  get size(): number {
    return this.tokens.length;
  }

  /**
   * Adds the merges that make `text` a single token when it stands alone, and returns its id: split the text
   * the way the merges so far split it (BPE), join the two leftmost pieces with a new merge, and repeat until
   * one piece is left. New merges rank after all existing ones, so texts added earlier still tokenize as before.
   * For a Chinese character this gives the usual shape: lead byte + second byte, then that pair + third byte.
   */
  addMergedText(text: string): number {
    const symbols = [...byteLevelSpelling(text)];
    if (symbols.length === 0) throw new Error("cannot add an empty text as a token");
    for (;;) {
      const [first, second] = this.applyMerges(symbols);
      if (first === undefined) throw new Error("BPE lost the text");
      if (second === undefined) return this.idOf(first);
      // BPE runs again after each new merge: the merge may also apply further right and change later pieces.
      this.merge(first, second);
    }
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
    if (!this.mergeRanks.has(pair)) {
      this.mergeRanks.set(pair, this.merges.length);
      this.merges.push(pair);
    }
    return joined;
  }

  /** Byte-level BPE as llama.cpp runs it: repeatedly join the adjacent pair whose merge ranks first (leftmost on ties). */
  private applyMerges(symbols: string[]): string[] {
    const pieces = [...symbols];
    for (;;) {
      let best = -1;
      let bestRank = Infinity;
      for (let i = 0; i + 1 < pieces.length; i++) {
        const rank = this.mergeRanks.get(`${pieces[i]} ${pieces[i + 1]}`);
        if (rank !== undefined && rank < bestRank) [best, bestRank] = [i, rank];
      }
      if (best === -1) return pieces;
      pieces.splice(best, 2, `${pieces[best]}${pieces[best + 1]}`);
    }
  }
}
