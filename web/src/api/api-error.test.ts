import { describe, expect, it } from "vitest";
import { ApiError, requestOk } from "./api-error.js";

describe("requestOk", () => {
  it("returns a 2xx response as it is", async () => {
    const response = await requestOk(async () => Response.json({ ok: true }), "/api/tasks");
    expect(await response.json()).toEqual({ ok: true });
  });

  it("turns the server's error body into an ApiError with its code and status", async () => {
    const refused = requestOk(
      async () => Response.json({ error: { code: "ROLLOUT_CONFLICT", message: "ended" } }, { status: 409 }),
      "/api/admin/prompts/sentiment%40v2/promote",
    );
    await expect(refused).rejects.toMatchObject({ code: "ROLLOUT_CONFLICT", status: 409, message: "ended" });
  });

  it("reports a request that got no answer as NETWORK, but rethrows an abort", async () => {
    const offline = async () => {
      throw new TypeError("fetch failed");
    };
    await expect(requestOk(offline, "/api/tasks")).rejects.toEqual(
      new ApiError("NETWORK", "Could not reach the server", 0),
    );
    const abort = new AbortController();
    abort.abort();
    const aborted = async () => {
      throw new DOMException("aborted", "AbortError");
    };
    await expect(requestOk(aborted, "/api/tasks", { signal: abort.signal })).rejects.toMatchObject({
      name: "AbortError",
    });
  });
});
