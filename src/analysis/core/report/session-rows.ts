import type { TaskReport } from "./suggestion-report.js";

/** A session hash as the report shows it ("(no session)" for the items without one). */
const sessionName = (hash: string) => (hash === "" ? "(no session)" : hash);

/**
 * The report's "会话 Sessions" section as plain text: how many sessions the current version's labels came from, which
 * sessions reached their share (FEEDBACK_MAX_SESSION_SHARE) and which patterns were dropped for leaning on too few
 * sessions. Renderers escape it.
 */
export function sessionSection(task: TaskReport): { sentence: string; header: string[]; rows: string[][] } {
  const { sessions } = task;
  const share = `${Math.round(sessions.maxShare * 1000) / 10}%`;
  if (task.kind === "generator") {
    return {
      sentence:
        `有评分的对话轮次来自 ${sessions.distinct} 个会话（其中 ${sessions.errorSessions} 个有差评轮次）。 ` +
        `Scored turns of the current version came from ${sessions.distinct} session(s), ${sessions.errorSessions} of ` +
        "them with bad turns.",
      header: ["what", "which", "why"],
      rows: [],
    };
  }
  const sentence =
    `标注来自 ${sessions.distinct} 个会话（其中 ${sessions.errorSessions} 个指出错误），每个会话最多计入 ${share}。 ` +
    `Labels of the current version came from ${sessions.distinct} session(s), ${sessions.errorSessions} of them ` +
    `reporting mistakes; each counts for at most ${share}` +
    (sessions.capped.length > 0 ? `; ${sessions.capped.length} session(s) reached that share.` : ".");
  const rows = [
    ...sessions.capped.map((capped) => [
      "capped session",
      sessionName(capped.sessionHash),
      `${capped.counted} of ${capped.offered} labels counted`,
    ]),
    ...sessions.dominatedPatterns.map((pattern) => [
      "pattern dropped",
      pattern.title,
      `support ${pattern.support}, ${pattern.cappedSupport} with each session capped; ` +
        `${pattern.topSessionSupport} from ${sessionName(pattern.topSession)}`,
    ]),
  ];
  return { sentence, header: ["what", "which", "why"], rows };
}
