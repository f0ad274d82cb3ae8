/**
 * Screenshots a local HTML file in Debian's Chromium (playwright-core), for the README's pictures of reports:
 * `npx tsx scripts/screenshot-html.ts report.html docs/screenshots/out.png [--height 900]`. The page is loaded
 * from disk with the network off; the shot is the top of the page at the given height (default: the whole page).
 */
import path from "node:path";
import { chromium } from "playwright-core";

const [input, output, ...rest] = process.argv.slice(2);
if (!input || !output) {
  process.stderr.write("usage: npx tsx scripts/screenshot-html.ts <file.html> <out.png> [--height <px>]\n");
  process.exit(2);
}
const heightFlag = rest.indexOf("--height");
const height = heightFlag >= 0 ? Number(rest[heightFlag + 1]) : null;
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
  headless: true,
  args: ["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking"],
});
try {
  const page = await browser.newPage({
    viewport: { width: 1000, height: height ?? 800 },
    deviceScaleFactor: 1.5,
  });
  await page.route("**", (route) =>
    route.request().url().startsWith("file:") ? route.continue() : route.abort(),
  );
  await page.goto(`file://${path.resolve(input)}`);
  await page.screenshot({ path: output, fullPage: height === null });
  process.stdout.write(`${output}\n`);
} finally {
  await browser.close();
}
