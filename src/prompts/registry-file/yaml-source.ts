import YAML, { LineCounter, isMap, isPair, isScalar, isSeq, type Node } from "yaml";

/** A parsed YAML text that can say on which line a path's value (or key) starts. */
export interface YamlSource {
  /** The plain JavaScript value. */
  value: unknown;
  /** 1-based line of the deepest node on `path` (the key's line for a mapping entry), or null. */
  lineOf(path: readonly PropertyKey[]): number | null;
}

/** A YAML syntax error with its position and, for the usual mistakes, the fix. */
export class YamlSyntaxError extends Error {
  constructor(
    message: string,
    readonly line: number,
    readonly column: number,
  ) {
    super(message);
  }
}

function hintFor(code: string): string {
  if (code === "BLOCK_AS_IMPLICIT_KEY" || code === "NESTED_MAPPING" || /MAPPING/.test(code)) {
    return (
      " — put each key on its own line and indent what belongs to it, e.g.\n" +
      '      prompts:\n        v1:\n          sentiment: "…"'
    );
  }
  if (code === "TAB_AS_INDENT") return " — indent with spaces, not tabs";
  return "";
}

/** Parses YAML, keeping line positions; a syntax error becomes a {@link YamlSyntaxError} naming line and column. */
export function parseYamlSource(text: string): YamlSource {
  const lineCounter = new LineCounter();
  const document = YAML.parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  const error = document.errors[0];
  if (error) {
    const { line, col } = lineCounter.linePos(error.pos[0]);
    // yaml reports nesting deeper than the stack allows as RESOURCE_EXHAUSTION, with the engine's own words.
    const reason =
      error.code === "RESOURCE_EXHAUSTION"
        ? "it is nested too deeply to read (a registry file needs a few levels: prompts, version, task)"
        : error.message.split("\n")[0]!.replace(/ at line \d+, column \d+:?$/, "");
    throw new YamlSyntaxError(`${reason}${hintFor(error.code)}`, line, col);
  }
  const lineAt = (offset: number | undefined) =>
    offset === undefined ? null : lineCounter.linePos(offset).line;
  let value: unknown;
  try {
    // yaml stops a file whose aliases expand past maxAliasCount (default 100) with a ReferenceError.
    value = document.toJS();
  } catch (failure) {
    if (!(failure instanceof ReferenceError)) throw failure;
    throw new YamlSyntaxError(
      "its aliases (*name) expand too many times: write the text out instead of repeating aliases",
      1,
      1,
    );
  }
  return {
    value,
    lineOf(path) {
      let node: unknown = document.contents;
      let line = lineAt((node as Node | null)?.range?.[0]);
      for (const segment of path) {
        if (isMap(node)) {
          const pair = node.items.find(
            (item) => isPair(item) && isScalar(item.key) && String(item.key.value) === String(segment),
          );
          if (!pair) break;
          line = lineAt((pair.key as Node).range?.[0]) ?? line;
          node = pair.value;
        } else if (isSeq(node) && typeof segment === "number") {
          const item = node.items[segment] as Node | undefined;
          if (!item) break;
          line = lineAt(item.range?.[0]) ?? line;
          node = item;
        } else break;
      }
      return line;
    },
  };
}
