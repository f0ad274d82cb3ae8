import { describe, expect, it } from "vitest";
import { createHostAllowList } from "./host-allow-list.js";

describe("createHostAllowList", () => {
  it.each([
    // setting, listen host, hostname, allowed
    ["", "127.0.0.1", "localhost", true],
    ["", "127.0.0.1", "app.localhost", true],
    ["", "127.0.0.1", "127.0.0.1", true],
    ["", "127.0.0.1", "[::1]", true],
    ["", "0.0.0.0", "192.168.1.20", true],
    ["", "127.0.0.1", "evil.example", false],
    ["", "127.0.0.1", "", false],
    ["", "promptloop.internal", "promptloop.internal", true],
    ["", "promptloop.internal", "PromptLoop.Internal.", true],
    ["promptloop.example.com", "127.0.0.1", "promptloop.example.com", true],
    ["promptloop.example.com", "127.0.0.1", "evil.example", false],
    ["*.example.com", "127.0.0.1", "a.example.com", true],
    ["*.example.com", "127.0.0.1", "example.com", false],
    ["*.example.com", "127.0.0.1", "aexample.com", false],
    ["*", "127.0.0.1", "evil.example", true],
  ])("ALLOWED_HOSTS=%j, HOST=%s: %s → %s", (setting, listen, hostname, allowed) => {
    expect(createHostAllowList(setting, listen).allows(hostname)).toBe(allowed);
  });

  it("lists only names the operator gave, never IPs, localhost or *", () => {
    const list = createHostAllowList("*, app.example.com", "127.0.0.1");
    expect(list.lists("app.example.com")).toBe(true);
    expect(list.lists("evil.example")).toBe(false);
    expect(list.lists("localhost")).toBe(false);
    expect(list.names).toEqual(["app.example.com"]);
  });
});
