import type { CorrectionReason } from "../api/api-types.js";
import { enErrors, errorIn, zhErrors } from "./error-words.js";
import { englishLabelNames } from "./label-names.js";
import { rolloutWords } from "./rollout-words.js";

/** The UI languages. Chinese is the default. */
export type Locale = "zh" | "en";

export const locales: readonly Locale[] = ["zh", "en"];

/** Every string the UI shows; both catalogues must provide all of them (the compiler checks). */
export interface Messages {
  htmlLang: string;
  appTitle: string;
  appTagline: string;
  navLabel: string;
  navChat: string;
  navDashboard: string;
  navConsole: string;
  switchLanguage: string;
  switchLanguageLabel: string;
  skipToContent: string;

  emptyChatTitle: string;
  emptyChatHint: string;
  conversationLabel: string;
  messageLabel: string;
  messagePlaceholder: string;
  composerHint: string;
  send: string;
  stop: string;
  you: string;
  assistant: string;
  statusClassifying: string;
  statusReplying: string;
  statusDone: string;
  statusStopped: string;
  statusError: string;
  replyStopped: string;

  sentimentOf: (label: string, percent: string) => string;
  labelName: (label: string) => string;
  thumbsUp: string;
  thumbsDown: string;
  labelConfirmed: string;
  labelRejected: string;
  correctionPrompt: string;
  correctTo: (label: string) => string;
  correctedTo: (label: string) => string;
  reasonsLabel: string;
  reasons: Record<CorrectionReason, string>;

  ratingLabel: string;
  stars: (n: number) => string;
  edit: string;
  editLabel: string;
  save: string;
  cancel: string;
  edited: string;
  copy: string;
  replyActions: string;

  feedbackSending: string;
  feedbackRecorded: string;
  feedbackFailed: string;
  feedbackRejected: string;

  errorTitle: string;
  errorMessage: (code: string, serverMessage: string) => string;

  dashboardTitle: string;
  tokenLabel: string;
  tokenHint: string;
  tokenSubmit: string;
  tokenForget: string;
  unauthorized: string;
  adminDisabled: string;
  loading: string;
  refresh: string;
  generatedAt: (time: string) => string;
  dashboardEmpty: string;
  summaryTitle: string;
  columnTask: string;
  columnVersion: string;
  columnInteractions: string;
  columnFeedback: string;
  columnCoverage: string;
  columnAccuracy: string;
  columnMeanRating: string;
  columnExitRate: string;
  columnExitsThroughReplies: string;
  columnQualityScore: string;
  columnBadTurnRate: string;
  taskKind: (kind: string) => string;
  chartAccuracy: string;
  chartAccuracyBand: (version: string) => string;
  chartVolume: string;
  chartFeedbackEvents: (version: string) => string;
  chartCoverage: (version: string) => string;
  chartRating: string;
  chartExitRate: string;
  chartNoData: string;
  chartDate: string;
  misclassifiedTitle: string;
  misclassifiedEmpty: string;
  columnInput: string;
  columnPredicted: string;
  columnCorrected: string;
  columnReasons: string;
  columnTime: string;
  versionsTitle: string;
  versionsEmpty: string;
  columnStatus: string;
  columnSource: string;
  columnCreated: string;
  systemPrompt: string;
  versionStatus: (status: string) => string;
  versionSource: (source: string) => string;
  experimentsTitle: string;
  experimentsEmpty: string;
  experimentStatus: (status: string) => string;
  rolloutAction: (action: string) => string;
  /** A rollout decision's reason code in words, or undefined for a code this catalogue doesn't know. */
  decisionReason: (code: string) => string | undefined;
  experimentHeading: (task: string, control: string, candidate: string) => string;
  experimentId: string;
  experimentShare: string;
  experimentStage: (stage: number, stages: number) => string;
  experimentStarted: string;
  experimentEnded: string;
  experimentStartedBy: string;
  experimentStartReason: string;
  /** Why a canary the analysis started started (its recorded reason is the server's English). */
  experimentStartedByAnalysis: (candidate: string) => string;
  experimentActionsLabel: string;
  experimentAction: (action: "promote" | "rollback") => string;
  experimentActionReason: string;
  experimentActionConfirm: (action: "promote" | "rollback", version: string) => string;
  decisionsCaption: (shown: number, total: number) => string;
  decisionsEmpty: string;
  columnAction: string;
  columnDecisionReason: string;
  columnStatistics: string;
  armStatistics: (arm: "control" | "candidate", labelled: number, errors: number, rate: string) => string;
}

const zhLabels: Record<string, string> = { 正面: "正面", 负面: "负面" };
const enLabels: Record<string, string> = englishLabelNames;

const zhStatus: Record<string, string> = {
  active: "生效中",
  canary: "灰度中",
  pending_retirement: "待淘汰",
  retired: "已淘汰",
  draft: "草稿",
};
const zhSource: Record<string, string> = { file: "文件", human: "人工", analysis: "自动分析" };
const zh: Messages = {
  htmlLang: "zh-CN",
  appTitle: "PromptLoop",
  appTagline: "边用边学的情感分析与对话",
  navLabel: "页面",
  navChat: "对话",
  navDashboard: "仪表盘",
  navConsole: "控制台",
  switchLanguage: "English",
  switchLanguageLabel: "Switch to English",
  skipToContent: "跳到主要内容",

  emptyChatTitle: "说点什么吧",
  emptyChatHint: "我会先判断这句话的情感（正面或负面），再回复你。你的每一次反馈都会帮助改进提示词。",
  conversationLabel: "对话记录",
  messageLabel: "消息",
  messagePlaceholder: "输入消息…",
  composerHint: "Enter 发送 · Shift+Enter 换行",
  send: "发送",
  stop: "停止",
  you: "你",
  assistant: "助手",
  statusClassifying: "正在判断情感…",
  statusReplying: "正在回复…",
  statusDone: "回复完成",
  statusStopped: "已停止",
  statusError: "出错了",
  replyStopped: "（已停止）",

  sentimentOf: (label, percent) => `情感：${label}，置信度 ${percent}`,
  labelName: (label) => zhLabels[label] ?? label,
  thumbsUp: "判断正确",
  thumbsDown: "判断错误",
  labelConfirmed: "已确认",
  labelRejected: "已标记为错误",
  correctionPrompt: "正确的情感是？",
  correctTo: (label) => `改为「${label}」`,
  correctedTo: (label) => `已更正为「${label}」`,
  reasonsLabel: "原因（可选，请在更正前选择）",
  reasons: { mixed: "矛盾情绪", sarcasm: "讽刺", negation: "否定", off_topic: "跑题", other: "其他" },

  ratingLabel: "为这条回复评分（可选）",
  stars: (n) => `${n} 星`,
  edit: "编辑",
  editLabel: "编辑回复",
  save: "保存",
  cancel: "取消",
  edited: "已编辑",
  copy: "复制",
  replyActions: "回复操作",

  feedbackSending: "记录中…",
  feedbackRecorded: "已记录 ✓",
  feedbackFailed: "未能记录",
  feedbackRejected: "未被接受",

  errorTitle: "出错了",
  errorMessage: (code) => errorIn(zhErrors, (unknown) => `服务器报告了一个错误（${unknown}）。`, code),

  dashboardTitle: "仪表盘",
  tokenLabel: "管理令牌（ADMIN_TOKEN）",
  tokenHint: "令牌只保存在当前标签页中。",
  tokenSubmit: "查看",
  tokenForget: "退出",
  unauthorized: "令牌不正确，请重新输入。",
  adminDisabled: "服务器未启用管理功能：请设置 ADMIN_TOKEN 环境变量后重启服务。",
  loading: "加载中…",
  refresh: "刷新",
  generatedAt: (time) => `数据时间：${time}（近 30 天，按天）`,
  dashboardEmpty: "还没有数据。在对话页发一条消息并给出反馈后，这里就会出现图表。",
  summaryTitle: "汇总（近 30 天）",
  columnTask: "任务",
  columnVersion: "提示词版本",
  columnInteractions: "交互数",
  columnFeedback: "反馈数",
  columnCoverage: "反馈覆盖率",
  columnAccuracy: "准确率（95% 区间）",
  columnMeanRating: "平均评分",
  columnExitRate: "退出率",
  columnExitsThroughReplies: "经回复退出",
  columnQualityScore: "质量分",
  columnBadTurnRate: "差评轮次率",
  taskKind: (kind) => (kind === "classifier" ? "分类" : kind === "generator" ? "生成" : kind),
  chartAccuracy: "准确率（来自显式反馈，阴影为 95% 置信区间）",
  chartAccuracyBand: (version) => `${version} 95% 区间`,
  chartVolume: "反馈量（柱，条）与覆盖率（线，%）",
  chartFeedbackEvents: (version) => `${version} 反馈数`,
  chartCoverage: (version) => `${version} 覆盖率`,
  chartRating: "平均评分（1–5 星）",
  chartExitRate: "退出率（%）",
  chartNoData: "该指标暂无数据",
  chartDate: "日期",
  misclassifiedTitle: "最近的误判",
  misclassifiedEmpty: "还没有用户更正过的判断。",
  columnInput: "输入",
  columnPredicted: "模型判断",
  columnCorrected: "用户更正",
  columnReasons: "原因",
  columnTime: "时间",
  versionsTitle: "提示词版本",
  versionsEmpty: "没有提示词版本。",
  columnStatus: "状态",
  columnSource: "来源",
  columnCreated: "创建时间",
  systemPrompt: "系统提示词",
  versionStatus: (status) => zhStatus[status] ?? status,
  versionSource: (source) => zhSource[source] ?? source,
  experimentsTitle: "实验（灰度发布）",
  experimentsEmpty: "还没有灰度实验。新的提示词版本开始灰度后，这里会列出每一次发布决策及其原因。",
  experimentStatus: (status) => rolloutWords.zh.experimentStatus[status] ?? status,
  rolloutAction: (action) => rolloutWords.zh.action[action] ?? action,
  decisionReason: (code) => rolloutWords.zh.reason[code],
  experimentHeading: (task, control, candidate) => `${task}：对照 ${control} → 候选 ${candidate}`,
  experimentId: "实验编号",
  experimentShare: "当前灰度比例",
  experimentStage: (stage, stages) => `第 ${stage}/${stages} 阶段`,
  experimentStarted: "开始时间",
  experimentEnded: "结束时间",
  experimentStartedBy: "发起方",
  experimentStartReason: "开始原因",
  experimentStartedByAnalysis: (candidate) => `分析任务的候选版本 ${candidate} 通过了回放检验，自动开始灰度`,
  experimentActionsLabel: "人工决定",
  experimentAction: (action) => (action === "promote" ? "全量发布候选版本" : "回滚候选版本"),
  experimentActionReason: "原因（会记录在发布历史中）",
  experimentActionConfirm: (action, version) =>
    `确认${action === "promote" ? "全量发布" : "回滚"} ${version}`,
  decisionsCaption: (shown, total) =>
    shown === total
      ? `发布决策（最新在前，共 ${total} 条）`
      : `发布决策（最新在前，显示最近 ${shown} 条，共 ${total} 条）`,
  decisionsEmpty: "还没有发布决策。",
  columnAction: "决策",
  columnDecisionReason: "原因",
  columnStatistics: "关键统计",
  armStatistics: (arm, labelled, errors, rate) =>
    `${arm === "control" ? "对照" : "候选"}：标注 ${labelled}，错误 ${errors}（错误率 ${rate}）`,
};

const en: Messages = {
  htmlLang: "en",
  appTitle: "PromptLoop",
  appTagline: "Sentiment and chat that learn as you use them",
  navLabel: "Pages",
  navChat: "Chat",
  navDashboard: "Dashboard",
  navConsole: "Console",
  switchLanguage: "中文",
  switchLanguageLabel: "切换到中文",
  skipToContent: "Skip to content",

  emptyChatTitle: "Say something",
  emptyChatHint:
    "I first judge the sentiment of your message (positive or negative), then reply. Every bit of feedback helps improve the prompts.",
  conversationLabel: "Conversation",
  messageLabel: "Message",
  messagePlaceholder: "Type a message…",
  composerHint: "Enter sends · Shift+Enter adds a line",
  send: "Send",
  stop: "Stop",
  you: "You",
  assistant: "Assistant",
  statusClassifying: "Judging the sentiment…",
  statusReplying: "Replying…",
  statusDone: "Reply complete",
  statusStopped: "Stopped",
  statusError: "Something went wrong",
  replyStopped: "(stopped)",

  sentimentOf: (label, percent) => `Sentiment: ${label}, confidence ${percent}`,
  labelName: (label) => enLabels[label] ?? label,
  thumbsUp: "Label is right",
  thumbsDown: "Label is wrong",
  labelConfirmed: "Confirmed",
  labelRejected: "Marked wrong",
  correctionPrompt: "What is the right sentiment?",
  correctTo: (label) => `Change to ${label}`,
  correctedTo: (label) => `Corrected to ${label}`,
  reasonsLabel: "Why? (optional, choose before correcting)",
  reasons: {
    mixed: "Mixed feelings",
    sarcasm: "Sarcasm",
    negation: "Negation",
    off_topic: "Off-topic",
    other: "Other",
  },

  ratingLabel: "Rate this reply (optional)",
  stars: (n) => (n === 1 ? "1 star" : `${n} stars`),
  edit: "Edit",
  editLabel: "Edit the reply",
  save: "Save",
  cancel: "Cancel",
  edited: "Edited",
  copy: "Copy",
  replyActions: "Reply actions",

  feedbackSending: "Saving…",
  feedbackRecorded: "Recorded ✓",
  feedbackFailed: "Not recorded",
  feedbackRejected: "Not accepted",

  errorTitle: "Error",
  errorMessage: (code, serverMessage) =>
    errorIn(enErrors, (unknown) => `${serverMessage} (${unknown})`, code),

  dashboardTitle: "Dashboard",
  tokenLabel: "Admin token (ADMIN_TOKEN)",
  tokenHint: "The token is kept in this tab only.",
  tokenSubmit: "Open",
  tokenForget: "Sign out",
  unauthorized: "The token is wrong. Please enter it again.",
  adminDisabled:
    "The admin API is disabled: set the ADMIN_TOKEN environment variable and restart the server.",
  loading: "Loading…",
  refresh: "Refresh",
  generatedAt: (time) => `Data as of ${time} (last 30 days, daily)`,
  dashboardEmpty:
    "No data yet. Send a message on the chat page and give some feedback; the charts will appear here.",
  summaryTitle: "Totals (last 30 days)",
  columnTask: "Task",
  columnVersion: "Prompt version",
  columnInteractions: "Interactions",
  columnFeedback: "Feedback",
  columnCoverage: "Coverage",
  columnAccuracy: "Accuracy (95% interval)",
  columnMeanRating: "Mean rating",
  columnExitRate: "Exit rate",
  columnExitsThroughReplies: "Exits via reply",
  columnQualityScore: "Quality score",
  columnBadTurnRate: "Bad-turn rate",
  taskKind: (kind) => kind,
  chartAccuracy: "Accuracy from explicit feedback (band: 95% interval)",
  chartAccuracyBand: (version) => `${version} 95% interval`,
  chartVolume: "Feedback volume (bars, events) and coverage (lines, %)",
  chartFeedbackEvents: (version) => `${version} feedback`,
  chartCoverage: (version) => `${version} coverage`,
  chartRating: "Mean rating (1–5 stars)",
  chartExitRate: "Exit rate (%)",
  chartNoData: "No data for this metric yet",
  chartDate: "Date",
  misclassifiedTitle: "Latest misclassifications",
  misclassifiedEmpty: "No corrections from users yet.",
  columnInput: "Input",
  columnPredicted: "Predicted",
  columnCorrected: "Corrected",
  columnReasons: "Reasons",
  columnTime: "Time",
  versionsTitle: "Prompt versions",
  versionsEmpty: "No prompt versions.",
  columnStatus: "Status",
  columnSource: "Source",
  columnCreated: "Created",
  systemPrompt: "System prompt",
  versionStatus: (status) => status.replace(/_/g, " "),
  versionSource: (source) => source,
  experimentsTitle: "Experiments (prompt rollouts)",
  experimentsEmpty:
    "No rollout experiments yet. Once a new prompt version starts a canary, every rollout decision and its reason is listed here.",
  experimentStatus: (status) => rolloutWords.en.experimentStatus[status] ?? status.replace(/_/g, " "),
  rolloutAction: (action) => rolloutWords.en.action[action] ?? action,
  decisionReason: (code) => rolloutWords.en.reason[code],
  experimentHeading: (task, control, candidate) => `${task}: control ${control} → candidate ${candidate}`,
  experimentId: "Experiment id",
  experimentShare: "Canary share now",
  experimentStage: (stage, stages) => `stage ${stage} of ${stages}`,
  experimentStarted: "Started",
  experimentEnded: "Ended",
  experimentStartedBy: "Started by",
  experimentStartReason: "Why it started",
  experimentStartedByAnalysis: (candidate) =>
    `The analysis's candidate ${candidate} passed the replay gate, so its canary started on its own`,
  experimentActionsLabel: "Decide by hand",
  experimentAction: (action) => (action === "promote" ? "Promote the candidate" : "Roll back the candidate"),
  experimentActionReason: "Reason (kept in the rollout history)",
  experimentActionConfirm: (action, version) =>
    `Confirm: ${action === "promote" ? "promote" : "roll back"} ${version}`,
  decisionsCaption: (shown, total) =>
    shown === total
      ? `Rollout decisions (newest first, ${total} in all)`
      : `Rollout decisions (newest first, latest ${shown} of ${total})`,
  decisionsEmpty: "No rollout decisions yet.",
  columnAction: "Decision",
  columnDecisionReason: "Reason",
  columnStatistics: "Key statistics",
  armStatistics: (arm, labelled, errors, rate) =>
    `${arm === "control" ? "Control" : "Candidate"}: ${labelled} labelled, ${errors} wrong (error rate ${rate})`,
};

export const catalogues: Record<Locale, Messages> = { zh, en };
