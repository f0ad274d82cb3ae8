import { useI18n } from "./locale-context.js";
import type { Locale } from "./messages.js";

/** The words of tasks on a chat turn: task names, moderation notices and disputes, and the answer check. */
export interface TaskWords {
  /** A task's name for people; a task the page does not know keeps its id. */
  taskName: (task: string) => string;
  /** "意图：退款，置信度 87%" for any classifier. */
  classificationOf: (task: string, label: string, percent: string) => string;
  /** The correction's question for one task: "正确的意图是？". */
  correctionPromptOf: (task: string) => string;
  /** A control's name said about one task, e.g. "意图：判断错误". */
  ofTask: (task: string, text: string) => string;
  /**
   * A shipped task's own name for a reason tag whose usual name is sentiment's (intent's `mixed` is "several
   * intents", not 矛盾情绪); undefined = the usual name. Tasks declare theirs in `feedback.reasonNames`.
   */
  reasonNameOf: (task: string, reason: string) => string | undefined;
  /** Opens the correction of a task that asks for corrections without 👍/👎 (`confirm: false`). */
  correctAction: string;
  statusRefused: string;
  /** MODERATION_POLICY=flag: the reply to a flagged message is hidden behind this notice. */
  moderationWithheld: string;
  /** MODERATION_POLICY=block: shown instead of a reply. */
  moderationRefused: string;
  flagged: string;
  revealReply: string;
  /** The 误判 button: "this message is not offensive". */
  dispute: string;
  disputeHint: string;
  disputed: string;
  answerCheckQuestion: string;
  answerCorrect: string;
  answerWrong: string;
  answerThanks: string;
}

const zhTasks: Record<string, string> = {
  sentiment: "情感",
  moderation: "内容安全",
  "qa-check": "问题类型",
  intent: "意图",
  chat: "对话",
};
const enTasks: Record<string, string> = {
  sentiment: "Sentiment",
  moderation: "Moderation",
  "qa-check": "Question type",
  intent: "Intent",
  chat: "Chat",
};

const zhReasons: Record<string, Record<string, string>> = { intent: { mixed: "多个意图" } };
const enReasons: Record<string, Record<string, string>> = { intent: { mixed: "Several intents" } };

const zh: TaskWords = {
  taskName: (task) => zhTasks[task] ?? task,
  classificationOf: (task, label, percent) => `${zhTasks[task] ?? task}：${label}，置信度 ${percent}`,
  ofTask: (task, text) => `${zhTasks[task] ?? task}：${text}`,
  correctionPromptOf: (task) => `正确的${zhTasks[task] ?? "标签"}是？`,
  reasonNameOf: (task, reason) => zhReasons[task]?.[reason],
  correctAction: "纠正",
  statusRefused: "已拒绝回复",
  moderationWithheld: "内容过滤认为这条消息可能带有冒犯性，回复已隐藏。",
  moderationRefused: "抱歉，这条消息可能包含冒犯性的内容，我不能回复。",
  flagged: "已标记",
  revealReply: "仍然显示回复",
  dispute: "误判",
  disputeHint: "如果这条消息并没有冒犯性，请点“误判”告诉我们，过滤器会从中学习。",
  disputed: "已提交误判，谢谢！过滤器会从中学习。",
  answerCheckQuestion: "答案正确吗？",
  answerCorrect: "正确",
  answerWrong: "不正确",
  answerThanks: "谢谢，你的回答会用来衡量问答的准确率。",
};

const en: TaskWords = {
  taskName: (task) => enTasks[task] ?? task,
  classificationOf: (task, label, percent) => `${enTasks[task] ?? task}: ${label}, confidence ${percent}`,
  ofTask: (task, text) => `${enTasks[task] ?? task}: ${text}`,
  correctionPromptOf: (task) => `What is the right ${enTasks[task]?.toLowerCase() ?? "label"}?`,
  reasonNameOf: (task, reason) => enReasons[task]?.[reason],
  correctAction: "Correct it",
  statusRefused: "Reply refused",
  moderationWithheld:
    "The content filter flagged this message as possibly offensive, so the reply is hidden.",
  moderationRefused: "Sorry, this message may contain offensive content, so I can't reply to it.",
  flagged: "Flagged",
  revealReply: "Show the reply anyway",
  dispute: "Not offensive",
  disputeHint:
    "If this message is not offensive, press “Not offensive” to tell us: the filter learns from it.",
  disputed: "Thanks for the report! The filter learns from it.",
  answerCheckQuestion: "Was the answer correct?",
  answerCorrect: "Correct",
  answerWrong: "Wrong",
  answerThanks: "Thanks: your answers measure how accurate the replies to questions are.",
};

export const taskWords: Record<Locale, TaskWords> = { zh, en };

/** The task words in the current language. */
export function useTaskWords(): TaskWords {
  return taskWords[useI18n().locale];
}
