import fs from "node:fs";
import { chromium, type Browser } from "playwright-core";

/** Debian's Chromium; playwright-core can't download a browser on these machines. */
export const chromiumPath = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";

/**
 * Whether browser tests can run. In CI a missing browser is a failure (`.ci/run` installs it); on a developer
 * machine without Chromium the suite is skipped with a message.
 */
export function browserAvailable(): boolean {
  const found = fs.existsSync(chromiumPath);
  if (!found && process.env.CI)
    throw new Error(`Chromium not found at ${chromiumPath}; .ci/run must install it`);
  if (!found) console.warn(`[e2e] skipped: no Chromium at ${chromiumPath} (apt-get install chromium)`);
  return found;
}

export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: chromiumPath,
    headless: true,
    // The background-networking flags stop Chromium from calling home on a closed network.
    args: [
      "--no-sandbox",
      "--disable-gpu",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
      "--disable-dev-shm-usage",
    ],
  });
}
