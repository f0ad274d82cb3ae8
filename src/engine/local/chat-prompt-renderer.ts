import {
  ChatMLChatWrapper,
  JinjaTemplateChatWrapper,
  type ChatHistoryItem,
  type ChatWrapper,
  type LlamaModel,
  type Token,
} from "node-llama-cpp";
import type { ChatTurn } from "../llm-backend.js";

/**
 * Turns a conversation into tokens with the model's own chat template (Qwen's ChatML, read from the GGUF),
 * ending with the opening of the assistant's turn.
 */
export interface ChatPromptRenderer {
  render(turns: ChatTurn[]): Token[];
  /**
   * How many leading tokens of `render([...prefix, {role: "user", content}])` are the same whatever the content:
   * the part of a prompt that can be evaluated once and reused for every input.
   */
  inputIndependentLength(prefix: ChatTurn[]): number;
}

function toHistory(turns: ChatTurn[]): ChatHistoryItem[] {
  const history: ChatHistoryItem[] = turns.map((turn) =>
    turn.role === "assistant"
      ? { type: "model", response: [turn.content] }
      : { type: turn.role, text: turn.content },
  );
  // An empty model turn makes the wrapper emit the generation prompt (`<|im_start|>assistant\n`).
  history.push({ type: "model", response: [] });
  return history;
}

function commonPrefixLength(a: Token[], b: Token[]): number {
  const n = Math.min(a.length, b.length);
  let i = 0;
  while (i < n && a[i] === b[i]) i++;
  return i;
}

// Rendering runs a Jinja template and the tokenizer; prefixes repeat on every request, so their lengths are kept.
const maxRememberedPrefixes = 64;

export function createChatPromptRenderer(model: LlamaModel): ChatPromptRenderer {
  const template = model.fileInfo.metadata.tokenizer?.chat_template;
  const wrapper: ChatWrapper =
    typeof template === "string" && template.length > 0
      ? new JinjaTemplateChatWrapper({ template })
      : new ChatMLChatWrapper();
  const render = (turns: ChatTurn[]): Token[] => {
    const { contextText } = wrapper.generateContextState({ chatHistory: toHistory(turns) });
    return contextText.tokenize(model.tokenizer);
  };
  const stableLengths = new Map<string, number>();
  return {
    render,
    inputIndependentLength(prefix) {
      const key = JSON.stringify(prefix);
      let length = stableLengths.get(key);
      if (length === undefined) {
        // Two inputs that share no first character: whatever they share in tokens comes from the template.
        length = commonPrefixLength(
          render([...prefix, { role: "user", content: "0" }]),
          render([...prefix, { role: "user", content: "#" }]),
        );
        if (stableLengths.size >= maxRememberedPrefixes)
          stableLengths.delete(stableLengths.keys().next().value!);
        stableLengths.set(key, length);
      }
      return length;
    },
  };
}
