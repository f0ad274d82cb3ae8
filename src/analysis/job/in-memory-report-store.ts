import { AppError } from "../../errors.js";
import { renderStoredReport, reportFormats } from "./render-stored-report.js";
import type { ReportFileStore } from "./report-file-store.js";
import type { StoredReport } from "./stored-report.js";

/** The reports kept in memory, for createTestServices: the same three renderings, no files. */
export function createInMemoryReportStore(): ReportFileStore {
  const reports = new Map<string, Map<string, string>>();
  const read = async (id: string, format: string) => {
    const text = reports.get(id)?.get(format);
    if (text === undefined) throw new AppError("NOT_FOUND", `No report ${id}`, { details: { id } });
    return text;
  };
  return {
    dir: "(memory)",
    async save(report) {
      reports.set(
        report.id,
        new Map(reportFormats.map((format) => [format, renderStoredReport(report, format)])),
      );
    },
    read,
    async has(id) {
      return reports.has(id);
    },
    async load(id) {
      return JSON.parse(await read(id, "json")) as StoredReport;
    },
  };
}
