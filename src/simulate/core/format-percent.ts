/** A rate as the simulation's outputs show it: one decimal, "—" when there is none. */
export const formatPercent = (value: number | null) =>
  value === null ? "—" : `${(value * 100).toFixed(1)}%`;

/** A traffic share, to the whole percent. */
export const formatShare = (value: number) => `${Math.round(value * 100)}%`;
