/** The parts of a rollout decision's `statistics` (docs/api.md) the results page shows. */
export interface DecisionStatistics {
  primary: {
    metric: string;
    trials: { control: number; candidate: number };
    rates: Record<"control" | "candidate", { estimate: number | null; lower: number; upper: number }>;
    difference: number;
    pValue: number;
    sequence: { lower: number; upper: number } | null;
  };
  guardrails: {
    name: string;
    status: string;
    trials: { control: number; candidate: number };
    pValue: number | null;
  }[];
  sampleRatio: { pValue: number; observed: { control: number; candidate: number } };
}

type Json = Record<string, unknown>;
const isRecord = (value: unknown): value is Json =>
  typeof value === "object" && value !== null && !Array.isArray(value);
const num = (value: unknown): number | null =>
  typeof value === "number" && Number.isFinite(value) ? value : null;

function rate(value: unknown) {
  if (!isRecord(value)) return null;
  const lower = num(value["lower"]);
  const upper = num(value["upper"]);
  if (lower === null || upper === null) return null;
  return { estimate: num(value["estimate"]), lower, upper };
}

function pair(value: unknown) {
  if (!isRecord(value)) return null;
  const control = num(value["control"]);
  const candidate = num(value["candidate"]);
  return control === null || candidate === null ? null : { control, candidate };
}

/**
 * Reads a decision's untyped statistics JSON; null for a start (no statistics) or anything malformed, so an older
 * or newer server's decision shows as "no numbers" rather than wrong numbers.
 */
export function readDecisionStatistics(statistics: unknown): DecisionStatistics | null {
  if (!isRecord(statistics) || !isRecord(statistics["primary"]) || !isRecord(statistics["sampleRatio"]))
    return null;
  const primary = statistics["primary"];
  const test = isRecord(primary["test"]) ? primary["test"] : null;
  const control = rate(primary["controlRate"]);
  const candidate = rate(primary["candidateRate"]);
  const trials = pair(primary["trials"]);
  const observed = pair(statistics["sampleRatio"]["observed"]);
  const srmP = num(statistics["sampleRatio"]["pValue"]);
  if (!test || !control || !candidate || !trials || !observed || srmP === null) return null;
  const sequence = isRecord(test["confidenceSequence"])
    ? pair({
        control: test["confidenceSequence"]["lower"],
        candidate: test["confidenceSequence"]["upper"],
      })
    : null;
  const guardrails = Array.isArray(statistics["guardrails"]) ? statistics["guardrails"].filter(isRecord) : [];
  return {
    primary: {
      metric: typeof primary["metric"] === "string" ? primary["metric"] : "error_rate",
      trials,
      rates: { control, candidate },
      difference: num(test["difference"]) ?? 0,
      pValue: num(test["pValue"]) ?? 1,
      sequence: sequence && { lower: sequence.control, upper: sequence.candidate },
    },
    guardrails: guardrails.map((guardrail) => ({
      name: String(guardrail["name"]),
      status: String(guardrail["status"]),
      trials: pair(guardrail["trials"]) ?? { control: 0, candidate: 0 },
      pValue: isRecord(guardrail["test"]) ? num(guardrail["test"]["pValue"]) : null,
    })),
    sampleRatio: { pValue: srmP, observed },
  };
}
