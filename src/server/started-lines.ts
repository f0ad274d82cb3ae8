/** Where a person reaches the service once it listens: the chat page, the dashboard and the API docs. */
export function startedLines(options: { host: string; port: number; adminEnabled: boolean }): string[] {
  const { port, adminEnabled } = options;
  const everywhere = options.host === "0.0.0.0" || options.host === "::";
  // A wildcard address is not something to type into a browser; this machine answers on localhost.
  const host = everywhere ? "localhost" : options.host;
  const origin = `http://${host.includes(":") ? `[${host}]` : host}:${port}`;
  return [
    `ready${everywhere ? ` (listening on all addresses, port ${port})` : ""}:`,
    `  chat       ${origin}/`,
    adminEnabled
      ? `  dashboard  ${origin}/#/dashboard (sign in with an admin token)`
      : "  dashboard  off: set ADMIN_TOKEN or ADMIN_TOKENS to turn it and the admin API on",
    `  API docs   ${origin}/docs`,
  ];
}
