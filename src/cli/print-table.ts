import Table from "cli-table3";

/**
 * An aligned text table with a header row (cli-table3), without colours so that it reads the same in a pipe and in a
 * terminal. Cells are strings; empty ones print as "-".
 */
export function formatTable(columns: string[], rows: string[][]): string {
  const table = new Table({
    head: columns,
    style: { head: [], border: [], compact: true },
  });
  for (const row of rows) table.push(row.map((cell) => (cell === "" ? "-" : cell)));
  return table.toString();
}
