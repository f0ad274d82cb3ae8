import type { Token } from "node-llama-cpp";
import { describe, expect, it } from "vitest";
import { isAppError } from "../../errors.js";
import { SequencePool, type PooledSequence } from "./sequence-pool.js";

/** A fake sequence: only the tokens its KV cache would hold. */
const sequence = (name: string, ...tokens: number[]) => ({ name, contextTokens: tokens as Token[] });
const tokens = (...ids: number[]) => ids as Token[];

describe("SequencePool", () => {
  it.each([
    { request: [1, 2, 3, 9], expected: "abc" },
    { request: [1, 2, 8], expected: "ab" },
    { request: [7], expected: "empty" },
    { request: [5, 6], expected: "empty" },
  ])("hands $request to the free sequence holding its longest start ($expected)", ({ request, expected }) => {
    const pool = new SequencePool([sequence("empty"), sequence("ab", 1, 2, 7), sequence("abc", 1, 2, 3, 4)]);
    return expect(pool.acquire(tokens(...request))).resolves.toMatchObject({ name: expected });
  });

  it("queues requests first come, first served, and hands a released sequence to the oldest", async () => {
    const only = sequence("only", 1);
    const pool = new SequencePool([only]);
    const held = await pool.acquire(tokens(1));
    const order: string[] = [];
    const first = pool.acquire(tokens(2)).then(() => order.push("first"));
    const second = pool.acquire(tokens(1)).then(() => order.push("second"));
    expect(pool.queued).toBe(2);
    pool.release(held);
    await first;
    pool.release(only);
    await second;
    expect(order).toEqual(["first", "second"]);
    expect(pool.idle).toBe(0);
  });

  it("drops a waiting request whose signal aborts, with CLIENT_CLOSED", async () => {
    const pool = new SequencePool<PooledSequence>([sequence("only")]);
    const held = await pool.acquire(tokens());
    const controller = new AbortController();
    const waiting = pool.acquire(tokens(), controller.signal);
    controller.abort();
    const error = await waiting.catch((e: unknown) => e);
    expect(isAppError(error) && error.code).toBe("CLIENT_CLOSED");
    expect(pool.queued).toBe(0);
    pool.release(held);
    expect(pool.idle).toBe(1);
  });

  it("refuses at once when the signal has already aborted", async () => {
    const pool = new SequencePool([sequence("only")]);
    const error = await pool.acquire(tokens(), AbortSignal.abort()).catch((e: unknown) => e);
    expect(isAppError(error) && error.code).toBe("CLIENT_CLOSED");
    expect(pool.idle).toBe(1);
  });
});
