/** Events out of trials in one arm, e.g. labelled errors out of labelled interactions. */
export interface ProportionCounts {
  /** How many trials had the event (an error, an exit, a failed request…). */
  events: number;
  /** How many trials there were. */
  trials: number;
}
