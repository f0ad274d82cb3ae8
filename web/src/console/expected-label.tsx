import { useTriageWords } from "./triage-words.js";

/**
 * The right label with where it came from: a user's correction is a solid badge, a label inferred from 👎 (or one
 * left unknown) a dashed one, so the two are never mistaken for each other.
 */
export function ExpectedLabel({ label, source }: { label: string | null; source: string }) {
  const w = useTriageWords();
  return (
    <span className={`expected-label expected-label--${source}`} data-source={source}>
      <span className="expected-label__value">{label ?? "?"}</span>{" "}
      <span className="expected-label__source">{w.expectedBadge[source] ?? source}</span>
    </span>
  );
}
