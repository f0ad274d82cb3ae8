import fs from "node:fs/promises";
import path from "node:path";
import { CsvError, parse } from "csv-parse/sync";
import { AppError } from "../errors.js";
import type { CsvRow, CsvTable } from "./core/labelled-items.js";

/** The line a record starts on: its end line less the line breaks inside it (blank lines before it skipped). */
function startLine(endLine: number, raw: string): number {
  const body = raw.replace(/^[\r\n]+/, "").replace(/\r?\n$/, "");
  return endLine - (body.match(/\n/g)?.length ?? 0);
}

/**
 * Reads a CSV file with a header line (UTF-8, an optional BOM, quoted fields may span lines). A file that can't
 * be read or parsed stops the run with VALIDATION_FAILED naming the file and, from the parser, the line.
 */
export async function readLabelledCsv(file: string): Promise<CsvTable> {
  const name = path.basename(file);
  let text: string;
  try {
    text = await fs.readFile(file, "utf8");
  } catch (error) {
    throw new AppError("VALIDATION_FAILED", `Can't read the data set ${file}: ${(error as Error).message}`, {
      cause: error,
    });
  }
  let columns: string[] = [];
  try {
    const records = parse(text, {
      bom: true,
      columns: (header: string[]) => (columns = header.map((column) => column.trim())),
      info: true,
      raw: true,
      skip_empty_lines: true,
    }) as { record: Record<string, string>; info: { lines: number }; raw: string }[];
    const rows: CsvRow[] = records.map(({ record, info, raw }) => ({
      line: startLine(info.lines, raw),
      values: record,
    }));
    return { name, columns, rows };
  } catch (error) {
    if (error instanceof CsvError) {
      throw new AppError("VALIDATION_FAILED", `${name} is not valid CSV: ${error.message}`, { cause: error });
    }
    throw error;
  }
}
