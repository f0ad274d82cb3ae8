import path from "node:path";
import fs from "node:fs";
import SQLite from "better-sqlite3";
import { beforeAll, describe, expect, it } from "vitest";
import { FakeLlmBackend } from "../../src/engine/fake-llm-backend.js";
import { databaseFileName } from "../../src/storage/sqlite/open-sqlite-database.js";
import { cli, requireBuiltCli } from "../support/run-cli.js";
import { makeTempDir, startTestApp } from "../support/test-app.js";

beforeAll(requireBuiltCli);

const dwellTimes = (file: string) => {
  const sqlite = new SQLite(file, { readonly: true });
  try {
    const rows = sqlite.prepare("select payload from feedback_events where type = 'dwell'").all() as {
      payload: string;
    }[];
    return new Set(rows.map((row) => (JSON.parse(row.payload) as { ms: number }).ms));
  } finally {
    sqlite.close();
  }
};

/** Issue 17, storage §3: `promptloop backup` under traffic, then `restore`, loses nothing acknowledged before it. */
describe("backup and restore", () => {
  it("round-trips a database taken while feedback streams in", async () => {
    const dataDir = await makeTempDir();
    const backupFile = path.join(await makeTempDir(), "backup.sqlite");
    let app = await startTestApp({ DATA_DIR: dataDir }, { backend: new FakeLlmBackend() });
    // Feedback spread over many answers: one interaction takes only so many events of a type (feedback-limits.ts).
    const answers: Array<{ interactionId: string; feedbackToken: string }> = [];
    for (let i = 0; i < 300; i++) {
      const answer = await app.server.inject({
        method: "POST",
        url: "/api/sentiment",
        payload: { text: "好" },
      });
      const { interactionId, feedbackToken } = answer.json<{
        interactionId: string;
        feedbackToken: string;
      }>();
      answers.push({ interactionId, feedbackToken });
    }
    const answerFor = (ms: number) => answers[ms % answers.length]!;
    const acknowledged: { ms: number; at: number }[] = [];
    let next = 0;
    let stop = false;
    const client = async () => {
      while (!stop) {
        const ms = next++;
        const response = await app.server.inject({
          method: "POST",
          url: "/api/feedback",
          payload: { ...answerFor(ms), type: "dwell", ms },
        });
        if (response.statusCode === 202) acknowledged.push({ ms, at: Date.now() });
        await new Promise((resolve) => setImmediate(resolve));
      }
    };
    const clients = [client(), client(), client()];
    // Enough acknowledged events before the backup starts, however loaded the machine is.
    await new Promise((resolve) => setTimeout(resolve, 800));
    while (acknowledged.length <= 25) await new Promise((resolve) => setTimeout(resolve, 50));
    const backupStartedAt = Date.now();
    const backup = await cli(["backup", backupFile, "--json", "--data-dir", dataDir]);
    await new Promise((resolve) => setTimeout(resolve, 300));
    stop = true;
    await Promise.all(clients);
    expect(backup.code, backup.stderr).toBe(0);
    expect(JSON.parse(backup.stdout)).toMatchObject({ file: backupFile, bytes: expect.any(Number) });

    const inBackup = dwellTimes(backupFile);
    const before = acknowledged.filter((event) => event.at < backupStartedAt);
    expect(before.length).toBeGreaterThan(20);
    expect(before.filter((event) => !inBackup.has(event.ms))).toEqual([]);
    // Writes went on during the backup: the live database has more than the backup.
    expect(acknowledged.length).toBeGreaterThan(inBackup.size);

    const refused = await cli(["restore", backupFile, "--data-dir", dataDir]);
    expect(refused.code).not.toBe(0);
    expect(refused.stderr).toMatch(/in use: stop the service/);
    await app.close();

    const restored = await cli(["restore", backupFile, "--json", "--data-dir", dataDir]);
    expect(restored.code, restored.stderr).toBe(0);
    const { previousKeptAs } = JSON.parse(restored.stdout) as { previousKeptAs: string };
    expect(fs.existsSync(previousKeptAs)).toBe(true);
    expect(dwellTimes(path.join(dataDir, databaseFileName))).toEqual(inBackup);
    const doctor = await cli(["doctor", "--json", "--data-dir", dataDir]);
    expect(doctor.code, doctor.stderr).toBe(0);
    expect(JSON.parse(doctor.stdout)).toMatchObject({ healthy: true });

    app = await startTestApp({ DATA_DIR: dataDir }, { backend: new FakeLlmBackend() });
    try {
      const health = await app.server.inject({ method: "GET", url: "/api/health" });
      expect(health.json()).toMatchObject({ status: "ok" });
      const again = await app.server.inject({
        method: "POST",
        url: "/api/feedback",
        payload: { ...answerFor(1), type: "dwell", ms: 1_000_000 },
      });
      expect(again.statusCode).toBe(202);
    } finally {
      await app.close();
    }
  }, 120_000);

  it("doctor finds damage with integrity_check and exits with the storage code", async () => {
    const dataDir = await makeTempDir();
    const app = await startTestApp({ DATA_DIR: dataDir }, { backend: new FakeLlmBackend() });
    for (let i = 0; i < 300; i++) {
      await app.server.inject({
        method: "POST",
        url: "/api/sentiment",
        payload: { text: `评论 ${i} `.repeat(20) },
      });
    }
    await app.close();
    const file = path.join(dataDir, databaseFileName);
    const fd = fs.openSync(file, "r+");
    fs.writeSync(fd, Buffer.alloc(8192, 0x5a), 0, 8192, Math.floor(fs.statSync(file).size / 2 / 4096) * 4096);
    fs.closeSync(fd);
    const doctor = await cli(["doctor", "--data-dir", dataDir]);
    expect(doctor.code).toBe(4);
    expect(doctor.stdout).toMatch(/FAIL integrity_check: .*promptloop restore/s);
  }, 60_000);
});
