import { escapeHtml } from "../../analysis/core/report/escape-text.js";

export interface ChartSeries {
  name: string;
  color: string;
  points: readonly { x: number; y: number }[];
  /** Holds each value until the next point (a share that changes at decisions), instead of joining points. */
  step?: boolean;
  strokeWidth?: number;
}

export interface ChartMarker {
  x: number;
  label: string;
  color: string;
}

export interface LineChart {
  title: string;
  xDomain: readonly [number, number];
  yDomain: readonly [number, number];
  xTicks: readonly { value: number; label: string }[];
  yTicks: readonly { value: number; label: string }[];
  series: readonly ChartSeries[];
  /** Vertical lines with a short label: decisions on the timeline. */
  markers?: readonly ChartMarker[];
  xLabel: string;
}

const size = { width: 900, height: 330, left: 56, right: 20, top: 34, bottom: 88 };

/**
 * A line chart as inline SVG (no script, no external file): axes with ticks, one polyline (or step line) per
 * series with dots, dashed vertical markers with rotated labels, and a legend below. All text is escaped.
 */
export function renderLineChart(chart: LineChart): string {
  const plotWidth = size.width - size.left - size.right;
  const plotHeight = size.height - size.top - size.bottom;
  const [x0, x1] = chart.xDomain;
  const [y0, y1] = chart.yDomain;
  const sx = (x: number) => size.left + ((x - x0) / (x1 - x0 || 1)) * plotWidth;
  const sy = (y: number) => size.top + plotHeight - ((y - y0) / (y1 - y0 || 1)) * plotHeight;
  const n = (value: number) => value.toFixed(1);
  const parts: string[] = [
    `<text x="${size.left}" y="20" class="title">${escapeHtml(chart.title)}</text>`,
    `<rect x="${size.left}" y="${size.top}" width="${plotWidth}" height="${plotHeight}" class="plot"/>`,
  ];
  for (const tick of chart.yTicks) {
    const y = n(sy(tick.value));
    parts.push(
      `<line x1="${size.left}" x2="${size.left + plotWidth}" y1="${y}" y2="${y}" class="grid"/>`,
      `<text x="${size.left - 6}" y="${y}" class="ytick">${escapeHtml(tick.label)}</text>`,
    );
  }
  for (const tick of chart.xTicks) {
    parts.push(
      `<text x="${n(sx(tick.value))}" y="${size.top + plotHeight + 16}" class="xtick">${escapeHtml(tick.label)}</text>`,
    );
  }
  parts.push(
    `<text x="${size.left + plotWidth / 2}" y="${size.top + plotHeight + 34}" class="xlabel">${escapeHtml(chart.xLabel)}</text>`,
  );
  for (const marker of chart.markers ?? []) {
    const x = n(sx(marker.x));
    parts.push(
      `<line x1="${x}" x2="${x}" y1="${size.top}" y2="${size.top + plotHeight}" stroke="${marker.color}" class="marker"/>`,
      `<text transform="translate(${x} ${size.top + 4}) rotate(90)" fill="${marker.color}" class="markerlabel">${escapeHtml(marker.label)}</text>`,
    );
  }
  for (const series of chart.series) {
    const points: string[] = [];
    series.points.forEach((point, index) => {
      const previous = series.points[index - 1];
      if (series.step && previous) points.push(`${n(sx(point.x))},${n(sy(previous.y))}`);
      points.push(`${n(sx(point.x))},${n(sy(point.y))}`);
    });
    parts.push(
      `<polyline points="${points.join(" ")}" fill="none" stroke="${series.color}" stroke-width="${series.strokeWidth ?? 2}"/>`,
    );
    if (!series.step) {
      for (const point of series.points) {
        parts.push(`<circle cx="${n(sx(point.x))}" cy="${n(sy(point.y))}" r="3" fill="${series.color}"/>`);
      }
    }
  }
  chart.series.forEach((series, index) => {
    const x = size.left + (index % 4) * 210;
    const y = size.height - 26 + Math.floor(index / 4) * 16;
    parts.push(
      `<rect x="${x}" y="${y - 9}" width="14" height="4" fill="${series.color}"/>`,
      `<text x="${x + 20}" y="${y - 4}" class="legend">${escapeHtml(series.name)}</text>`,
    );
  });
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${size.width} ${size.height}" role="img" ` +
    `aria-label="${escapeHtml(chart.title)}">${parts.join("")}</svg>`
  );
}
