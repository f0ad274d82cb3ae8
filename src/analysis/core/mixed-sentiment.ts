import {
  lexiconAlternation,
  negativeWords,
  positiveWords,
  type LexiconPolarity,
} from "./sentiment-lexicon.js";

const sentimentRegex = new RegExp(lexiconAlternation([...positiveWords, ...negativeWords]), "g");
const positiveSet = new Set(positiveWords);
// A negator up to three characters before a word flips it: 不好, 不太满意, 不能接受, 没那么差.
const negatedBefore = /[不没无别非][^，。！？,.!?；;]{0,2}$/;
// Turns that join two clauses; 虽然/尽管 without one turn at the end of their clause.
const turnRegex = /但是|可是|不过|然而|但|却/g;
const concessiveRegex = /虽然|虽说|尽管/;
const clauseEnd = /[，,；;]/;

/** The polarities a piece of text carries, each sentiment word read through a negator just before it. */
export function polaritiesIn(text: string): Set<LexiconPolarity> {
  const found = new Set<LexiconPolarity>();
  for (const match of text.matchAll(sentimentRegex)) {
    const positive = positiveSet.has(match[0]);
    const negated = negatedBefore.test(text.slice(Math.max(0, match.index - 3), match.index));
    found.add(positive !== negated ? "positive" : "negative");
  }
  return found;
}

/** Where the text turns: after each contrast word, or after the clause a 虽然/尽管 opens. */
function turnPoints(text: string): Array<{ before: string; after: string; marker: string }> {
  const turns: Array<{ before: string; after: string; marker: string }> = [];
  for (const match of text.matchAll(turnRegex)) {
    if (match[0] === "但" && text.startsWith("但是", match.index)) continue;
    // 不但…而且 adds, it does not turn.
    if (match[0] === "但" && text[match.index - 1] === "不") continue;
    turns.push({
      before: text.slice(0, match.index),
      after: text.slice(match.index + match[0].length),
      marker: match[0],
    });
  }
  const concessive = concessiveRegex.exec(text);
  if (turns.length === 0 && concessive) {
    const rest = text.slice(concessive.index);
    const end = clauseEnd.exec(rest);
    if (end) {
      const cut = concessive.index + end.index;
      turns.push({ before: text.slice(0, cut), after: text.slice(cut + 1), marker: concessive[0] });
    }
  }
  return turns;
}

/**
 * 矛盾情绪: one polarity before a turn and the other after it (令人失望，不过还能接受; 好吃但是太贵). Returns the
 * clause pair around the first such turn, for reports and rules, or null.
 */
export function findMixedSentiment(text: string): string | null {
  for (const { before, after, marker } of turnPoints(text)) {
    const first = polaritiesIn(before);
    const second = polaritiesIn(after);
    const opposite =
      (first.has("negative") && second.has("positive")) || (first.has("positive") && second.has("negative"));
    if (!opposite) continue;
    const lastClause =
      before
        .split(/[，,。！？!?；;]/)
        .filter(Boolean)
        .pop() ?? before;
    const nextClause = after.split(/[，,。！？!?；;]/)[0] ?? after;
    const joiner = /[，,]\s*$/.test(before) ? "，" : "";
    return `${lastClause.trim()}${joiner}${marker}${nextClause.trim()}`.slice(0, 24);
  }
  return null;
}
