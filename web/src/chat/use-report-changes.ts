import { useEffect, useLayoutEffect, useRef } from "react";

/**
 * Calls `report` with `value` after a render in which it changed (compared as JSON), never for the first value: a
 * component that starts from remembered state reports only what the user changes afterwards.
 */
export function useReportChanges<T>(value: T, report: ((value: T) => void) | undefined): void {
  const serialised = JSON.stringify(value);
  const reported = useRef(serialised);
  const reportRef = useRef(report);
  useLayoutEffect(() => {
    reportRef.current = report;
  });
  useEffect(() => {
    if (serialised === reported.current) return;
    reported.current = serialised;
    reportRef.current?.(JSON.parse(serialised) as T);
  }, [serialised]);
}
