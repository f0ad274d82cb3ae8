import type { ReactElement } from "react";
import { ResponsiveContainer } from "recharts";
import { useI18n } from "../i18n/locale-context.js";

/** Props of {@link ChartFrame}. */
export interface ChartFrameProps {
  title: string;
  testId: string;
  /** False shows a short note instead of an empty chart. */
  hasData: boolean;
  children: ReactElement;
}

/** A titled chart panel that fills its column and keeps a fixed height. */
export function ChartFrame({ title, testId, hasData, children }: ChartFrameProps) {
  const { t } = useI18n();
  return (
    <figure className="chart" data-testid={testId} data-has-data={hasData}>
      <figcaption className="chart__title">{title}</figcaption>
      {hasData ? (
        <div className="chart__body">
          <ResponsiveContainer width="100%" height="100%" minWidth={0}>
            {children}
          </ResponsiveContainer>
        </div>
      ) : (
        <p className="chart__empty">{t.chartNoData}</p>
      )}
    </figure>
  );
}
