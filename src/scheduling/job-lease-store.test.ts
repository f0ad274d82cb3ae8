import { onPostgres } from "../../test/support/postgres/on-postgres.js";
import { openSqliteDatabase } from "../storage/sqlite/open-sqlite-database.js";
import { createInMemoryJobLeaseStore } from "./in-memory-job-lease-store.js";
import { jobLeaseStoreContract } from "./job-lease-store.contract.js";
import { createSqlJobLeaseStore } from "./sql-job-lease-store.js";

jobLeaseStoreContract("in-memory", async () => createInMemoryJobLeaseStore());
jobLeaseStoreContract("sqlite", async () =>
  createSqlJobLeaseStore((await openSqliteDatabase(":memory:")).db),
);
onPostgres((open) =>
  jobLeaseStoreContract("postgres", async () => createSqlJobLeaseStore((await open()).db)),
);
