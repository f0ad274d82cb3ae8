import fs from "node:fs";
import { createRequire } from "node:module";
import type { Page } from "playwright-core";

const axeSource = fs.readFileSync(createRequire(import.meta.url).resolve("axe-core/axe.min.js"), "utf8");

/** axe-core's colour-contrast check on what the page shows now; returns the failing nodes' selectors. */
export async function contrastFailures(page: Page): Promise<string[]> {
  await page.evaluate(axeSource);
  return page.evaluate(async () => {
    const axe = (
      window as unknown as {
        axe: { run: (o: unknown) => Promise<{ violations: { nodes: { target: string[] }[] }[] }> };
      }
    ).axe;
    const result = await axe.run({ runOnly: { type: "rule", values: ["color-contrast"] } });
    return result.violations.flatMap((violation) => violation.nodes.map((node) => node.target.join(" ")));
  });
}

/**
 * WCAG 1.4.11 (non-text contrast, 3:1) for glyph icons such as the rating stars, which axe's text rule does not
 * judge: each element matching `selector` against the first opaque background behind it. Returns the ones below
 * 3:1 as "selector #index: ratio".
 */
export async function nonTextContrastFailures(page: Page, selector: string): Promise<string[]> {
  return page.evaluate((query) => {
    const channels = (color: string) => (color.match(/[\d.]+/g) ?? []).map(Number);
    const luminance = ([r = 0, g = 0, b = 0]: number[]) => {
      const linear = (v: number) => {
        const c = v / 255;
        return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
      };
      return 0.2126 * linear(r) + 0.7152 * linear(g) + 0.0722 * linear(b);
    };
    const backgroundOf = (element: Element | null): number[] => {
      for (let node = element; node; node = node.parentElement) {
        const rgba = channels(getComputedStyle(node).backgroundColor);
        if (rgba.length === 3 || (rgba[3] ?? 0) >= 1) return rgba.slice(0, 3);
      }
      return [255, 255, 255];
    };
    return [...document.querySelectorAll(query)].flatMap((element, index) => {
      const fore = luminance(channels(getComputedStyle(element).color));
      const back = luminance(backgroundOf(element));
      const ratio = (Math.max(fore, back) + 0.05) / (Math.min(fore, back) + 0.05);
      return ratio >= 3 ? [] : [`${query} #${index}: ${ratio.toFixed(2)}`];
    });
  }, selector);
}
