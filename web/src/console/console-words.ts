import { guardrailNamesZh } from "../i18n/decision-figures.js";
import { useI18n } from "../i18n/locale-context.js";

/** An analysis run's progress as GET /api/admin/analysis/status reports it. */
type ProgressLike =
  | { phase: "stream"; done: number; total: number }
  | { phase: "rewrite"; task: string }
  | { phase: "replay"; done: number; total: number; task: string };

/** The console's vocabulary (sign-in, reports, versions, experiments, triage) in each language. */
const zh = {
  signInTitle: "运营登录",
  tokenLabel: "管理令牌（ADMIN_TOKEN 或 ADMIN_TOKENS 中的一个）",
  nameLabel: "你的名字（使用共享令牌时记入操作日志）",
  signIn: "登录",
  signInHint: "令牌只用于换取会话，不会保存在浏览器中；会话到期后需要重新登录。",
  sessionExpired: "会话已过期，请重新登录。",
  signedInAs: (name: string, until: string) => `已登录：${name}（有效期至 ${until}）`,
  signOut: "退出登录",
  consoleTitle: "运营控制台",
  tabReports: "分析报告",
  tabVersions: "提示词版本",
  tabExperiments: "实验",
  tabTriage: "误判分拣",
  analysisRunNow: "立即运行分析",
  analysisRunning: "分析进行中…",
  progress: (p: ProgressLike | null) =>
    p === null
      ? "分析进行中：准备数据…"
      : p.phase === "stream"
        ? `分析进行中：读取反馈 ${p.done}/${p.total}`
        : p.phase === "rewrite"
          ? `分析进行中：为 ${p.task} 生成候选提示词`
          : `分析进行中：回放验证 ${p.task} ${p.done}/${p.total}`,
  lastRun: (outcome: string, time: string, error: string | null) =>
    outcome === "failed"
      ? `上次分析失败（${time}）：${error ?? ""}`
      : outcome === "skipped"
        ? `上次分析（${time}）：没有新反馈，沿用上一份报告`
        : `上次分析完成于 ${time}`,
  noRunYet: "本进程尚未运行过分析。",
  noReports: "还没有分析报告。点击“立即运行分析”生成第一份。",
  columnReport: "报告",
  columnDecisions: "各任务结论",
  columnOpen: "完整报告",
  trigger: (trigger: string) => ({ api: "手动", schedule: "定时", cli: "命令行" })[trigger] ?? trigger,
  draftProposed: (id: string) => `建议草稿 ${id}`,
  noChange: "无需修改",
  openHtml: "打开 HTML 报告",
  reportOf: (time: string) => `报告：${time}`,
  reportCounts: (interactions: number, events: number) => `${interactions} 次交互，${events} 条反馈`,
  recommendation: "结论",
  openDraft: (id: string) => `查看草稿 ${id}`,
  triggerLabel: "触发条件",
  patterns: "错误模式",
  pattern: "模式",
  support: "出错/出现",
  errorRate: "错误率",
  lift: "提升度",
  notReplayed: "未回放（不能推荐）",
  replayPassed: "回放通过",
  replayFailed: "回放未通过",
  version: "版本",
  status: "状态",
  source: "来源",
  parent: "父版本",
  fewShotCount: "示例数",
  created: "创建时间",
  statusName: (status: string) =>
    ({ active: "生效中", canary: "灰度中", pending_retirement: "待退役", retired: "已退役", draft: "草稿" })[
      status
    ] ?? status,
  labelsNow: "当前标签",
  classLabels: "分类标签",
  params: "生成参数",
  retrieval: "检索设置",
  changelog: "变更说明",
  contentHash: "内容哈希",
  systemPrompt: "系统提示词",
  fewShot: (n: number) => `少样本示例（${n}）`,
  labelHistory: "标签历史",
  when: "时间",
  label: "标签",
  move: "移动",
  actor: "操作者",
  reason: "原因",
  compare: "对比",
  compareWith: "与此版本对比：",
  showDiff: "并排对比",
  sameBehaviour: "两个版本行为相同（只有说明文字不同）。",
  removedLine: "删除：",
  addedLine: "新增：",
  otherChanges: "其他变更的字段",
  field: "字段",
  actions: "操作",
  actionName: (action: string) =>
    ({ "start-canary": "开始灰度", promote: "全量发布", rollback: "回滚", retire: "退役" })[action] ?? action,
  reasonFor: (action: string) => `${action}的原因：`,
  confirm: "确认",
  noEvidence:
    "证据不足：这个版本没有灰度实验，或已标注的回答太少。确定要在没有证据的情况下发布吗？此操作会记录在标签历史中。",
  promoteWithoutEvidence: "无证据发布（我确认）",
  noExperiments: "还没有灰度实验。",
  share: (share: string) => `候选版本流量 ${share}`,
  primaryMetric: (metric: string) =>
    `主要指标：${metric === "bad_turn_rate" ? "差评轮次率" : "错误率"}（越低越好）`,
  arm: "版本",
  trials: "样本数",
  rate: "比率 [95% 区间]",
  effect: (difference: string, interval: string, p: string) =>
    `差值（候选 − 对照）：${difference}，随时有效置信区间 ${interval}，随时有效 p = ${p}`,
  sequenceChart: "差值与置信序列（每次评估）",
  interval: "置信序列",
  difference: "差值",
  guardrails: "护栏指标",
  guardrail: "护栏",
  state: "状态",
  guardrailName: (name: string) => guardrailNamesZh[name] ?? name,
  sampleRatio: (control: number, candidate: number, p: string) =>
    `流量比例检查（SRM）：对照 ${control}，候选 ${candidate}，p = ${p}`,
  guardrailState: (state: string) =>
    ({
      ok: "正常",
      degraded: "恶化",
      insufficient_data: "数据不足",
      disabled: "未启用",
      not_applicable: "不适用",
    })[state] ?? state,
  noLooksYet: "还没有评估数据。",
  timeline: "决策时间线",
};

type ConsoleWords = typeof zh;

const en: ConsoleWords = {
  signInTitle: "Operator sign-in",
  tokenLabel: "Admin token (ADMIN_TOKEN or one of ADMIN_TOKENS)",
  nameLabel: "Your name (recorded with your actions when the token is shared)",
  signIn: "Sign in",
  signInHint:
    "The token is only exchanged for a session and never kept in the browser; sign in again when it expires.",
  sessionExpired: "Your session has expired: please sign in again.",
  signedInAs: (name, until) => `Signed in as ${name} (until ${until})`,
  signOut: "Sign out",
  consoleTitle: "Operator console",
  tabReports: "Reports",
  tabVersions: "Prompt versions",
  tabExperiments: "Experiments",
  tabTriage: "Triage",
  analysisRunNow: "Run the analysis now",
  analysisRunning: "Analysis running…",
  progress: (p) =>
    p === null
      ? "Analysis running: preparing…"
      : p.phase === "stream"
        ? `Analysis running: reading feedback ${p.done}/${p.total}`
        : p.phase === "rewrite"
          ? `Analysis running: writing candidates for ${p.task}`
          : `Analysis running: replaying ${p.task} ${p.done}/${p.total}`,
  lastRun: (outcome, time, error) =>
    outcome === "failed"
      ? `The last run failed (${time}): ${error ?? ""}`
      : outcome === "skipped"
        ? `Last run (${time}): no new feedback, the previous report stands`
        : `Last run finished ${time}`,
  noRunYet: "No analysis has run in this process yet.",
  noReports: "No reports yet. Run the analysis to make the first.",
  columnReport: "Report",
  columnDecisions: "Decision per task",
  columnOpen: "Full report",
  trigger: (trigger) => ({ api: "manual", schedule: "scheduled", cli: "CLI" })[trigger] ?? trigger,
  draftProposed: (id) => `draft ${id} proposed`,
  noChange: "no change",
  openHtml: "Open the HTML report",
  reportOf: (time) => `Report of ${time}`,
  reportCounts: (interactions, events) => `${interactions} interactions, ${events} feedback events`,
  recommendation: "Decision",
  openDraft: (id) => `Open draft ${id}`,
  triggerLabel: "Trigger",
  patterns: "Error patterns",
  pattern: "Pattern",
  support: "Wrong/seen",
  errorRate: "Error rate",
  lift: "Lift",
  notReplayed: "not replayed (cannot be recommended)",
  replayPassed: "replay passed",
  replayFailed: "replay failed",
  version: "Version",
  status: "Status",
  source: "Source",
  parent: "Parent",
  fewShotCount: "Examples",
  created: "Created",
  statusName: (status) =>
    ({
      active: "Active",
      canary: "Canary",
      pending_retirement: "Pending retirement",
      retired: "Retired",
      draft: "Draft",
    })[status] ?? status,
  labelsNow: "Labels now",
  classLabels: "Class labels",
  params: "Parameters",
  retrieval: "Retrieval",
  changelog: "Changelog",
  contentHash: "Content hash",
  systemPrompt: "System prompt",
  fewShot: (n) => `Few-shot examples (${n})`,
  labelHistory: "Label history",
  when: "When",
  label: "Label",
  move: "Move",
  actor: "Actor",
  reason: "Reason",
  compare: "Compare",
  compareWith: "Compare with:",
  showDiff: "Side by side",
  sameBehaviour: "Both versions behave the same (only prose differs).",
  removedLine: "removed:",
  addedLine: "added:",
  otherChanges: "Other changed fields",
  field: "Field",
  actions: "Actions",
  actionName: (action) =>
    ({ "start-canary": "Start canary", promote: "Promote", rollback: "Roll back", retire: "Retire" })[
      action
    ] ?? action,
  reasonFor: (action) => `Reason to ${action.toLowerCase()}:`,
  confirm: "Confirm",
  noEvidence:
    "Too little evidence: this version has no experiment, or too few labelled answers. Promote it without " +
    "evidence? This is recorded in the label history.",
  promoteWithoutEvidence: "Promote without evidence (I confirm)",
  noExperiments: "No experiments yet.",
  share: (share) => `candidate traffic ${share}`,
  primaryMetric: (metric) =>
    `Primary metric: ${metric === "bad_turn_rate" ? "bad-turn rate" : "error rate"} (lower is better)`,
  arm: "Version",
  trials: "Samples",
  rate: "Rate [95% interval]",
  effect: (difference, interval, p) =>
    `Difference (candidate − control): ${difference}, always-valid interval ${interval}, always-valid p = ${p}`,
  sequenceChart: "Difference and confidence sequence (each look)",
  interval: "Confidence sequence",
  difference: "Difference",
  guardrails: "Guardrails",
  guardrail: "Guardrail",
  state: "State",
  guardrailName: (name) =>
    ({
      errorRate: "Error rate",
      exitRate: "Exit rate",
      negativeFeedbackRate: "Negative feedback rate",
      engineErrorRate: "Engine error rate",
      slowRequestRate: "Slow request rate",
      badTurnRate: "Bad-turn rate",
      labelShift: "Label shift",
    })[name] ?? name,
  sampleRatio: (control, candidate, p) =>
    `Sample-ratio check (SRM): control ${control}, candidate ${candidate}, p = ${p}`,
  guardrailState: (state) =>
    ({
      ok: "OK",
      degraded: "Degraded",
      insufficient_data: "Not enough data",
      disabled: "Off",
      not_applicable: "Not applicable",
    })[state] ?? state,
  noLooksYet: "No looks yet.",
  timeline: "Decision timeline",
};

export function useConsoleWords(): ConsoleWords {
  return useI18n().locale === "zh" ? zh : en;
}
