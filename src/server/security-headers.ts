import { createHash } from "node:crypto";
import fastifyHelmet from "@fastify/helmet";
import type { FastifyInstance } from "fastify";

/**
 * The web app's Content-Security-Policy: everything from this origin only, no inline script or style, no plugins,
 * no framing, no `<base>` tricks. The app is a Vite build (scripts and styles are files); its icon is a data: URI.
 * `upgrade-insecure-requests` is left out on purpose: on plain HTTP (a LAN address) it would send the app's own
 * assets to an https:// that doesn't exist.
 */
export const appContentSecurityPolicy = {
  defaultSrc: ["'self'"],
  scriptSrc: ["'self'"],
  styleSrc: ["'self'"],
  imgSrc: ["'self'", "data:"],
  fontSrc: ["'self'"],
  connectSrc: ["'self'"],
  objectSrc: ["'none'"],
  baseUri: ["'none'"],
  formAction: ["'self'"],
  frameAncestors: ["'none'"],
  upgradeInsecureRequests: null,
};

/** Swagger UI (/docs) injects `<style>` elements; the page shows the API's schema only, no user data. */
export const docsContentSecurityPolicy = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "object-src 'none'",
  "base-uri 'none'",
  "frame-ancestors 'none'",
].join("; ");

/**
 * Helmet on every response: CSP, `X-Content-Type-Options: nosniff`, `Referrer-Policy: no-referrer` (URLs can carry
 * report ids), `X-Frame-Options` and `frame-ancestors 'none'` against clickjacking, and the cross-origin isolation
 * headers.
 */
export async function registerSecurityHeaders(app: FastifyInstance): Promise<void> {
  await app.register(fastifyHelmet, {
    contentSecurityPolicy: { useDefaults: false, directives: appContentSecurityPolicy },
    referrerPolicy: { policy: "no-referrer" },
    // Plain HTTP on a LAN is a supported set-up; HSTS belongs to the TLS proxy in front, if there is one.
    strictTransportSecurity: false,
  });
}

/**
 * The CSP of a self-contained HTML page (the suggestion reports): nothing may load or run; only its own inline
 * `<style>` blocks apply, each allowed by its hash, so text injected into the page could neither script nor style it.
 */
export function selfContainedPagePolicy(html: string): string {
  const hashes = [...html.matchAll(/<style>([^<]*)<\/style>/g)].map(
    (match) => `'sha256-${createHash("sha256").update(match[1]!, "utf8").digest("base64")}'`,
  );
  return [
    "default-src 'none'",
    `style-src ${hashes.length > 0 ? hashes.join(" ") : "'none'"}`,
    "img-src data:",
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
  ].join("; ");
}
