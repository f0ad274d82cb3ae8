import net from "node:net";

/**
 * Which `Host` names the server answers to: the defence against DNS rebinding, where a page on a name the attacker
 * controls is re-pointed at 127.0.0.1 and then talks to this service as its own origin. Such a page can only send
 * its own name, so IP literals and `localhost` are always safe; other names must be listed (ALLOWED_HOSTS).
 */
export interface HostAllowList {
  /** Whether a request whose Host (or trusted X-Forwarded-Host) names `hostname` may be served. */
  allows(hostname: string): boolean;
  /** Whether `hostname` matches a name the operator listed (not an IP literal, localhost or `*`). */
  lists(hostname: string): boolean;
  /** The configured names, for error messages and the docs. */
  readonly names: readonly string[];
}

/** `[::1]` → `::1`, `Example.COM.` → `example.com`. */
export function normaliseHostname(hostname: string): string {
  const lower = hostname.trim().toLowerCase().replace(/\.$/, "");
  return lower.startsWith("[") && lower.endsWith("]") ? lower.slice(1, -1) : lower;
}

const isLoopbackName = (name: string) => name === "localhost" || name.endsWith(".localhost");

/**
 * Builds the allow-list from ALLOWED_HOSTS: a comma-separated list of names (`*.example.com` matches subdomains),
 * or `*` to accept every name. Empty means the listen address (HOST, when it is a name) and localhost.
 */
export function createHostAllowList(setting: string, listenHost: string): HostAllowList {
  const entries = setting
    .split(",")
    .map(normaliseHostname)
    .filter((entry) => entry !== "");
  const anyName = entries.includes("*");
  const listen = normaliseHostname(listenHost);
  const listed = entries.filter((entry) => entry !== "*");
  const names = entries.length > 0 ? listed : net.isIP(listen) === 0 && listen !== "" ? [listen] : [];
  const lists = (hostname: string) => {
    const name = normaliseHostname(hostname);
    return names.some((entry) =>
      entry.startsWith("*.")
        ? name.endsWith(entry.slice(1)) && name.length > entry.length - 1
        : name === entry,
    );
  };
  return {
    names,
    lists,
    allows(hostname) {
      const name = normaliseHostname(hostname);
      return name !== "" && (anyName || net.isIP(name) !== 0 || isLoopbackName(name) || lists(name));
    },
  };
}
