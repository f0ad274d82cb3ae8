import { useI18n } from "../i18n/locale-context.js";

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
};

export function useConsoleWords(): ConsoleWords {
  return useI18n().locale === "zh" ? zh : en;
}
