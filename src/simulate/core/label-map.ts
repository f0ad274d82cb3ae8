import { AppError } from "../../errors.js";

/**
 * Parses `--label-map 1=正面,0=负面`: the data set's label values on the left, the task's labels on the right.
 * Throws VALIDATION_FAILED naming the entry that doesn't parse, a value mapped twice, or a target the task lacks.
 */
export function parseLabelMap(text: string, taskLabels: readonly string[]): ReadonlyMap<string, string> {
  const map = new Map<string, string>();
  for (const entry of text.split(",")) {
    const separator = entry.indexOf("=");
    const from = entry.slice(0, separator).trim();
    const to = entry.slice(separator + 1).trim();
    if (separator < 0 || from === "" || to === "") {
      throw new AppError(
        "VALIDATION_FAILED",
        `--label-map entry "${entry.trim()}" is not of the form value=label (e.g. 1=正面,0=负面)`,
      );
    }
    if (map.has(from)) throw new AppError("VALIDATION_FAILED", `--label-map maps "${from}" twice`);
    if (!taskLabels.includes(to)) {
      throw new AppError(
        "VALIDATION_FAILED",
        `--label-map maps "${from}" to "${to}", which is not one of the task's labels (${taskLabels.join(", ")})`,
      );
    }
    map.set(from, to);
  }
  return map;
}
