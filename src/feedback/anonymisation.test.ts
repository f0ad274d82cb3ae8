import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { createIdentityHasher, loadOrCreateSalt } from "./identity-hasher.js";
import { redactPersonalData } from "./redact-personal-data.js";

describe("identity hashing", () => {
  it("creates an owner-only salt once and reuses it", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "salt-"));
    const salt = loadOrCreateSalt(dir);
    expect(salt.length).toBe(32);
    expect(fs.statSync(path.join(dir, "identity-salt")).mode & 0o777).toBe(0o600);
    expect(loadOrCreateSalt(dir).equals(salt)).toBe(true);
  });

  it("is stable per salt, differs across salts, and never contains the id", () => {
    const a = createIdentityHasher(Buffer.alloc(32, 1));
    const b = createIdentityHasher(Buffer.alloc(32, 2));
    expect(a("user-42")).toBe(a("user-42"));
    expect(a("user-42")).not.toBe(a("user-43"));
    expect(a("user-42")).not.toBe(b("user-42"));
    expect(a("user-42")).toMatch(/^[0-9a-f]{32}$/);
  });
});

describe("redactPersonalData", () => {
  it.each([
    ["call 13812345678 now", "call [phone] now"],
    ["电话+86 138-1234-5678", "电话[phone]"],
    ["mail me: zhang.san@example.com", "mail me: [email]"],
    ["身份证 11010519491231002X", "身份证 [id-number]"],
    ["card 6222020200112233445", "card [number]"],
    ["房间 302，价格 399 元，2024 年", "房间 302，价格 399 元，2024 年"],
  ])("%s", (input, expected) => {
    expect(redactPersonalData(input)).toBe(expected);
  });
});
