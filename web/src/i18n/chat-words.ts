import type { ReplyReason } from "../../../src/feedback/feedback-types.js";
import { useI18n } from "./locale-context.js";
import type { Locale } from "./messages.js";

/** The chat page's newer words: undo, reply reasons, history, retry, the length counter. */
export interface ChatWords {
  undo: string;
  undone: string;
  correctedChip: (label: string) => string;
  reasonsEditable: string;
  replyDown: string;
  replyReasonsPrompt: string;
  replyReasons: Record<ReplyReason, string>;
  commentLabel: string;
  commentPlaceholder: string;
  sendReasons: string;
  updateReasons: string;
  withdrawReasons: string;
  retry: string;
  regenerate: string;
  editAndResend: string;
  resend: string;
  cancel: string;
  charCount: (used: number, max: number) => string;
  tooLong: (max: number) => string;
  history: string;
  newChat: string;
  untitled: string;
  deleteChat: string;
  historyUnavailable: string;
  jumpToLatest: string;
}

const zh: ChatWords = {
  undo: "撤销",
  undone: "已撤销",
  correctedChip: (label) => `已更正为${label}`,
  reasonsEditable: "原因（可选，可随时修改）",
  replyDown: "回复不好",
  replyReasonsPrompt: "哪里不好？",
  replyReasons: {
    inaccurate: "不准确",
    unhelpful: "没帮助",
    too_long: "太啰嗦",
    off_topic: "答非所问",
    harmful: "不当内容",
    other: "其他",
  },
  commentLabel: "补充说明（可选）",
  commentPlaceholder: "哪里可以更好？",
  sendReasons: "提交",
  updateReasons: "更新",
  withdrawReasons: "撤回",
  retry: "重试",
  regenerate: "重新生成",
  editAndResend: "编辑后重发",
  resend: "重新发送",
  cancel: "取消",
  charCount: (used, max) => `${used} / ${max} 字`,
  tooLong: (max) => `消息超过 ${max} 字，请删减后再发送。`,
  history: "历史对话",
  newChat: "新对话",
  untitled: "（空对话）",
  deleteChat: "删除对话",
  historyUnavailable: "浏览器无法保存对话（隐私模式？），刷新后对话会丢失。",
  jumpToLatest: "跳到最新",
};

const en: ChatWords = {
  undo: "Undo",
  undone: "Undone",
  correctedChip: (label) => `Corrected to ${label}`,
  reasonsEditable: "Why? (optional, can be changed)",
  replyDown: "Bad reply",
  replyReasonsPrompt: "What was wrong?",
  replyReasons: {
    inaccurate: "Inaccurate",
    unhelpful: "Not helpful",
    too_long: "Too long",
    off_topic: "Off topic",
    harmful: "Inappropriate",
    other: "Other",
  },
  commentLabel: "Comment (optional)",
  commentPlaceholder: "What would have been better?",
  sendReasons: "Send",
  updateReasons: "Update",
  withdrawReasons: "Withdraw",
  retry: "Retry",
  regenerate: "Regenerate",
  editAndResend: "Edit and resend",
  resend: "Resend",
  cancel: "Cancel",
  charCount: (used, max) => `${used} / ${max} characters`,
  tooLong: (max) => `The message is longer than ${max} characters. Please shorten it.`,
  history: "Conversations",
  newChat: "New chat",
  untitled: "(empty chat)",
  deleteChat: "Delete chat",
  historyUnavailable: "This browser can't keep conversations (private mode?); a reload will lose this one.",
  jumpToLatest: "Jump to latest",
};

export const chatWords: Record<Locale, ChatWords> = { zh, en };

/** The chat words in the current language. */
export function useChatWords(): ChatWords {
  return chatWords[useI18n().locale];
}
