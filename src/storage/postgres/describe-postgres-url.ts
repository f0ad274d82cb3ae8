/** `postgres://user@host:port/database`: what a message may say about a DATABASE_URL. Never the password. */
export function describePostgresUrl(url: string): string {
  try {
    const parsed = new URL(url);
    const user = parsed.username ? `${decodeURIComponent(parsed.username)}@` : "";
    return `${parsed.protocol}//${user}${parsed.hostname}:${parsed.port || "5432"}${parsed.pathname}`;
  } catch {
    return "(an unparseable DATABASE_URL)";
  }
}

/** Removes the URL's password from a text (a driver's message may quote what it was given). */
export function withoutPassword(text: string, url: string): string {
  let password = "";
  try {
    password = decodeURIComponent(new URL(url).password);
  } catch {
    return text.split(url).join("<DATABASE_URL>");
  }
  const scrubbed = text.split(url).join(describePostgresUrl(url));
  return password === "" ? scrubbed : scrubbed.split(password).join("***");
}

export function isPostgresUrl(url: string): boolean {
  return /^postgres(ql)?:\/\//i.test(url);
}
