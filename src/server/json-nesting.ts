/**
 * Whether a JSON text nests arrays or objects deeper than `maxDepth`, found by one linear scan that never builds
 * anything. V8's JSON.parse takes hundreds of milliseconds on a megabyte of `[`, blocking every other request; this
 * scan refuses such a body in a few milliseconds before parsing starts. Brackets inside strings don't count.
 */
export function jsonNestingExceeds(text: string, maxDepth: number): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (inString) {
      if (code === 0x5c)
        i++; // backslash: skip the escaped character
      else if (code === 0x22) inString = false;
    } else if (code === 0x22) inString = true;
    else if (code === 0x5b || code === 0x7b) {
      depth++;
      if (depth > maxDepth) return true;
    } else if (code === 0x5d || code === 0x7d) depth--;
  }
  return false;
}
