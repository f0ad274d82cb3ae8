import type { TestProject } from "vitest/node";
import { findPostgresBin, startThrowawayPostgresCluster } from "./throwaway-postgres-cluster.js";

declare module "vitest" {
  export interface ProvidedContext {
    /** A superuser URL of the PostgreSQL server the PG suites use, or null (then `postgresSkipReason` says why). */
    postgresUrl: string | null;
    postgresSkipReason: string;
  }
}

/**
 * Finds PostgreSQL for the test run: DATABASE_URL when given (CI starts a throwaway cluster and exports it),
 * otherwise a throwaway cluster of its own when PostgreSQL is installed. Without either, the PG suites are skipped
 * and this says so once, loudly.
 */
export default async function setup(project: TestProject): Promise<(() => Promise<void>) | undefined> {
  const given = process.env.DATABASE_URL;
  // The SQLite suites must stay on SQLite whatever the shell exports.
  delete process.env.DATABASE_URL;
  if (given) {
    project.provide("postgresUrl", given);
    project.provide("postgresSkipReason", "");
    return undefined;
  }
  if (findPostgresBin() === null) {
    const reason =
      "PostgreSQL is not installed (no /usr/lib/postgresql/*/bin/initdb) and DATABASE_URL is unset";
    process.stderr.write(`\n[postgres] SKIPPING the PostgreSQL suites: ${reason}\n\n`);
    project.provide("postgresUrl", null);
    project.provide("postgresSkipReason", reason);
    return undefined;
  }
  const cluster = await startThrowawayPostgresCluster();
  project.provide("postgresUrl", cluster.url);
  project.provide("postgresSkipReason", "");
  return () => cluster.stop();
}
