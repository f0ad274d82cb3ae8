/** A turn of the prompt before the input (system prompt, few-shot examples), as the engine receives it. */
export interface PromptTurn {
  role: string;
  content: string;
}

/** What the scripted model sees of one classification, and the gold label the simulation passed it aside. */
export interface ScriptedQuestion {
  prefix: readonly PromptTurn[];
  input: string;
  labels: readonly string[];
  /** The input's gold label from the data set; undefined for text that isn't in it. */
  gold: string | undefined;
}

/** The blind-spot words in `input` that no turn of the prompt mentions. */
export function unmentionedBlindSpots(
  input: string,
  prefix: readonly PromptTurn[],
  blindSpots: readonly string[],
): string[] {
  return blindSpots.filter(
    (word) => input.includes(word) && !prefix.some((turn) => turn.content.includes(word)),
  );
}

/**
 * The scripted model's answer: the gold label, except on an input containing a blind-spot word that neither the
 * system prompt nor a few-shot example mentions, where it answers the "opposite" label (the next one in the
 * task's order: the other one for a binary task). It stands for a model that gets a topic wrong until the prompt
 * says something about it. Text it has no gold label for (not from the data set) gets the first label.
 */
export function scriptedAnswer(question: ScriptedQuestion, blindSpots: readonly string[]): string {
  const { labels, gold } = question;
  const index = gold === undefined ? -1 : labels.indexOf(gold);
  if (index < 0) return labels[0]!;
  const blind = unmentionedBlindSpots(question.input, question.prefix, blindSpots).length > 0;
  return blind ? labels[(index + 1) % labels.length]! : gold!;
}
