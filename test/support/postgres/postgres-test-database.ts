import { randomBytes } from "node:crypto";
import pg from "pg";
import { describe, inject } from "vitest";

/** The PG suites' server, or null when they are skipped. */
export function postgresServerUrl(): string | null {
  return inject("postgresUrl");
}

/** `describe` that runs on PostgreSQL, or is skipped with the reason in its name (never silently). */
export function describeOnPostgres(name: string, body: () => void): void {
  const url = postgresServerUrl();
  if (url === null) describe.skip(`${name} [skipped: ${inject("postgresSkipReason")}]`, body);
  else describe(name, body);
}

/** A fresh, empty database on the PG suites' server, and a way to drop it. */
export async function createPostgresTestDatabase(): Promise<{ url: string; drop: () => Promise<void> }> {
  const serverUrl = postgresServerUrl();
  if (serverUrl === null) throw new Error("PostgreSQL is not available to this test run");
  const name = `promptloop_test_${randomBytes(6).toString("hex")}`;
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  try {
    await admin.query(`create database ${name}`);
  } finally {
    await admin.end();
  }
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    async drop() {
      const client = new pg.Client({ connectionString: serverUrl });
      await client.connect();
      try {
        await client.query(`drop database if exists ${name} with (force)`);
      } finally {
        await client.end();
      }
    },
  };
}
