import { describe, expect, it } from "vitest";
import { startedLines } from "./started-lines.js";

describe("startedLines", () => {
  it("gives the chat, the dashboard and the docs URLs", () => {
    expect(startedLines({ host: "127.0.0.1", port: 8080, adminEnabled: true })).toEqual([
      "ready:",
      "  chat       http://127.0.0.1:8080/",
      "  dashboard  http://127.0.0.1:8080/#/dashboard (sign in with an admin token)",
      "  API docs   http://127.0.0.1:8080/docs",
    ]);
  });

  it("says how to turn the dashboard on when ADMIN_TOKEN is unset", () => {
    expect(startedLines({ host: "127.0.0.1", port: 8080, adminEnabled: false })[2]).toBe(
      "  dashboard  off: set ADMIN_TOKEN or ADMIN_TOKENS to turn it and the admin API on",
    );
  });

  it.each([
    ["0.0.0.0", "http://localhost:9000/", "ready (listening on all addresses, port 9000):"],
    ["::", "http://localhost:9000/", "ready (listening on all addresses, port 9000):"],
    ["::1", "http://[::1]:9000/", "ready:"],
    ["10.1.2.3", "http://10.1.2.3:9000/", "ready:"],
  ])("on HOST=%s links %s", (host, chat, first) => {
    const lines = startedLines({ host, port: 9000, adminEnabled: true });
    expect(lines[0]).toBe(first);
    expect(lines[1]).toBe(`  chat       ${chat}`);
  });
});
