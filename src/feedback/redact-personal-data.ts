/**
 * Masks obvious personal data in text before it is stored: e-mail addresses, mainland-China mobile numbers,
 * resident ID numbers and long digit runs (card or account numbers). The model still sees the original text;
 * only the stored copy is masked. Deliberately conservative: masking a review's content would hurt analysis.
 */
const patterns: Array<[RegExp, string]> = [
  [/[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}/g, "[email]"],
  [/(?<!\d)\d{17}[\dXx](?!\d)/g, "[id-number]"],
  [/(?<!\d)(?:\+?86[- ]?)?1[3-9]\d[- ]?\d{4}[- ]?\d{4}(?!\d)/g, "[phone]"],
  [/(?<!\d)\d{12,19}(?!\d)/g, "[number]"],
];

export function redactPersonalData(text: string): string {
  let result = text;
  for (const [pattern, replacement] of patterns) result = result.replace(pattern, replacement);
  return result;
}
