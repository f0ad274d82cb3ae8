import net from "node:net";
import pg from "pg";
import { afterAll, describe, expect, it, vi } from "vitest";
import { onPostgres } from "../../test/support/postgres/on-postgres.js";
import {
  postgresRateLimits as openPostgresRateLimits,
  type PostgresRateLimitOptions,
} from "./postgres-rate-limits.js";
import { rateLimitsContract } from "./rate-limits.contract.js";
import { consumeOne, memoryRateLimits, type RateLimits } from "./rate-limits.js";

/** Every shared RateLimits made here is closed at the end: each runs a sweep timer until then. */
const made: RateLimits[] = [];
const postgresRateLimits = (pool: pg.Pool, options?: PostgresRateLimitOptions) => {
  const limits = openPostgresRateLimits(pool, options);
  made.push(limits);
  return limits;
};
afterAll(() => {
  for (const limits of made) limits.close();
});

rateLimitsContract("memory", async () => memoryRateLimits());
onPostgres((open) => {
  rateLimitsContract("postgres", async () =>
    postgresRateLimits((await open()).postgresPool!, {
      onFallback: (limit) => expect.fail(`counted ${limit} in memory with the database up`),
    }),
  );
  it("shares counts between two RateLimits on one database (two replicas)", async () => {
    const pool = (await open()).postgresPool!;
    const spec = { name: "model", points: 2, durationS: 60 };
    const [a, b] = [postgresRateLimits(pool).limiter(spec), postgresRateLimits(pool).limiter(spec)];
    const admitted = [];
    for (const limiter of [a, b, a]) admitted.push((await consumeOne(limiter, "10.0.0.1")).admitted);
    expect(admitted).toEqual([true, true, false]);
  });

  it("deletes counters expired over an hour ago, keeps the others, and stops sweeping once closed", async () => {
    const pool = (await open()).postgresPool!;
    const hour = 3_600_000;
    const insert = (key: string, expire: number) =>
      pool.query("insert into rate_limit_counters (key, points, expire) values ($1, 1, $2)", [key, expire]);
    const keys = async () =>
      (await pool.query<{ key: string }>("select key from rate_limit_counters order by key")).rows.map(
        (r) => r.key,
      );
    await insert("model:long-expired", Date.now() - 2 * hour);
    await insert("model:just-expired", Date.now() - 60_000);
    await insert("model:live", Date.now() + 60_000);
    const limits = openPostgresRateLimits(pool, { sweepEveryMs: 50 });
    await vi.waitFor(async () => expect(await keys()).toEqual(["model:just-expired", "model:live"]), {
      timeout: 5000,
    });
    limits.close();
    await new Promise((resolve) => setTimeout(resolve, 100));
    await insert("model:after-close", Date.now() - 2 * hour);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(await keys()).toEqual(["model:after-close", "model:just-expired", "model:live"]);
  });
});

/**
 * A database that fails or hangs must neither open the door nor fail the request: each replica then counts in memory.
 * Real pg pools: one against a closed port (refused at once), one against a server that accepts and never answers.
 */
describe("shared rate limits without their database", () => {
  const silent = net.createServer(() => {}).listen(0, "127.0.0.1");
  const pools: pg.Pool[] = [];
  const poolAt = (port: number) => {
    const pool = new pg.Pool({ host: "127.0.0.1", port, user: "nobody", connectionTimeoutMillis: 5000 });
    pool.on("error", () => {});
    pools.push(pool);
    return pool;
  };
  afterAll(async () => {
    for (const pool of pools) await pool.end().catch(() => {});
    silent.close();
  });

  it("counts in memory when the database refuses connections", async () => {
    const closed = await new Promise<number>((resolve) => {
      const probe = net.createServer().listen(0, "127.0.0.1", () => {
        const { port } = probe.address() as net.AddressInfo;
        probe.close(() => resolve(port));
      });
    });
    const fallbacks: string[] = [];
    const limits = postgresRateLimits(poolAt(closed), { onFallback: (limit) => fallbacks.push(limit) });
    const limiter = limits.limiter({ name: "model", points: 2, durationS: 60 });
    const admitted = [];
    for (let i = 0; i < 3; i++) admitted.push((await consumeOne(limiter, "10.0.0.1")).admitted);
    expect(admitted).toEqual([true, true, false]);
    expect(fallbacks).toEqual(["model", "model", "model"]);
  });

  it("counts in memory after the timeout when the database does not answer", async () => {
    await new Promise((resolve) => (silent.listening ? resolve(null) : silent.once("listening", resolve)));
    const { port } = silent.address() as net.AddressInfo;
    const limiter = postgresRateLimits(poolAt(port), { timeoutMs: 100 }).limiter({
      name: "admin-failures",
      points: 1,
      durationS: 60,
      blockDurationS: 900,
    });
    const started = Date.now();
    const outcomes = [await consumeOne(limiter, "10.0.0.1"), await consumeOne(limiter, "10.0.0.1")];
    expect(outcomes.map((o) => o.admitted)).toEqual([true, false]);
    // Blocked in memory too: the insurance blocks like the shared limiter.
    expect(outcomes[1]!.msBeforeNext).toBeGreaterThan(60_000);
    expect(Date.now() - started).toBeLessThan(4000);
  });
});
