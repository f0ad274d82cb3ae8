import type { LlamaModel, Token } from "node-llama-cpp";

/**
 * Turns a token stream into text pieces without ever emitting half a UTF-8 character: byte-level tokens can split
 * a Chinese character, so tokens are held back until they decode cleanly.
 */
export class TokenTextDecoder {
  readonly #model: LlamaModel;
  #pending: Token[] = [];

  constructor(model: LlamaModel) {
    this.#model = model;
  }

  push(token: Token): string {
    this.#pending.push(token);
    const text = this.#model.detokenize(this.#pending, false);
    // A replacement character at the end means an incomplete multi-byte sequence; UTF-8 needs at most 4 bytes.
    if (text.endsWith("\uFFFD") && this.#pending.length < 4) return "";
    this.#pending = [];
    return text;
  }

  flush(): string {
    const text = this.#pending.length > 0 ? this.#model.detokenize(this.#pending, false) : "";
    this.#pending = [];
    return text;
  }
}
