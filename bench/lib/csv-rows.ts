import { parse } from "csv-parse/sync";

/**
 * Rows of fields from CSV text (RFC 4180: quoted fields, "" escapes, newlines inside quotes, CRLF or LF), a UTF-8
 * byte-order mark dropped, blank lines skipped, rows of any length kept. The first row is returned like any other;
 * callers decide whether it is a header. Shared by the benchmark and scripts/mine-dataset.ts.
 */
export function parseCsv(text: string): string[][] {
  return parse(text, { bom: true, skip_empty_lines: true, relax_column_count: true });
}
