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

export function createChatPromptRenderer(model: LlamaModel): ChatPromptRenderer {
  const template = model.fileInfo.metadata.tokenizer?.chat_template;
  const wrapper: ChatWrapper =
    typeof template === "string" && template.length > 0
      ? new JinjaTemplateChatWrapper({ template })
      : new ChatMLChatWrapper();
  return {
    render(turns) {
      const { contextText } = wrapper.generateContextState({ chatHistory: toHistory(turns) });
      return contextText.tokenize(model.tokenizer);
    },
  };
}
