import net from "node:net";

/**
 * Masks personal data in text before it is stored (inputs, replies, edits): e-mail and IP addresses, resident ID
 * numbers, card numbers (with or without separators), phone numbers (mainland mobiles and landlines, `+` international
 * numbers, North American and European national formats), street addresses (Chinese 路/街/号 addresses, English
 * "12 Baker Street"), and long digit runs (account numbers). The model still sees the original text; only the stored
 * copy is masked. Deliberately conservative: masking a review's content would hurt analysis, so prices, room
 * numbers, years and dates stay.
 */
type Replacer = (match: string) => string;
interface MaskRule {
  name: string;
  pattern: RegExp;
  replace: string | Replacer;
}

const digitCount = (text: string) => text.replace(/\D/g, "").length;
const ifDigits =
  (min: number, max: number, mask: string): Replacer =>
  (match) => {
    const digits = digitCount(match);
    return digits >= min && digits <= max ? mask : match;
  };

const hanChars = "\\u4e00-\\u9fff";
const hanNumber = "[0-9０-９一二三四五六七八九十百千]+";

/** In order: earlier rules see the text first (an IP must not be read as a phone number). */
export const maskRules: readonly MaskRule[] = [
  { name: "email", pattern: /[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}/g, replace: "[email]" },
  {
    name: "ipv6",
    pattern: /(?<![0-9A-Fa-f:])(?:[0-9A-Fa-f]{0,4}:){2,7}[0-9A-Fa-f]{0,4}(?:%\w+)?(?![0-9A-Fa-f:])/g,
    replace: (match) => (net.isIPv6(match.replace(/%\w+$/, "")) ? "[ip]" : match),
  },
  {
    name: "ipv4",
    pattern:
      /(?<![\d.])(?:(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)\.){3}(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(?![\d.])/g,
    replace: "[ip]",
  },
  { name: "id-number", pattern: /(?<!\d)\d{17}[\dXx](?!\d)/g, replace: "[id-number]" },
  {
    name: "card (grouped)",
    // 4-4-4-4(-3) and Amex's 4-6-5, separated by spaces or hyphens.
    pattern:
      /(?<![\d-])(?:\d{4}[ -]\d{4}[ -]\d{4}[ -]\d{1,4}(?:[ -]\d{1,3})?|\d{4}[ -]\d{6}[ -]\d{5})(?![\d-])/g,
    replace: "[card]",
  },
  {
    name: "phone (mainland mobile)",
    pattern: /(?<!\d)(?:\+?86[- ]?)?1[3-9]\d[- ]?\d{4}[- ]?\d{4}(?!\d)/g,
    replace: "[phone]",
  },
  {
    name: "phone (international)",
    pattern: /\+\d{1,3}(?:[ .-]?\(?\d{1,5}\)?){1,6}(?!\d)/g,
    replace: ifDigits(8, 15, "[phone]"),
  },
  {
    name: "phone (North American)",
    pattern: /(?<![\d(])\(?\d{3}\)?[ .-]\d{3}[ .-]\d{4}(?!\d)/g,
    replace: "[phone]",
  },
  { name: "phone (landline)", pattern: /(?<!\d)0\d{2,3}-\d{7,8}(?!\d)/g, replace: "[phone]" },
  {
    name: "phone (national, grouped)",
    // 07700 900123, 06 12 34 56 78, 030 1234 5678: a leading 0, then groups.
    pattern: /(?<![\d.-])0\d{1,4}(?:[ .-]\d{2,6}){1,4}(?![\d.-])/g,
    replace: ifDigits(10, 12, "[phone]"),
  },
  { name: "long number", pattern: /(?<!\d)\d{12,19}(?!\d)/g, replace: "[number]" },
  {
    name: "address (Chinese)",
    // Without a gazetteer the street's name can't be told from the words before it: up to 12 characters go.
    pattern: new RegExp(
      `[${hanChars}]{1,12}(?:路|街|大道|巷|弄|胡同)${hanNumber}号(?:院)?(?:${hanNumber}(?:号楼|栋|幢|单元|层|楼|室))*`,
      "g",
    ),
    replace: "[address]",
  },
  {
    name: "address (English)",
    pattern:
      /\b\d{1,5}[A-Za-z]?\s+(?:[A-Z][a-z]+\s+){1,3}(?:Street|St|Avenue|Ave|Road|Rd|Boulevard|Blvd|Lane|Ln|Drive|Dr|Way|Court|Ct|Place|Pl|Square|Sq)\b\.?/g,
    replace: "[address]",
  },
];

export function redactPersonalData(text: string): string {
  let result = text;
  for (const rule of maskRules) {
    result =
      typeof rule.replace === "string"
        ? result.replace(rule.pattern, rule.replace)
        : result.replace(rule.pattern, rule.replace);
  }
  return result;
}
