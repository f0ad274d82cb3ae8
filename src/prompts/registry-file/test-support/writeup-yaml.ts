/** §4.2.3 of the write-up, typed as it shows it (its punctuation included), one key per line. */
export const writeupYaml = `prompts:
  v1:
    sentiment: "你是一个冷酷的情感分析师...输出只能是'正面'或'负面'"
  v2:
    sentiment: "注意:如果句子包含矛盾情绪(如'失望但能接受'),优先判定为'负面'"
`;

/** The write-up's v1 as it shows it: elided, so it differs from the shipped prompts/sentiment.v1.yaml. */
export const writeupElidedV1 = "你是一个冷酷的情感分析师...输出只能是'正面'或'负面'";

/** The write-up's v2: its rule for mixed sentiment. */
export const writeupV2 = "注意:如果句子包含矛盾情绪(如'失望但能接受'),优先判定为'负面'";
