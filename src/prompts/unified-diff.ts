import { structuredPatch, type StructuredPatchHunk } from "diff";

/** Options of {@link unifiedDiff}. */
export interface UnifiedDiffOptions {
  /** Name of the old text on the `---` line. */
  fromLabel: string;
  /** Name of the new text on the `+++` line. */
  toLabel: string;
  /** Unchanged lines shown around each change (default 3, as `diff -u`). */
  context?: number;
}

/**
 * Above this many inserted plus deleted lines jsdiff gives up (Myers' diff costs about edits²), and the
 * texts are shown as replaced. Prompts change by tens of lines; this only bounds pathological 100 000-line input.
 */
const maximumEditLength = 1_000;

/**
 * The difference between two texts in unified format (`---`/`+++` header, `@@ -a,b +c,d @@` hunks), or "" when
 * they are equal. The hunks come from jsdiff (`structuredPatch`); this prints them as GNU `diff -u` does, which
 * jsdiff's own `formatPatch` does not quite (it writes `-1,1` where GNU writes `-1`, and quotes non-ASCII labels).
 * A last line without a line break differs from the same line with one, and is marked
 * `\ No newline at end of file`.
 */
export function unifiedDiff(oldText: string, newText: string, options: UnifiedDiffOptions): string {
  if (oldText === newText) return "";
  const context = options.context ?? 3;
  const hunks =
    structuredPatch("", "", oldText, newText, undefined, undefined, {
      context,
      maxEditLength: maximumEditLength,
    })?.hunks ?? replacedWhole(oldText, newText);
  const out = [`--- ${options.fromLabel}`, `+++ ${options.toLabel}`];
  for (const hunk of hunks) {
    out.push(`@@ -${range(hunk.oldStart, hunk.oldLines)} +${range(hunk.newStart, hunk.newLines)} @@`);
    out.push(...hunk.lines);
  }
  return `${out.join("\n")}\n`;
}

/** One hunk that removes every old line and adds every new one (each side diffed against nothing: linear). */
function replacedWhole(oldText: string, newText: string): StructuredPatchHunk[] {
  const removed = structuredPatch("", "", oldText, "").hunks[0];
  const added = structuredPatch("", "", "", newText).hunks[0];
  return [
    {
      oldStart: 1,
      oldLines: removed?.oldLines ?? 0,
      newStart: 1,
      newLines: added?.newLines ?? 0,
      lines: [...(removed?.lines ?? []), ...(added?.lines ?? [])],
    },
  ];
}

/** `diff -u` numbering: an empty range names the line before it, and a count of one is left out. */
function range(start: number, count: number): string {
  if (count === 0) return `${start - 1},0`;
  return count === 1 ? String(start) : `${start},${count}`;
}
