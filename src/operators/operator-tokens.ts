/** One operator's bearer token: the name goes into the audit trail of everything done with the token. */
export interface OperatorToken {
  name: string;
  token: string;
}

/** An operator name: short, printable, safe in logs and in `console:<name>` actors. */
export const operatorNamePattern = /^[\p{L}\p{N}][\p{L}\p{N}._ -]{0,39}$/u;

/** The operator named by the shared ADMIN_TOKEN (unless a sign-in names someone). */
export const sharedTokenOperator = "admin";

/** Tokens shorter than this are guessable. */
export const minimumTokenLength = 16;

/**
 * Parses ADMIN_TOKENS (`alice:token1,bob:token2`). Returns the problems instead of throwing, so the config schema can
 * name them all. A token may itself contain `:` (only the first one separates the name).
 */
export function parseOperatorTokens(value: string): { tokens: OperatorToken[]; problems: string[] } {
  const tokens: OperatorToken[] = [];
  const problems: string[] = [];
  const entries = value
    .split(",")
    .map((entry) => entry.trim())
    .filter((entry) => entry !== "");
  for (const [index, entry] of entries.entries()) {
    const colon = entry.indexOf(":");
    const name = colon < 0 ? "" : entry.slice(0, colon).trim();
    const token = colon < 0 ? "" : entry.slice(colon + 1).trim();
    const where = `entry ${index + 1}`;
    if (colon < 0) problems.push(`${where} is not name:token`);
    else if (!operatorNamePattern.test(name))
      problems.push(`${where}: the name must be 1-40 letters, digits, . _ - or spaces`);
    else if (token.length < minimumTokenLength)
      problems.push(`${where} (${name}): the token must be at least ${minimumTokenLength} characters`);
    else if (!/^[\x21-\x7e]+$/.test(token))
      problems.push(
        `${where} (${name}): the token may only hold visible ASCII characters (an Authorization header can't carry others)`,
      );
    else if (tokens.some((other) => other.name === name))
      problems.push(`${where}: the name ${name} is used twice`);
    else if (tokens.some((other) => other.token === token))
      problems.push(`${where} (${name}): the same token is given to two names`);
    else tokens.push({ name, token });
  }
  return { tokens, problems };
}

/** Every token that opens the admin API: ADMIN_TOKEN (as `admin`) and the named ADMIN_TOKENS. */
export function operatorTokensOf(config: {
  adminToken: string | undefined;
  adminTokens: readonly OperatorToken[];
}): OperatorToken[] {
  return [
    ...(config.adminToken === undefined ? [] : [{ name: sharedTokenOperator, token: config.adminToken }]),
    ...config.adminTokens,
  ];
}
