import net from "node:net";
import path from "node:path";
import Database from "better-sqlite3";
import { afterEach, expect, it } from "vitest";
import { packageRoot } from "../../src/config.js";
import { databaseFileName } from "../../src/storage/sqlite/open-sqlite-database.js";
import { startReplica, type ReplicaProcess } from "../support/replica/replica-process.js";
import { makeTempDir } from "../support/test-app.js";

/**
 * Issue 17: on SIGTERM the real server process (createApp, the serve command's signal handling, a slow fake model)
 * stops accepting, finishes the stream in flight, acknowledges no feedback it loses, and exits within
 * SHUTDOWN_TIMEOUT_MS even while a slow client holds a connection open.
 */
let replica: ReplicaProcess | undefined;
afterEach(async () => {
  await replica?.kill("SIGKILL");
  replica = undefined;
});

const shutdownTimeoutMs = 1500;

async function start(dataDir: string) {
  return startReplica("shutdown", {
    DATA_DIR: dataDir,
    PROMPTS_DIR: path.join(packageRoot, "prompts"),
    ANALYSIS_CRON: "",
    ROLLOUT_CRON: "off",
    SHUTDOWN_TIMEOUT_MS: String(shutdownTimeoutMs),
    REQUEST_TIMEOUT_MS: "60000",
    FEEDBACK_RATE_LIMIT_PER_MINUTE: "0",
    REPLICA_MODEL_DELAY_MS: "40",
    // 12 tokens × 40 ms: the reply outlasts the signal by far less than the shutdown timeout.
    REPLICA_REPLY: "这是一个慢慢生成的回答。",
  });
}

/** A client that sends its headers and then one byte of a 1 kB body every 200 ms, never finishing. */
function slowClient(port: number): net.Socket {
  const socket = net.connect(port, "127.0.0.1");
  socket.on("error", () => {});
  socket.write(
    "POST /api/sentiment HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{",
  );
  const timer = setInterval(() => {
    if (!socket.destroyed) socket.write(" ");
  }, 200);
  socket.on("close", () => clearInterval(timer));
  return socket;
}

it("finishes the stream in flight and exits within SHUTDOWN_TIMEOUT_MS although a slow client holds a connection", async () => {
  replica = await start(await makeTempDir());
  const slow = slowClient(replica.port);
  const slowClosed = new Promise<void>((resolve) => slow.on("close", () => resolve()));
  const response = await fetch(replica.url("/api/chat"), {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ messages: [{ role: "user", content: "你好" }], stream: true }),
  });
  expect(response.status).toBe(200);
  const body = response.text();
  const exited = new Promise<number | null>((resolve) =>
    replica!.child.once("exit", (code) => resolve(code)),
  );
  const signalledAt = performance.now();
  replica.child.kill("SIGTERM");

  // The stream that was running when the signal came ends normally, with its `done` event.
  const events = await body;
  expect(events).toContain("event: done");
  expect(events).not.toContain("event: error");
  // New connections are refused once the signal is handled.
  await new Promise((resolve) => setTimeout(resolve, 200));
  const refused = await new Promise<string>((resolve) => {
    const probe = net.connect(replica!.port, "127.0.0.1");
    probe.once("connect", () => {
      probe.destroy();
      resolve("connected");
    });
    probe.once("error", (error: NodeJS.ErrnoException) => resolve(error.code ?? "error"));
  });
  expect(refused).toBe("ECONNREFUSED");

  expect(await exited).toBe(0);
  const exitMs = performance.now() - signalledAt;
  expect(exitMs).toBeGreaterThanOrEqual(shutdownTimeoutMs - 100);
  expect(exitMs).toBeLessThan(shutdownTimeoutMs + 4000);
  await slowClosed;
}, 120_000);

it("loses no acknowledged feedback when SIGTERM comes in the middle of a burst", async () => {
  const dataDir = await makeTempDir();
  replica = await start(dataDir);
  // Several users' answers, so that the per-interaction caps and per-session limits don't refuse the burst.
  const answers: { interactionId: string; sessionId: string; feedbackToken?: string }[] = [];
  for (let i = 0; i < 8; i++) {
    const sessionId = `burst-session-${i}`;
    const response = await fetch(replica.url("/api/sentiment"), {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ text: "还不错", sessionId }),
    });
    answers.push({
      ...((await response.json()) as { interactionId: string; feedbackToken?: string }),
      sessionId,
    });
  }
  const feedback = (i: number) => {
    const answer = answers[i % answers.length]!;
    return fetch(replica!.url("/api/feedback"), {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({
        interactionId: answer.interactionId,
        sessionId: answer.sessionId,
        type: "dwell",
        ms: 1000 + i,
        ...(answer.feedbackToken && { feedbackToken: answer.feedbackToken }),
      }),
    }).then(
      (r) => r.status,
      () => 0,
    );
  };
  const exited = new Promise<void>((resolve) => replica!.child.once("exit", () => resolve()));
  const statuses: Promise<number>[] = [];
  let sending = true;
  const burst = (async () => {
    for (let i = 0; sending; i++) {
      statuses.push(feedback(i));
      await new Promise((resolve) => setTimeout(resolve, 2));
    }
  })();
  await new Promise((resolve) => setTimeout(resolve, 1000));
  replica.child.kill("SIGTERM");
  await exited;
  sending = false;
  await burst;
  const settled = await Promise.all(statuses);
  const acknowledged = settled.filter((status) => status === 202).length;
  expect(acknowledged).toBeGreaterThanOrEqual(5);
  // Nothing else than an acknowledgement, a refusal while closing, or a closed connection.
  expect(settled.every((status) => [202, 503, 0].includes(status))).toBe(true);

  const db = new Database(path.join(dataDir, databaseFileName), { readonly: true });
  const { stored } = db.prepare("SELECT COUNT(*) AS stored FROM feedback_events").get() as { stored: number };
  db.close();
  expect(stored).toBeGreaterThanOrEqual(acknowledged);
}, 120_000);
