import { describe, expect, it } from "vitest";
import { fnv1a32, hashToUnitInterval, murmurFinalize32 } from "./unit-interval-hash.js";

// Published FNV-1a test vectors, MurmurHash3's fmix32(1), and version-1 buckets computed independently in Python.
describe("unit-interval hash", () => {
  it.each([
    ["", 0x811c9dc5],
    ["a", 0xe40c292c],
    ["foobar", 0xbf9cf968],
    ["正面", 0xa60de7f3],
  ])("fnv1a32(%j) = %d", (text, expected) => {
    expect(fnv1a32(text)).toBe(expected);
  });

  it("finalises like MurmurHash3", () => {
    expect(murmurFinalize32(0)).toBe(0);
    expect(murmurFinalize32(1)).toBe(0x514e28b7);
  });

  it.each([
    ["a", 0.10352621669881046],
    ["1:exp-1:user-1", 0.23275621817447245],
  ])("version 1 maps %j to %d, and that mapping is frozen", (key, expected) => {
    expect(hashToUnitInterval(key, 1)).toBe(expected);
  });
});
