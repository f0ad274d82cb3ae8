import { onPostgres } from "../../../test/support/postgres/on-postgres.js";
import { openSqliteDatabase } from "../../storage/sqlite/open-sqlite-database.js";
import { createInMemorySessionRevocationStore } from "./in-memory-session-revocation-store.js";
import { sessionRevocationStoreContract } from "./session-revocation-store.contract.js";
import { createSqlSessionRevocationStore } from "./sql-session-revocation-store.js";

sessionRevocationStoreContract("in-memory", async () => createInMemorySessionRevocationStore());
sessionRevocationStoreContract("sqlite", async () =>
  createSqlSessionRevocationStore((await openSqliteDatabase(":memory:")).db),
);
onPostgres((open) =>
  sessionRevocationStoreContract("postgres", async () => createSqlSessionRevocationStore((await open()).db)),
);
