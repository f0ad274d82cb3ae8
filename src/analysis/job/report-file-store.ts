import fs from "node:fs/promises";
import path from "node:path";
import { AppError } from "../../errors.js";
import { renderStoredReport, reportFormats, type ReportFormat } from "./render-stored-report.js";
import type { StoredReport } from "./stored-report.js";

/** The folder of the suggestion reports inside DATA_DIR. */
export const reportsFolderName = "reports";

/** Report ids are `YYYYMMDD-HHMMSS-r<run id>` (UTC): sortable, and safe as a file name and a URL segment. */
export const reportIdPattern = /^\d{8}-\d{6}-r\d{1,16}$/;

export function reportIdFor(runId: number, startedAt: number): string {
  const iso = new Date(startedAt).toISOString();
  return `${iso.slice(0, 10).replaceAll("-", "")}-${iso.slice(11, 19).replaceAll(":", "")}-r${runId}`;
}

/** The reports folder: each report as `<id>.json` (the source of truth), `<id>.md` and `<id>.html`. */
export interface ReportFileStore {
  readonly dir: string;
  /** Writes all three formats; each file appears complete or not at all. */
  save(report: StoredReport): Promise<void>;
  /** The stored text in one format; NOT_FOUND for an unknown id. */
  read(id: string, format: ReportFormat): Promise<string>;
  has(id: string): Promise<boolean>;
  /** The parsed JSON report. */
  load(id: string): Promise<StoredReport>;
}

export function createReportFileStore(dir: string): ReportFileStore {
  const fileOf = (id: string, format: ReportFormat) => {
    // The pattern keeps ids from naming anything outside the folder (no separators, no dots).
    if (!reportIdPattern.test(id)) throw new AppError("NOT_FOUND", `No report ${id}`);
    return path.join(dir, `${id}.${format}`);
  };
  const read = async (id: string, format: ReportFormat) => {
    try {
      return await fs.readFile(fileOf(id, format), "utf8");
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === "ENOENT") {
        throw new AppError("NOT_FOUND", `No report ${id}`, { details: { id } });
      }
      throw error;
    }
  };
  return {
    dir,
    async save(report) {
      await fs.mkdir(dir, { recursive: true, mode: 0o700 });
      // JSON last: its presence is what `has` checks, so a crash mid-save never leaves a half-listed report.
      for (const format of [...reportFormats].reverse()) {
        const file = fileOf(report.id, format);
        const temporary = `${file}.${process.pid}.tmp`;
        // Reports quote (masked) user inputs: owner-only, like the database.
        await fs.writeFile(temporary, renderStoredReport(report, format), { encoding: "utf8", mode: 0o600 });
        await fs.rename(temporary, file);
      }
    },
    read,
    async has(id) {
      if (!reportIdPattern.test(id)) return false;
      return fs.access(fileOf(id, "json")).then(
        () => true,
        () => false,
      );
    },
    async load(id) {
      return JSON.parse(await read(id, "json")) as StoredReport;
    },
  };
}
