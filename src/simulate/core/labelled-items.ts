import { AppError } from "../../errors.js";

/** One row of a labelled data set, with the line it starts on (1-based, the header being line 1). */
export interface CsvRow {
  line: number;
  values: Readonly<Record<string, string>>;
}

/** A parsed CSV file: its header and its rows. */
export interface CsvTable {
  /** The file's name, for messages. */
  name: string;
  columns: readonly string[];
  rows: readonly CsvRow[];
}

/** One input the simulated users send, with the label it truly has (which the loop never sees). */
export interface LabelledItem {
  text: string;
  gold: string;
  line: number;
}

/** Which columns hold what, and the labels they must map to. */
export interface LabelledColumns {
  textColumn: string;
  labelColumn: string;
  /** The task's labels: every gold label must be one of them. */
  labels: readonly string[];
  /** Data-set values → task labels (`--label-map`); without it, the values must be the task's labels. */
  labelMap?: ReadonlyMap<string, string> | undefined;
}

function invalid(message: string): AppError {
  return new AppError("VALIDATION_FAILED", message);
}

/**
 * The items of a labelled CSV. Stops at the first problem with a message naming the column or the line: an
 * empty file, a missing column, an empty text, or a label that is not (or does not map to) one of the task's.
 */
export function toLabelledItems(table: CsvTable, columns: LabelledColumns): LabelledItem[] {
  if (table.columns.length === 0) throw invalid(`${table.name} is empty: it has no header line`);
  for (const [flag, column] of [
    ["--text-column", columns.textColumn],
    ["--label-column", columns.labelColumn],
  ] as const) {
    if (!table.columns.includes(column)) {
      throw invalid(
        `${table.name} has no column "${column}" (${flag}); its columns are ${table.columns.map((c) => `"${c}"`).join(", ")}`,
      );
    }
  }
  if (table.rows.length === 0) throw invalid(`${table.name} has a header but no rows`);
  return table.rows.map((row) => {
    const text = row.values[columns.textColumn] ?? "";
    if (text.trim() === "") {
      throw invalid(`${table.name} line ${row.line}: column "${columns.textColumn}" is empty`);
    }
    const value = (row.values[columns.labelColumn] ?? "").trim();
    const gold = columns.labelMap ? columns.labelMap.get(value) : value;
    if (gold === undefined || !columns.labels.includes(gold)) {
      const hint = columns.labelMap
        ? `--label-map has no entry for it`
        : `pass --label-map to map the data set's values, e.g. --label-map ${value}=${columns.labels[0] ?? "label"}`;
      throw invalid(
        `${table.name} line ${row.line}: label "${value}" in column "${columns.labelColumn}" is not one of the ` +
          `task's labels (${columns.labels.join(", ")}); ${hint}`,
      );
    }
    return { text, gold, line: row.line };
  });
}
