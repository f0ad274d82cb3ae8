import { useI18n } from "./locale-context.js";
import type { Locale } from "./messages.js";

/** The words of the chat page's 我记得… (personal memory) panel. */
export interface MemoryWords {
  title: string;
  intro: string;
  empty: string;
  switchLabel: string;
  switchState: (enabled: boolean, chosen: boolean) => string;
  remembered: (when: string) => string;
  deleteEntry: (text: string) => string;
  forgetAll: string;
  confirmForgetAll: string;
  unavailable: string;
}

const zh: MemoryWords = {
  title: "我记得…",
  intro: "你在对话中说过的偏好，会用在之后的回答里。",
  empty: "还没有记住什么。",
  switchLabel: "记住我的偏好",
  switchState: (enabled, chosen) => `${enabled ? "已开启" : "已关闭"}（${chosen ? "你的选择" : "默认设置"}）`,
  remembered: (when) => `记于 ${when}`,
  deleteEntry: (text) => `删除“${text}”`,
  forgetAll: "全部忘记",
  confirmForgetAll: "确定要删除所有记住的内容吗？",
  unavailable: "暂时无法读取记忆。",
};

const en: MemoryWords = {
  title: "I remember…",
  intro: "Preferences you stated in chat, used in later replies.",
  empty: "Nothing remembered yet.",
  switchLabel: "Remember my preferences",
  switchState: (enabled, chosen) => `${enabled ? "On" : "Off"} (${chosen ? "your choice" : "the default"})`,
  remembered: (when) => `Remembered ${when}`,
  deleteEntry: (text) => `Delete “${text}”`,
  forgetAll: "Forget everything",
  confirmForgetAll: "Delete everything remembered?",
  unavailable: "Memory can't be read right now.",
};

export const memoryWords: Record<Locale, MemoryWords> = { zh, en };

/** The memory panel's words in the current language. */
export function useMemoryWords(): MemoryWords {
  return memoryWords[useI18n().locale];
}
