const htmlEntities: Record<string, string> = {
  "&": "&amp;",
  "<": "&lt;",
  ">": "&gt;",
  '"': "&quot;",
  "'": "&#39;",
};

/** Escapes text for HTML element content and quoted attribute values. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => htmlEntities[char]!);
}

/**
 * Escapes text for Markdown: HTML is neutralised as entities (Markdown viewers render raw HTML), the characters
 * that start emphasis, code, links or table cells are backslash-escaped, a block marker at the start is escaped,
 * and line breaks become spaces so a table row or list item stays one line. Ordinary punctuation stays readable.
 */
export function escapeMarkdown(text: string): string {
  return text
    .replace(/[&<>]/g, (char) => htmlEntities[char]!)
    .replace(/[\\`*_[\]|~]/g, (char) => `\\${char}`)
    .replace(/\r?\n|\r/g, " ")
    .replace(/^([#>+=-])/, "\\$1")
    .replace(/^(\d+)([.)])/, "$1\\$2");
}

/** A fenced code block whose fence is longer than any backtick run inside, so the content cannot close it. */
export function markdownCodeBlock(text: string): string {
  const longestRun = Math.max(0, ...(text.match(/`+/g) ?? []).map((run) => run.length));
  const fence = "`".repeat(Math.max(3, longestRun + 1));
  return `${fence}text\n${text}\n${fence}`;
}

/** Escapes `text` and wraps the first occurrence of `match` (if any) in the given open/close markup. */
export function highlight(
  text: string,
  match: string | null,
  escape: (text: string) => string,
  open: string,
  close: string,
): string {
  const at = match === null || match === "" ? -1 : text.indexOf(match);
  if (at === -1) return escape(text);
  return `${escape(text.slice(0, at))}${open}${escape(match!)}${close}${escape(text.slice(at + match!.length))}`;
}
