import {
  OperationNodeTransformer,
  type KyselyPlugin,
  type PluginTransformQueryArgs,
  type PluginTransformResultArgs,
  type PrimitiveValueListNode,
  type QueryResult,
  type RootOperationNode,
  type UnknownRow,
  type ValueNode,
} from "kysely";

const nul = "\u0000";
/** What a NUL becomes: U+FFFD, the replacement character, as for any character that can't be stored. */
export const nulReplacement = "\uFFFD";

function withoutNul(value: unknown): unknown {
  return typeof value === "string" && value.includes(nul) ? value.replaceAll(nul, nulReplacement) : value;
}

class NulFreeValues extends OperationNodeTransformer {
  protected override transformValue(node: ValueNode): ValueNode {
    const value = withoutNul(node.value);
    return value === node.value ? super.transformValue(node) : { ...node, value };
  }

  protected override transformPrimitiveValueList(node: PrimitiveValueListNode): PrimitiveValueListNode {
    return { ...node, values: node.values.map(withoutNul) };
  }
}

/**
 * PostgreSQL's text can't hold U+0000 ("invalid byte sequence for encoding UTF8: 0x00"), while JSON, JavaScript and
 * SQLite can: a user's message, a model's reply or a search term with a NUL would fail its whole query. Every string
 * parameter is sent with its NULs replaced by U+FFFD, so such input is stored (and searched) instead of refused.
 */
export class NulFreeTextPlugin implements KyselyPlugin {
  readonly #values = new NulFreeValues();

  transformQuery(args: PluginTransformQueryArgs): RootOperationNode {
    return this.#values.transformNode(args.node);
  }

  async transformResult(args: PluginTransformResultArgs): Promise<QueryResult<UnknownRow>> {
    return args.result;
  }
}
