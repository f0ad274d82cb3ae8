import { onPostgres } from "../../../test/support/postgres/on-postgres.js";
import { openSqliteDatabase } from "../../storage/sqlite/open-sqlite-database.js";
import { createInMemoryPromptStore } from "./in-memory-prompt-store.js";
import { promptStoreContract } from "./prompt-store.contract.js";
import { createSqlPromptStore } from "./sql-prompt-store.js";

promptStoreContract("in-memory", async () => createInMemoryPromptStore());
promptStoreContract("sqlite", async () => createSqlPromptStore((await openSqliteDatabase(":memory:")).db));
onPostgres((open) => promptStoreContract("postgres", async () => createSqlPromptStore((await open()).db)));
