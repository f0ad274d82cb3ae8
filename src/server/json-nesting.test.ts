import { expect, it } from "vitest";
import { jsonNestingExceeds } from "./json-nesting.js";

it.each([
  ['{"a": [1, {"b": [2]}]}', 4, false],
  ['{"a": [1, {"b": [2]}]}', 3, true],
  ["[".repeat(33), 32, true],
  ["[".repeat(32), 32, false],
  // Brackets inside strings, and escaped quotes inside strings, don't count.
  [`{"text": "${"[".repeat(100)}"}`, 2, false],
  [`{"text": "a \\" [[[[[[", "b": 1}`, 2, false],
  ["", 1, false],
])("%j with at most %i levels → exceeds: %s", (text, maxDepth, exceeds) => {
  expect(jsonNestingExceeds(text, maxDepth)).toBe(exceeds);
});
