/**
 * Cheap rules for the common ways people state a lasting preference or fact, in Chinese and English. Pure.
 * A rule only fires on a statement about the future or about oneself (以后/今后/请/我是/call me …), never on a
 * question ("你叫我什么?") or a one-off request ("这次回答简短点" is not "以后回答简短点").
 */
import type { MemoryFact } from "./memory-fact.js";

/** Longest value a rule keeps (a name, a place): longer captures are sentences, not facts. */
const maxValueChars = 20;

interface Rule {
  pattern: RegExp;
  fact: (match: RegExpMatchArray) => MemoryFact | null;
}

const clean = (value: string | undefined) => {
  const trimmed = (value ?? "")
    .trim()
    .replace(/^["“「『']|["”」』']$/g, "")
    .trim();
  return trimmed === "" || [...trimmed].length > maxValueChars ? null : trimmed;
};

const forward = "(?:以后|今后|之后|从现在起|从现在开始|往后|下次)";

const rules: Rule[] = [
  {
    pattern:
      /(?:^|[，,。！!\s])(?:以后|今后|之后|从现在起|从现在开始)?(?:请|麻烦)?(?:你)?(?:就)?(?:叫我|称呼我|称我为?)([^，,。！!？?\s]{1,20})/u,
    fact: (m) => {
      const name = clean(m[1]?.replace(/(?:吧|就好|就行|好了|可以吗|行吗)$/u, ""));
      return name && !/什么|啥|谁/u.test(name)
        ? { key: "name", subject: "", text: `用户希望被称为“${name}”` }
        : null;
    },
  },
  {
    pattern: /\b(?:please\s+)?call me ([A-Z][\w'-]{0,19}(?: [A-Z][\w'-]{0,19})?)/u,
    fact: (m) => {
      const name = clean(m[1]);
      return name ? { key: "name", subject: "", text: `The user wants to be called "${name}"` } : null;
    },
  },
  {
    pattern: new RegExp(
      `${forward}(?:请|麻烦)?(?:你)?(?:的)?(?:回答|回复|说话)?(?:都)?(?:要|请)?(?:简短|简洁|短)(?:一点|一些|些|点)?`,
      "u",
    ),
    fact: () => ({ key: "reply_length", subject: "", text: "用户希望回答简短一些" }),
  },
  {
    pattern: new RegExp(
      `${forward}(?:请|麻烦)?(?:你)?(?:的)?(?:回答|回复)?(?:要|请)?(?:详细|具体)(?:一点|一些|些|点)?`,
      "u",
    ),
    fact: () => ({ key: "reply_length", subject: "", text: "用户希望回答详细一些" }),
  },
  {
    pattern:
      /\b(?:from now on|always|in future)[^.!?]{0,20}\b(?:keep (?:it|answers|replies) short|be (?:brief|concise)|short(?:er)? answers)/iu,
    fact: () => ({ key: "reply_length", subject: "", text: "The user prefers short answers" }),
  },
  {
    pattern:
      /(?:^|以后|今后|之后|请|麻烦|都)(?:你)?(?:都)?(?:用|使用|说)(英文|英语|中文|汉语|日语|日文)(?:回答|回复|和我说话|交流)?/u,
    fact: (m) => {
      const language = { 英文: "英文", 英语: "英文", 中文: "中文", 汉语: "中文", 日语: "日语", 日文: "日语" }[
        m[1]!
      ];
      return language ? { key: "reply_language", subject: "", text: `用户希望用${language}回答` } : null;
    },
  },
  {
    pattern:
      /\b(?:please\s+)?(?:always\s+)?(?:answer|reply|respond|talk to me) in (English|Chinese|Japanese)\b/iu,
    fact: (m) => ({ key: "reply_language", subject: "", text: `The user wants answers in ${m[1]}` }),
  },
  {
    pattern: /我(?:是|是一[个名位])?(素食者|素食主义者|纯素食者|吃素的?)/u,
    fact: () => ({ key: "diet", subject: "", text: "用户是素食者" }),
  },
  {
    pattern: /\bI(?:'m| am) (?:a )?(vegetarian|vegan)\b/iu,
    fact: (m) => ({ key: "diet", subject: "", text: `The user is ${m[1]!.toLowerCase()}` }),
  },
  {
    pattern: /我对([^，,。！!？?\s]{1,12})过敏/u,
    fact: (m) => {
      const what = clean(m[1]);
      return what ? { key: "allergy", subject: what, text: `用户对${what}过敏` } : null;
    },
  },
  {
    pattern: /我(?:现在)?在([^，,。！!？?\s]{1,12}?)(住|生活|工作|上学)(?:$|[，,。！!])/u,
    fact: (m) => {
      const place = clean(m[1]);
      return place ? { key: "location", subject: "", text: `用户在${place}${m[2]}` } : null;
    },
  },
  {
    pattern: /我(?:现在)?住在([^，,。！!？?\s]{1,12})/u,
    fact: (m) => {
      const place = clean(m[1]);
      return place ? { key: "location", subject: "", text: `用户住在${place}` } : null;
    },
  },
  {
    pattern: /我是(?:一[个名位])?(程序员|工程师|老师|教师|医生|护士|学生|律师|设计师|会计|厨师|司机)/u,
    fact: (m) => ({ key: "occupation", subject: "", text: `用户是${m[1]}` }),
  },
  {
    pattern: /我(?:最)?(?:喜欢|爱|讨厌|不喜欢|不吃)([^，,。！!？?\s]{1,12})/u,
    fact: (m) => {
      const thing = clean(m[1]);
      const verb = /讨厌|不喜欢|不吃/u.exec(m[0])?.[0] ?? (m[0].includes("爱") ? "爱" : "喜欢");
      return thing ? { key: "preference", subject: thing, text: `用户${verb}${thing}` } : null;
    },
  },
];

/** A question asks, it doesn't state: 你还记得我叫什么吗？ */
const isQuestion = (sentence: string) => /[?？]\s*$|吗\s*$|什么|\bwhat\b/iu.test(sentence);

/** The lasting facts a message states, one per key (and subject), in the order found. */
export function extractMemoryFacts(message: string): MemoryFact[] {
  const facts = new Map<string, MemoryFact>();
  for (const sentence of message.split(/(?<=[。！!？?\n.;；])/u)) {
    if (isQuestion(sentence)) continue;
    for (const rule of rules) {
      const match = sentence.match(rule.pattern);
      const fact = match && rule.fact(match);
      if (fact && !facts.has(`${fact.key}:${fact.subject}`)) facts.set(`${fact.key}:${fact.subject}`, fact);
    }
  }
  return [...facts.values()];
}
