import { diffLines } from "diff";

/** One row of a side-by-side diff: the left (older) line, the right (newer) line, and how they differ. */
export interface SideBySideRow {
  left: string | null;
  right: string | null;
  kind: "same" | "changed" | "removed" | "added";
}

const linesOf = (value: string) => value.replace(/\n$/, "").split("\n");

/**
 * Pairs two texts line by line for a two-column view: unchanged lines side by side, a removed block next to the
 * block that replaced it (row by row), and lone removals or additions against an empty cell.
 */
export function sideBySideRows(left: string, right: string): SideBySideRow[] {
  const rows: SideBySideRow[] = [];
  // A last line without its newline is still the same line.
  const withNewline = (text: string) => (text.endsWith("\n") ? text : `${text}\n`);
  const parts = diffLines(withNewline(left), withNewline(right));
  for (let index = 0; index < parts.length; index++) {
    const part = parts[index]!;
    if (!part.added && !part.removed) {
      for (const line of linesOf(part.value)) rows.push({ left: line, right: line, kind: "same" });
      continue;
    }
    const next = parts[index + 1];
    if (part.removed && next?.added) {
      const removed = linesOf(part.value);
      const added = linesOf(next.value);
      for (let line = 0; line < Math.max(removed.length, added.length); line++) {
        const l = removed[line] ?? null;
        const r = added[line] ?? null;
        rows.push({ left: l, right: r, kind: l === null ? "added" : r === null ? "removed" : "changed" });
      }
      index++;
      continue;
    }
    for (const line of linesOf(part.value)) {
      rows.push(
        part.removed
          ? { left: line, right: null, kind: "removed" }
          : { left: null, right: line, kind: "added" },
      );
    }
  }
  return rows;
}
