/**
 * The id proposed for a new draft: "sentiment@v3" → "sentiment@v4", skipping ids already taken. The registry has
 * the final word; this is only the suggestion printed in the report.
 */
export function nextVersionId(currentId: string, taken: readonly string[] = []): string {
  const match = /^(.*)@v(\d+)$/.exec(currentId);
  const base = match?.[1] ?? currentId.split("@")[0]!;
  let number = match === null ? 2 : Number(match[2]) + 1;
  while (taken.includes(`${base}@v${number}`)) number += 1;
  return `${base}@v${number}`;
}
