/**
 * Which label tokens must be teacher-forced after the prompt, and where each label's later tokens are read. Labels
 * form a trie: a label of n tokens needs the model's distribution after each of its first n − 1 tokens (its forced
 * path). Paths that share a start share those rows, and a path that is the start of a longer one is covered by it,
 * so each distinct row is decoded once and sampled once, however many labels pass through it.
 */
export interface LabelBranchPlan<T extends number = number> {
  /** The forced paths to decode, each on a sequence holding the prompt; none is a prefix of another. */
  paths: T[][];
  /** Every distinct row, each assigned to the first path that passes through it. */
  rows: LabelRow<T>[];
}

/** The distribution after `path[0..index]` of one path: the rows where labels' next tokens are read. */
export interface LabelRow<T extends number = number> {
  path: number;
  index: number;
  /** The distinct tokens that some label continues with here. */
  targets: T[];
}

const startsWith = <T>(tokens: readonly T[], start: readonly T[]) =>
  start.length <= tokens.length && start.every((token, i) => token === tokens[i]);

/** Pure: the forced paths and rows of a label set's tokens (each label's tokens, end-of-turn included if used). */
export function planLabelBranches<T extends number>(labelTokens: readonly T[][]): LabelBranchPlan<T> {
  const forced = labelTokens.filter((tokens) => tokens.length > 1).map((tokens) => tokens.slice(0, -1));
  const paths: T[][] = [];
  for (const path of forced) {
    const covered = forced.some((other) => other.length > path.length && startsWith(other, path));
    if (!covered && !paths.some((kept) => kept.length === path.length && startsWith(kept, path))) {
      paths.push(path);
    }
  }
  const rows: LabelRow<T>[] = [];
  const seen = new Set<string>();
  for (const [pathIndex, path] of paths.entries()) {
    for (let index = 0; index < path.length; index++) {
      const start = path.slice(0, index + 1);
      const key = rowKey(start);
      if (seen.has(key)) continue;
      seen.add(key);
      const targets = labelTokens
        .filter((tokens) => tokens.length > index + 1 && startsWith(tokens, start))
        .map((tokens) => tokens[index + 1]!);
      rows.push({ path: pathIndex, index, targets: [...new Set(targets)] });
    }
  }
  return { paths, rows };
}

/** Pure: identifies a row by the label tokens before it. */
export function rowKey(start: readonly number[]): string {
  return start.join(",");
}
