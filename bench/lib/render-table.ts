/** One row of the result table: what was measured, the figure, and what it is compared against. */
export interface TableRow {
  section: string;
  metric: string;
  value: string;
  note?: string;
}

/** Display width: CJK characters take two columns in a terminal. */
function displayWidth(text: string): number {
  let width = 0;
  for (const character of text)
    width +=
      /[\u1100-\u115F\u2E80-\uA4CF\uAC00-\uD7A3\uF900-\uFAFF\uFE30-\uFE4F\uFF00-\uFF60\uFFE0-\uFFE6]/u.test(
        character,
      )
        ? 2
        : 1;
  return width;
}

const pad = (text: string, width: number) => text + " ".repeat(Math.max(0, width - displayWidth(text)));

/** Pure: a Markdown table (readable in a terminal and pasteable into docs), columns padded to align. */
export function renderTable(rows: readonly TableRow[]): string {
  const header = ["section", "metric", "value", "note"];
  const cells = rows.map((row) => [row.section, row.metric, row.value, row.note ?? ""]);
  const widths = header.map((title, i) =>
    Math.max(displayWidth(title), ...cells.map((cell) => displayWidth(cell[i]!))),
  );
  const line = (values: string[]) => `| ${values.map((value, i) => pad(value, widths[i]!)).join(" | ")} |`;
  return [line(header), `|${widths.map((w) => "-".repeat(w + 2)).join("|")}|`, ...cells.map(line)].join("\n");
}
