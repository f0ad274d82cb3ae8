/**
 * P(X ≥ k) for X ~ Binomial(n, 1/2), summed exactly in log space so it stays accurate for n in the thousands.
 * This is the one-sided exact McNemar test: with b and c discordant pairs, P(X ≥ b | n = b + c).
 */
export function binomialHalfUpperTail(k: number, n: number): number {
  if (k <= 0) return 1;
  if (k > n) return 0;
  const logHalfPowN = -n * Math.LN2;
  // Sum from the top, where terms are smallest, so the running sum is numerically stable.
  let logTerm = logHalfPowN; // C(n, n) / 2^n
  let sum = Math.exp(logTerm);
  for (let i = n; i > k; i -= 1) {
    logTerm += Math.log(i) - Math.log(n - i + 1); // C(n, i-1) = C(n, i) * i / (n - i + 1)
    sum += Math.exp(logTerm);
  }
  return Math.min(1, sum);
}

/**
 * One-sided exact McNemar test that "the second system is worse": among discordant pairs, `firstOnlyRight` items
 * only the first system got right and `secondOnlyRight` only the second. Returns P(X ≥ firstOnlyRight) under
 * the null hypothesis that both kinds of discordance are equally likely.
 */
export function mcNemarWorsePValue(firstOnlyRight: number, secondOnlyRight: number): number {
  return binomialHalfUpperTail(firstOnlyRight, firstOnlyRight + secondOnlyRight);
}
