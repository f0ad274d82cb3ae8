import { describe, expect, it } from "vitest";
import { safeStorage } from "./safe-storage.js";
import { loadSessionId, randomId } from "./session-id.js";

const uuidV4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe("session id", () => {
  it("is created once and then reused from storage", () => {
    const storage = safeStorage(() => window.localStorage);
    let made = 0;
    const make = () => `id-${++made}`;
    expect(loadSessionId(storage, make)).toBe("id-1");
    expect(loadSessionId(storage, make)).toBe("id-1");
    expect(made).toBe(1);
  });

  it("still works when storage throws", () => {
    const broken = safeStorage(() => {
      throw new DOMException("denied", "SecurityError");
    });
    expect(loadSessionId(broken, () => "fresh")).toBe("fresh");
  });

  it("builds a v4 UUID from random bytes where randomUUID is missing (plain http)", () => {
    const id = randomId({
      getRandomValues: <T extends ArrayBufferView | null>(array: T) => {
        if (array instanceof Uint8Array) array.fill(0xff);
        return array;
      },
    });
    expect(id).toMatch(uuidV4);
    expect(id).toBe("ffffffff-ffff-4fff-bfff-ffffffffffff");
  });
});
