import { onPostgres } from "../../../test/support/postgres/on-postgres.js";
import { openSqliteDatabase } from "../../storage/sqlite/open-sqlite-database.js";
import { createInMemoryMemoryStore } from "./in-memory-memory-store.js";
import { memoryStoreContract } from "./memory-store.contract.js";
import { createSqlMemoryStore } from "./sql-memory-store.js";

memoryStoreContract("in-memory", async () => createInMemoryMemoryStore());
memoryStoreContract("sqlite", async () => createSqlMemoryStore((await openSqliteDatabase(":memory:")).db));
onPostgres((open) => memoryStoreContract("postgres", async () => createSqlMemoryStore((await open()).db)));
