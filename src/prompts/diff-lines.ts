/** One line of a line diff: kept (` `), removed from the old text (`-`) or added in the new one (`+`). */
export interface DiffLine {
  op: " " | "-" | "+";
  text: string;
}

/** Above this many old × new lines the quadratic table is skipped and the texts are shown as replaced. */
const maximumTableCells = 4_000_000;

/**
 * A minimal line diff from the longest common subsequence (the classic dynamic programme, as in `diff`).
 * Quadratic, which is fine for prompts (tens of lines); huge inputs degrade to "all removed, all added".
 * Among equally short diffs it prefers removals before additions, as `diff -u` prints them.
 */
export function diffLines(oldLines: readonly string[], newLines: readonly string[]): DiffLine[] {
  const n = oldLines.length;
  const m = newLines.length;
  if (n * m > maximumTableCells) {
    return [
      ...oldLines.map((text) => ({ op: "-" as const, text })),
      ...newLines.map((text) => ({ op: "+" as const, text })),
    ];
  }
  // common[i][j] = LCS length of oldLines[i..] and newLines[j..], in one flat array.
  const width = m + 1;
  const common = new Uint32Array((n + 1) * width);
  for (let i = n - 1; i >= 0; i--) {
    for (let j = m - 1; j >= 0; j--) {
      common[i * width + j] =
        oldLines[i] === newLines[j]
          ? common[(i + 1) * width + j + 1]! + 1
          : Math.max(common[(i + 1) * width + j]!, common[i * width + j + 1]!);
    }
  }
  const result: DiffLine[] = [];
  let i = 0;
  let j = 0;
  while (i < n && j < m) {
    if (oldLines[i] === newLines[j]) {
      result.push({ op: " ", text: oldLines[i]! });
      i++;
      j++;
    } else if (common[(i + 1) * width + j]! >= common[i * width + j + 1]!) {
      result.push({ op: "-", text: oldLines[i++]! });
    } else {
      result.push({ op: "+", text: newLines[j++]! });
    }
  }
  while (i < n) result.push({ op: "-", text: oldLines[i++]! });
  while (j < m) result.push({ op: "+", text: newLines[j++]! });
  return result;
}

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
 * The difference between two texts in unified format (`---`/`+++` header, `@@ -a,b +c,d @@` hunks), or "" when
 * they are equal. Output matches GNU `diff -u`, including `\ No newline at end of file` after a last line that
 * has no line break (such a line differs from the same line with one).
 */
export function unifiedDiff(oldText: string, newText: string, options: UnifiedDiffOptions): string {
  if (oldText === newText) return "";
  const context = options.context ?? 3;
  const lines = diffLines(splitLines(oldText), splitLines(newText));
  const changed = lines.flatMap((line, index) => (line.op === " " ? [] : [index]));
  // Group changes whose context windows touch into one hunk.
  const hunks: Array<{ start: number; end: number }> = [];
  for (const index of changed) {
    const start = Math.max(0, index - context);
    const end = Math.min(lines.length, index + context + 1);
    const last = hunks[hunks.length - 1];
    if (last && start <= last.end) last.end = end;
    else hunks.push({ start, end });
  }
  const out = [`--- ${options.fromLabel}`, `+++ ${options.toLabel}`];
  for (const hunk of hunks) {
    const before = lines.slice(0, hunk.start);
    const body = lines.slice(hunk.start, hunk.end);
    const oldStart = before.filter((line) => line.op !== "+").length;
    const newStart = before.filter((line) => line.op !== "-").length;
    const oldCount = body.filter((line) => line.op !== "+").length;
    const newCount = body.filter((line) => line.op !== "-").length;
    out.push(`@@ -${range(oldStart, oldCount)} +${range(newStart, newCount)} @@`);
    for (const line of body) {
      if (line.text.endsWith("\n")) out.push(`${line.op}${line.text.slice(0, -1)}`);
      else out.push(`${line.op}${line.text}`, "\\ No newline at end of file");
    }
  }
  return `${out.join("\n")}\n`;
}

/** Lines with their line break kept, so a last line without one compares unequal to the same line with one. */
function splitLines(text: string): string[] {
  if (text === "") return [];
  const lines = text.split("\n").map((line) => `${line}\n`);
  const last = lines.pop()!;
  if (last !== "\n") lines.push(last.slice(0, -1));
  return lines;
}

/** `diff -u` numbering: 1-based start, and an empty range names the line before it. */
function range(linesBefore: number, count: number): string {
  const start = count === 0 ? linesBefore : linesBefore + 1;
  return count === 1 ? String(start) : `${start},${count}`;
}
