/**
 * User text on its way into a candidate prompt (few-shot exemplars, memory entries, the rewrite request) is data
 * from an untrusted source that the model will later read as part of its instructions. Before it is proposed it is
 * made inert: chat-template tokens (`<|im_start|>`, `[INST]`, `<<SYS>>`), template placeholders (`{{…}}`, `{%…%}`),
 * markup (`<img onerror=…>`) and control, zero-width and bidi-override characters are removed and whitespace is
 * folded. What is left is ordinary prose; an input that was nothing but markup is empty. Length is the caller's
 * (cutting a review can change its label, so callers drop long texts rather than cut them).
 */
const removals: readonly RegExp[] = [
  // Chat-template special tokens of Qwen/ChatML, Llama, Mistral and friends.
  /<\|[^|<>\n]{0,40}\|>/g,
  /\[\/?(?:INST|SYS)\]/gi,
  /<<\/?SYS>>/gi,
  /<\/?s>/gi,
  // Template placeholders (Handlebars/Jinja), which a prompt renderer might expand.
  /\{\{[\s\S]*?\}\}/g,
  /\{%[\s\S]*?%\}/g,
  // HTML/XML markup: tags, comments, and whatever angle brackets remain.
  /<!--[\s\S]*?-->/g,
  /<\/?[A-Za-z!?][^<>]*>/g,
  /[<>]/g,
];

// C0/C1 controls (newlines and tabs become spaces below), zero-width characters, bidi overrides and isolates, BOM.
/* eslint-disable no-control-regex -- these control characters are what is removed */
const invisible =
  /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\u200b-\u200f\u202a-\u202e\u2060-\u2069\ufeff]/g;
/* eslint-enable no-control-regex */

/** The text made safe to place inside a prompt; "" when nothing safe is left. */
export function sanitiseUserText(text: string): string {
  let result = text.replace(invisible, "");
  for (const pattern of removals) result = result.replace(pattern, " ");
  return result.replace(/\s+/g, " ").trim();
}

/** Whether `text` passes through sanitisation unchanged (e.g. a mined pattern fit to quote in a rule). */
export function isInertUserText(text: string): boolean {
  return text !== "" && sanitiseUserText(text) === text;
}
