import os from "node:os";
import type { MemorySettings } from "./memory/memory-settings.js";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { z } from "zod";
import {
  modelPrecisionSetting,
  modelUriForPrecision,
  type ModelPrecision,
} from "./engine/local/published-model.js";
import { describeConfigIssue } from "./describe-config-issue.js";
import { AppError } from "./errors.js";
import { parseOperatorTokens, sharedTokenOperator, type OperatorToken } from "./operators/operator-tokens.js";
import { triggerRules, type TriggerRule } from "./analysis/core/trigger-stats.js";
import type { RolloutPolicy } from "./rollout/core/rollout-policy.js";
import { rolloutPolicyFromSettings } from "./rollout/core/rollout-policy-setting.js";
import { rolloutPresetNames } from "./rollout/core/rollout-presets.js";
import type { TurnSettings } from "./tasks/turn/classify-turn.js";
import { moderationPolicies } from "./tasks/turn/moderation-policy.js";

/** The package's folder (src/ and dist/ both sit one level below it). */
export const packageRoot = fileURLToPath(new URL("..", import.meta.url)).replace(/\/$/, "");

/** The prompt files shipped with the package. */
export const bundledPromptsDir = fileURLToPath(new URL("../prompts/", import.meta.url));

const integer = (min: number, max: number) => z.coerce.number().int().min(min).max(max);

/**
 * Every setting, parsed once at start from (explicit overrides > environment > default).
 * The README's configuration table documents the same fields.
 */
export const configSchema = z.object({
  /** A local .gguf path or an `hf:` URI; when unset, MODEL_PRECISION picks the published file. */
  MODEL_PATH: z.string().min(1).optional(),
  /** Which published Qwen1.5-0.5B-Chat file to use when MODEL_PATH is unset (engine/local/published-model.ts). */
  MODEL_PRECISION: modelPrecisionSetting,
  /** Where `hf:` models are downloaded to and resolved from. */
  MODELS_DIR: z.string().min(1).default("./models"),
  /**
   * An OpenAI-compatible model server (llama-server, vLLM, Ollama) that replaces the embedded engine, e.g.
   * `http://127.0.0.1:8081` or `http://ollama:11434/v1`. MODEL_PATH, THREADS, CONTEXT_SIZE and SEQUENCES then
   * don't apply: the server has its own.
   */
  LLM_BASE_URL: z.url({ protocol: /^https?$/, error: "LLM_BASE_URL must be an http(s) URL" }).optional(),
  /** Sent to LLM_BASE_URL as `Authorization: Bearer …`; never logged. */
  LLM_API_KEY: z.string().min(1).optional(),
  /** The model name sent to LLM_BASE_URL; default: llama-server's own, or the first one `/v1/models` lists. */
  LLM_MODEL: z.string().min(1).optional(),
  /** Longest wait for the model server's answer (or a stream's next chunk) before ENGINE_TIMEOUT. */
  LLM_TIMEOUT_MS: integer(100, 600_000).default(30_000),
  HOST: z.string().min(1).default("127.0.0.1"),
  PORT: integer(0, 65_535).default(8080),
  /**
   * Which proxies to believe about the client's address (X-Forwarded-For), for the rate limit and the logs: empty
   * (default) trusts none, `true` trusts every proxy, otherwise a comma-separated list of proxy addresses or CIDR
   * ranges (e.g. `127.0.0.1,10.0.0.0/8`).
   */
  TRUST_PROXY: z.string().default(""),
  /**
   * Host names the server answers to (DNS-rebinding defence): comma-separated, `*.example.com` for subdomains, `*`
   * for any. Empty: HOST (when it is a name) and localhost. IP addresses are always accepted.
   */
  ALLOWED_HOSTS: z.string().default(""),
  /** Log each request's client address (personal data, so off by default). */
  LOG_CLIENT_ADDRESS: z
    .enum(["true", "false", "1", "0"])
    .default("false")
    .transform((value) => value === "true" || value === "1"),
  /** Holds the SQLite database, the hashing salt and the analysis reports. */
  DATA_DIR: z.string().min(1).default("./data"),
  /**
   * `postgres://user:password@host:port/database` stores everything in PostgreSQL instead of DATA_DIR's SQLite file
   * (the salt and reports stay in DATA_DIR). Empty keeps SQLite.
   */
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//i, "DATABASE_URL must start with postgres:// or postgresql://")
    .optional(),
  /**
   * Below this much free space on DATA_DIR's disk (SQLite), storage counts as not writable: /api/health is degraded and
   * model routes answer 503 before spending the model, while feedback keeps being stored as long as it fits.
   */
  STORAGE_MIN_FREE_MB: integer(0, 1_000_000).default(64),
  /**
   * Raw interactions and their feedback older than this many days are deleted every hour (on one replica), except
   * those of an open experiment; per-day totals and the analysis reports stay. 0 keeps everything.
   */
  RETENTION_DAYS: integer(0, 36_500).default(180),
  /**
   * Personal memory (preferences users state in chat, kept per session and shown to the chat model): the default for
   * users who never flipped their own switch. Off = opt-in.
   */
  MEMORY: z.enum(["off", "on"]).default("off"),
  /** Most entries kept per user; the oldest go first. */
  MEMORY_MAX_ENTRIES: integer(1, 200).default(20),
  /** An entry is forgotten this many days after it was stated. */
  MEMORY_TTL_DAYS: integer(1, 3650).default(180),
  /** Most tokens of memory added to a chat system prompt. */
  MEMORY_MAX_TOKENS: integer(16, 2000).default(160),
  /** Admin routes are refused while unset; short tokens are rejected because they are guessable. */
  ADMIN_TOKEN: z
    .string()
    .min(
      16,
      "too short: use at least 16 random characters (e.g. `openssl rand -hex 24`), or leave it empty to turn the admin routes off",
    )
    // An Authorization header can't carry line breaks, and clients trim spaces around its value or refuse non-ASCII.
    .regex(
      /^[\x21-\x7e]*$/,
      "may only hold visible ASCII characters (no spaces, line breaks or accents): clients can't send others in an Authorization header",
    )
    .optional()
    .or(z.literal("").transform(() => undefined)),
  /**
   * Named operator tokens, `alice:token1,bob:token2`: each opens the admin API like ADMIN_TOKEN, and what is done with
   * it is recorded under that name. Checked entry by entry so the error names every bad one.
   */
  ADMIN_TOKENS: z
    .string()
    .default("")
    .transform((value, context) => {
      const { tokens, problems } = parseOperatorTokens(value);
      for (const problem of problems) context.addIssue({ code: "custom", message: problem });
      return tokens;
    }),
  /**
   * Keys for the OpenAI-compatible API (/v1), comma-separated: with any set, /v1 requests need
   * `Authorization: Bearer <key>`, checked before anything runs. Empty: /v1 is as open as /api/chat.
   */
  API_KEYS: z
    .string()
    .default("")
    .refine(
      (value) => apiKeysOf(value).every((key) => key.length >= 16),
      "every API key must be at least 16 characters",
    ),
  /** When set, GET /metrics needs `Authorization: Bearer <METRICS_TOKEN>`; unset: /metrics is open (keep it internal). */
  METRICS_TOKEN: z.string().min(16, "METRICS_TOKEN must be at least 16 characters").optional(),
  /** How long a console sign-in lasts; the session cookie expires then and the operator signs in again. */
  SESSION_TTL_HOURS: integer(1, 720).default(12),
  /** Never more threads than cores: extra threads only spin. */
  THREADS: integer(1, 256).default(Math.max(1, os.availableParallelism())),
  /** Tokens per sequence (prompt + reply). The KV cache (q8_0) costs about 51 KiB per token on the 0.5B model. */
  CONTEXT_SIZE: integer(256, 32_768).default(2048),
  /** Concurrent sequences sharing the one model. */
  SEQUENCES: integer(1, 16).default(4),
  /**
   * Tokens of each label lane (one per sequence, made when a multi-token label set is first scored): a classifier's
   * prompt is copied into lanes so that all its labels' later tokens decode in one batch. Costs SEQUENCES × this of
   * KV cache (about 100 MiB at 4 × 512 on the 0.5B model); longer prompts score their labels one after another.
   * Unset or 0 = no lanes: under load they were not measurably faster here (docs/performance.md).
   */
  LABEL_LANE_TOKENS: integer(0, 32_768).optional(),
  /**
   * LoRA adapter contexts the local engine keeps at most (docs/lora.md): each adapter version gets a context of its
   * own (another KV cache of SEQUENCES × CONTEXT_SIZE); one more is refused with ADAPTER_LIMIT_REACHED. 0 = none.
   */
  MAX_ADAPTERS: integer(0, 8).default(2),
  /**
   * Model requests that may wait for a busy sequence, per kind (classifications and replies queue apart); past it,
   * model routes answer 503 ENGINE_BUSY with Retry-After at once. Unset: 2 × the sequences (or server slots).
   */
  MAX_QUEUED_REQUESTS: integer(0, 10_000).optional(),
  /**
   * Longest wait for a free sequence before 503 ENGINE_BUSY. A request whose expected wait (from the measured time
   * calls hold a sequence) is longer is refused at once.
   */
  QUEUE_TIMEOUT_MS: integer(1, 600_000).default(10_000),
  /** Longest time one model request may take, its wait included, before 504 ENGINE_TIMEOUT. */
  MODEL_DEADLINE_MS: integer(100, 3_600_000).default(120_000),
  /** Longest time a client may take to send a whole request (headers and body) before the connection is closed. */
  REQUEST_TIMEOUT_MS: integer(1_000, 600_000).default(30_000),
  /** On SIGTERM/SIGINT: in-flight requests and streams get this long to finish, then connections are closed. */
  SHUTDOWN_TIMEOUT_MS: integer(0, 600_000).default(10_000),
  MAX_REPLY_TOKENS: integer(1, 4096).default(256),
  MAX_INPUT_CHARS: integer(1, 100_000).default(4000),
  /**
   * Model-backed requests (sentiment, chat, analyze) per client address and minute; 0 turns the limit off. Feedback,
   * health, the web app and admin routes are not limited. Behind a reverse proxy every client shares its address.
   */
  RATE_LIMIT_PER_MINUTE: integer(0, 1_000_000).default(120),
  /**
   * Feedback requests per client address, and per session, a minute (429 RATE_LIMITED beyond); a closing page's
   * beacons get a reserve of 30 more. 0 turns the limit off.
   */
  FEEDBACK_RATE_LIMIT_PER_MINUTE: integer(0, 1_000_000).default(120),
  /**
   * The largest share one session may have of a task version's labelled feedback in the analysis, of a mined
   * pattern's support, and of an arm's labels in a rollout; labels beyond it are not counted. 1 turns the cap off.
   */
  FEEDBACK_MAX_SESSION_SHARE: z.coerce.number().gt(0).max(1).default(0.1),
  /**
   * An automatic canary start (AUTO_START_CANARY) needs the mistakes behind the draft to have been reported by at
   * least this many distinct sessions; otherwise the draft waits for an operator.
   */
  AUTO_START_CANARY_MIN_SESSIONS: integer(1, 1_000_000).default(10),
  PROMPTS_DIR: z.string().min(1).default(bundledPromptsDir),
  LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
  /** Cron expression for the analysis job (server local time). Empty disables the schedule. */
  ANALYSIS_CRON: z.string().default("0 3 * * *"),
  /** The analysis drafts a new version only when the error rate (as ANALYSIS_TRIGGER compares it) is above this. */
  ANALYSIS_ERROR_RATE_THRESHOLD: z.coerce.number().gt(0).lt(1).default(0.15),
  /** Which error rate must clear the threshold: its lower Wilson 95% bound (default) or the observed rate. */
  ANALYSIS_TRIGGER: z.enum(triggerRules).default("lower-bound"),
  /** ... and the current version has at least this many labelled interactions. */
  ANALYSIS_MIN_LABELLED_SAMPLES: integer(1, 10_000_000).default(200),
  /** Interactions older than this many days are not analysed; 0 analyses the whole history. */
  ANALYSIS_WINDOW_DAYS: integer(0, 36_500).default(90),
  /** Share of the labelled history, by time, held out to replay candidates on (never mined or used to build them). */
  ANALYSIS_HOLDOUT_FRACTION: z.coerce.number().gt(0).lt(1).default(0.3),
  /** Replay cost bound: at most this many held-out items, and this many regression items, per version replayed. */
  ANALYSIS_REPLAY_MAX_HELD_OUT: integer(1, 100_000).default(300),
  ANALYSIS_REPLAY_MAX_REGRESSION: integer(0, 100_000).default(200),
  /** Replay cost bound for chat candidates: held-out user messages each version (current, every candidate) answers. */
  ANALYSIS_CHAT_REPLAY_ITEMS: integer(1, 10_000).default(40),
  /** A term needs at least this many labelled inputs to be reported as an error pattern. */
  ANALYSIS_MIN_PATTERN_SUPPORT: integer(2, 1_000_000).default(20),
  /** Also ask the served model to rewrite the instruction (OPRO/ProTeGi style); a 0.5B model is weak at it. */
  ANALYSIS_REWRITE: z
    .enum(["true", "false", "1", "0"])
    .default("false")
    .transform((value) => value === "true" || value === "1"),
  /** Cron expression (server local time) for evaluating running rollouts and retiring expired versions; `off` disables it. */
  ROLLOUT_CRON: z.string().min(1).default("*/15 * * * *"),
  /** Whether a candidate that passed the analysis's replay gate starts its canary on its own (manual starts always work). */
  AUTO_START_CANARY: z
    .enum(["true", "false", "1", "0"])
    .default("true")
    .transform((value) => value === "true" || value === "1"),
  /** The canary's share of units in the first stage; unset keeps the policy's (10%). Later steps must be larger. */
  ROLLOUT_CANARY_SHARE: z.coerce.number().gt(0).lt(1).optional(),
  /** The rollout policy's starting point (docs/rollout.md): balanced (default), strict or writeup. */
  ROLLOUT_PRESET: z.enum(rolloutPresetNames).default("balanced"),
  /** JSON overrides of the rollout preset (docs/rollout.md); validated at start, unknown keys refused. */
  ROLLOUT_POLICY: z.string().default("{}"),
  /**
   * Classifier tasks the all-in-one turn (/api/analyze, the chat page) runs on each input before the reply,
   * comma-separated, in display order; each must exist at start. They share one decode batch.
   */
  TURN_CLASSIFIERS: z
    .string()
    .default("sentiment,moderation")
    .transform((value) => [
      ...new Set(
        value
          .split(",")
          .map((task) => task.trim())
          .filter(Boolean),
      ),
    ])
    .pipe(z.array(z.string().regex(/^[a-z][a-z0-9_-]{0,63}$/, "task names are lower-case")).min(1)),
  /** The classifier task MODERATION_POLICY acts on; it must declare `flagLabels`. */
  MODERATION_TASK: z
    .string()
    .regex(/^[a-z][a-z0-9_-]{0,63}$/)
    .default("moderation"),
  /** off: shown only · flag: a flagged input's reply is withheld behind a notice · block: a polite refusal instead. */
  MODERATION_POLICY: z.enum(moderationPolicies).default("flag"),
});

export type RawConfig = z.input<typeof configSchema>;

/** LLM_BASE_URL and its companions: a remote model server instead of the embedded engine. */
export interface RemoteModelConfig {
  baseUrl: string;
  apiKey: string | undefined;
  model: string | undefined;
  timeoutMs: number;
}

export type { MemorySettings } from "./memory/memory-settings.js";

export interface Config {
  modelPath: string;
  /** Set when LLM_BASE_URL is: the model runs on that server, not in this process. */
  remoteModel: RemoteModelConfig | undefined;
  modelPrecision: ModelPrecision;
  modelsDir: string;
  host: string;
  /** Fastify's `trustProxy`. */
  trustProxy: boolean | string[];
  /** ALLOWED_HOSTS as written; see createHostAllowList. */
  allowedHosts: string;
  logClientAddress: boolean;
  port: number;
  dataDir: string;
  /** DATABASE_URL; empty = SQLite in DATA_DIR. */
  databaseUrl: string;
  /** STORAGE_MIN_FREE_MB in bytes. */
  storageMinFreeBytes: number;
  /** RETENTION_DAYS; 0 = keep raw interactions forever. */
  retentionDays: number;
  /** MEMORY_* settings. */
  memory: MemorySettings;
  adminToken: string | undefined;
  /** ADMIN_TOKENS: named operators' tokens (ADMIN_TOKEN is the operator `admin`; see operatorTokensOf). */
  adminTokens: OperatorToken[];
  /** API_KEYS: what /v1 accepts as `Authorization: Bearer`; empty = no key needed. */
  apiKeys: string[];
  /** METRICS_TOKEN; undefined = /metrics is open. */
  metricsToken: string | undefined;
  /** SESSION_TTL_HOURS in milliseconds. */
  sessionTtlMs: number;
  threads: number;
  contextSize: number;
  sequences: number;
  /** LABEL_LANE_TOKENS; undefined = no lanes. */
  labelLaneTokens: number | undefined;
  /** MAX_ADAPTERS: LoRA adapter contexts the local engine keeps at most. */
  maxAdapters: number;
  /** Back-pressure and deadlines on the model and the HTTP server (MAX_QUEUED_REQUESTS, *_TIMEOUT_MS, …). */
  overload: OverloadConfig;
  maxReplyTokens: number;
  maxInputChars: number;
  /** 0: no limit. */
  rateLimitPerMinute: number;
  /** FEEDBACK_RATE_LIMIT_PER_MINUTE; 0: no limit. */
  feedbackRateLimitPerMinute: number;
  /** FEEDBACK_MAX_SESSION_SHARE. */
  maxSessionShare: number;
  /** AUTO_START_CANARY_MIN_SESSIONS. */
  autoStartMinSessions: number;
  promptsDir: string;
  logLevel: "fatal" | "error" | "warn" | "info" | "debug" | "trace" | "silent";
  analysisCron: string;
  /** The analysis job's thresholds and cost bounds (ANALYSIS_* variables). */
  analysis: AnalysisConfig;
  /** When rollouts are evaluated; `off` = only on demand (POST /api/admin/rollouts/evaluate, CLI). */
  rolloutCron: string;
  /** AUTO_START_CANARY: candidates from the analysis start their canary on their own. */
  autoStartCanary: boolean;
  /** The policy new experiments snapshot: ROLLOUT_PRESET with ROLLOUT_POLICY and ROLLOUT_CANARY_SHARE merged in. */
  rolloutPolicy: RolloutPolicy;
  /** The all-in-one turn: TURN_CLASSIFIERS, MODERATION_TASK, MODERATION_POLICY. */
  turn: TurnSettings;
}

/** How the service sheds load and ends: see the variables of the same names. */
export interface OverloadConfig {
  /** MAX_QUEUED_REQUESTS; undefined = 2 × the backend's sequences. */
  maxQueuedRequests: number | undefined;
  queueTimeoutMs: number;
  modelDeadlineMs: number;
  requestTimeoutMs: number;
  shutdownTimeoutMs: number;
}

/** Settings of the analysis job; see the ANALYSIS_* variables for their meaning. */
export interface AnalysisConfig {
  errorRateThreshold: number;
  trigger: TriggerRule;
  minLabelledSamples: number;
  windowDays: number;
  holdoutFraction: number;
  replayMaxHeldOut: number;
  replayMaxRegression: number;
  /** ANALYSIS_CHAT_REPLAY_ITEMS. */
  chatReplayItems: number;
  /** MAX_REPLY_TOKENS: chat replays stop where served replies stop. */
  maxReplyTokens: number;
  minPatternSupport: number;
  rewrite: boolean;
  /** FEEDBACK_MAX_SESSION_SHARE: one session's largest share of a version's labels and of a pattern's support. */
  maxSessionShare: number;
}

/** Parses and validates configuration; throws CONFIG_INVALID naming every bad variable. */
export function loadConfig(
  env: Record<string, string | undefined> = process.env,
  overrides: Partial<RawConfig> = {},
): Config {
  const merged: Record<string, unknown> = {};
  for (const key of Object.keys(configSchema.shape)) {
    const value = (overrides as Record<string, unknown>)[key] ?? env[key];
    if (value !== undefined && value !== "") merged[key] = value;
    // An empty ADMIN_TOKEN means "unset"; an empty ANALYSIS_CRON means "no schedule" (not the default).
    else if ((key === "ADMIN_TOKEN" || key === "ANALYSIS_CRON") && value === "") merged[key] = "";
  }
  const parsed = configSchema.safeParse(merged);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) =>
      describeConfigIssue(issue, merged[String(issue.path[0])]),
    );
    throw new AppError("CONFIG_INVALID", problems.join("\n"));
  }
  const c = parsed.data;
  const clash = c.ADMIN_TOKEN
    ? c.ADMIN_TOKENS.find((entry) => entry.name === sharedTokenOperator || entry.token === c.ADMIN_TOKEN)
    : undefined;
  if (clash) {
    throw new AppError(
      "CONFIG_INVALID",
      `ADMIN_TOKENS: ${clash.name} repeats ADMIN_TOKEN's operator name (${sharedTokenOperator}) or token`,
    );
  }
  return {
    modelPath: c.MODEL_PATH ?? modelUriForPrecision(c.MODEL_PRECISION),
    remoteModel: c.LLM_BASE_URL
      ? { baseUrl: c.LLM_BASE_URL, apiKey: c.LLM_API_KEY, model: c.LLM_MODEL, timeoutMs: c.LLM_TIMEOUT_MS }
      : undefined,
    modelPrecision: c.MODEL_PRECISION,
    modelsDir: path.resolve(c.MODELS_DIR),
    host: c.HOST,
    trustProxy: parseTrustProxy(c.TRUST_PROXY),
    allowedHosts: c.ALLOWED_HOSTS,
    logClientAddress: c.LOG_CLIENT_ADDRESS,
    port: c.PORT,
    dataDir: path.resolve(c.DATA_DIR),
    databaseUrl: c.DATABASE_URL ?? "",
    storageMinFreeBytes: c.STORAGE_MIN_FREE_MB * 1024 * 1024,
    retentionDays: c.RETENTION_DAYS,
    apiKeys: apiKeysOf(c.API_KEYS),
    memory: {
      defaultOn: c.MEMORY === "on",
      maxEntries: c.MEMORY_MAX_ENTRIES,
      ttlMs: c.MEMORY_TTL_DAYS * 86_400_000,
      maxTokens: c.MEMORY_MAX_TOKENS,
    },
    metricsToken: c.METRICS_TOKEN,
    adminToken: c.ADMIN_TOKEN,
    adminTokens: c.ADMIN_TOKENS,
    sessionTtlMs: c.SESSION_TTL_HOURS * 3_600_000,
    threads: Math.min(c.THREADS, Math.max(1, os.availableParallelism())),
    contextSize: c.CONTEXT_SIZE,
    sequences: c.SEQUENCES,
    labelLaneTokens: c.LABEL_LANE_TOKENS,
    maxAdapters: c.MAX_ADAPTERS,
    overload: {
      maxQueuedRequests: c.MAX_QUEUED_REQUESTS,
      queueTimeoutMs: c.QUEUE_TIMEOUT_MS,
      modelDeadlineMs: c.MODEL_DEADLINE_MS,
      requestTimeoutMs: c.REQUEST_TIMEOUT_MS,
      shutdownTimeoutMs: c.SHUTDOWN_TIMEOUT_MS,
    },
    maxReplyTokens: c.MAX_REPLY_TOKENS,
    maxInputChars: c.MAX_INPUT_CHARS,
    rateLimitPerMinute: c.RATE_LIMIT_PER_MINUTE,
    feedbackRateLimitPerMinute: c.FEEDBACK_RATE_LIMIT_PER_MINUTE,
    maxSessionShare: c.FEEDBACK_MAX_SESSION_SHARE,
    autoStartMinSessions: c.AUTO_START_CANARY_MIN_SESSIONS,
    promptsDir: path.resolve(c.PROMPTS_DIR),
    logLevel: c.LOG_LEVEL,
    analysisCron: c.ANALYSIS_CRON,
    analysis: {
      errorRateThreshold: c.ANALYSIS_ERROR_RATE_THRESHOLD,
      trigger: c.ANALYSIS_TRIGGER,
      minLabelledSamples: c.ANALYSIS_MIN_LABELLED_SAMPLES,
      windowDays: c.ANALYSIS_WINDOW_DAYS,
      holdoutFraction: c.ANALYSIS_HOLDOUT_FRACTION,
      replayMaxHeldOut: c.ANALYSIS_REPLAY_MAX_HELD_OUT,
      replayMaxRegression: c.ANALYSIS_REPLAY_MAX_REGRESSION,
      chatReplayItems: c.ANALYSIS_CHAT_REPLAY_ITEMS,
      maxReplyTokens: c.MAX_REPLY_TOKENS,
      minPatternSupport: c.ANALYSIS_MIN_PATTERN_SUPPORT,
      rewrite: c.ANALYSIS_REWRITE,
      maxSessionShare: c.FEEDBACK_MAX_SESSION_SHARE,
    },
    rolloutCron: c.ROLLOUT_CRON,
    autoStartCanary: c.AUTO_START_CANARY,
    rolloutPolicy: rolloutPolicyFromSettings(c.ROLLOUT_POLICY, c.ROLLOUT_CANARY_SHARE, c.ROLLOUT_PRESET),
    turn: {
      classifiers: c.TURN_CLASSIFIERS,
      moderationTask: c.MODERATION_TASK,
      moderationPolicy: c.MODERATION_POLICY,
    },
  };
}

/** Pure: API_KEYS as a list (comma-separated, blanks ignored). */
function apiKeysOf(value: string): string[] {
  return value
    .split(",")
    .map((key) => key.trim())
    .filter((key) => key !== "");
}

/** Pure: TRUST_PROXY as Fastify's `trustProxy` option. */
export function parseTrustProxy(value: string): boolean | string[] {
  const trimmed = value.trim();
  if (trimmed === "" || trimmed === "false") return false;
  if (trimmed === "true") return true;
  return trimmed
    .split(",")
    .map((entry) => entry.trim())
    .filter((entry) => entry !== "");
}
