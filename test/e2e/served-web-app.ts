import fs from "node:fs";
import path from "node:path";
import type { Browser } from "playwright-core";
import { packageRoot, type RawConfig } from "../../src/config.js";
import type { App } from "../../src/server/create-app.js";
import { startTestApp } from "../support/test-app.js";
import { launchBrowser } from "./browser.js";

/** Where e2e tests write screenshots (the README's are copied from here). */
export const artifactsDir = path.join(packageRoot, "test-artifacts");

/**
 * The built web app served by a real test server on a free local port, and a headless Chromium to drive it: what
 * every browser scenario starts from. Throws when web/dist is missing (npm test builds it first).
 */
export async function startServedWebApp(
  overrides: Partial<RawConfig> = {},
): Promise<{ app: App; browser: Browser; base: string }> {
  if (!fs.existsSync(path.join(packageRoot, "web", "dist", "index.html"))) {
    throw new Error("web/dist is missing: run `npm run build:web` (npm test does it)");
  }
  fs.mkdirSync(artifactsDir, { recursive: true });
  const app = await startTestApp(overrides);
  await app.server.listen({ host: "127.0.0.1", port: 0 });
  const address = app.server.server.address();
  if (address === null || typeof address === "string") throw new Error("not listening on TCP");
  return { app, browser: await launchBrowser(), base: `http://127.0.0.1:${address.port}` };
}
