// Renders Mermaid diagrams as a reader's browser does: Debian's Chromium,
// headless (apt-get install chromium; .ci/run installs it), driven by
// playwright-core, with the mermaid package from node_modules. Returns each
// diagram's natural size (its SVG viewBox, the width it asks for: Mermaid
// sets max-width to it) and the size of its smallest text. For tests only.
import { mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';

export const CHROMIUM = '/usr/bin/chromium';

export interface Rendered {
  /** the SVG's own width and height (its viewBox), in CSS px */
  readonly width: number;
  readonly height: number;
  /** the smallest font size of its text, in px at that width */
  readonly minFontPx: number;
  /** Mermaid's error, if it could not render the text */
  readonly error: string | null;
}

const MERMAID = createRequire(import.meta.url).resolve('mermaid/dist/mermaid.min.js');

/** Renders each diagram text (no code fence) in one headless Chromium. */
export async function renderMermaid(diagrams: readonly string[]): Promise<Rendered[]> {
  const profile = mkdtempSync(join(tmpdir(), 'presence-chromium-'));
  // a fresh profile (playwright passes it as --user-data-dir)
  const browser = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    viewport: { width: 1280, height: 800 },
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
  try {
    const page = browser.pages()[0] ?? (await browser.newPage());
    await page.setContent('<!doctype html><html><body></body></html>');
    await page.addScriptTag({ path: MERMAID });
    await page.evaluate(() => {
      (globalThis as unknown as { mermaid: { initialize(c: object): void } }).mermaid.initialize({ startOnLoad: false });
    });
    const out: Rendered[] = [];
    for (const [i, text] of diagrams.entries()) {
      out.push(
        await page.evaluate(
          async ({ id, text }) => {
            const m = (globalThis as unknown as { mermaid: { render(id: string, text: string): Promise<{ svg: string }> } }).mermaid;
            try {
              const { svg } = await m.render(id, text);
              const holder = document.createElement('div');
              holder.innerHTML = svg;
              document.body.replaceChildren(holder);
              const el = holder.querySelector('svg')!;
              const box = el.viewBox.baseVal;
              const sizes = [...el.querySelectorAll('text, tspan')]
                .filter((t) => (t.textContent ?? '').trim() !== '')
                .map((t) => Number.parseFloat(getComputedStyle(t).fontSize));
              return { width: box.width, height: box.height, minFontPx: Math.min(...sizes), error: null };
            } catch (e) {
              return { width: 0, height: 0, minFontPx: 0, error: String(e) };
            }
          },
          { id: `d${i}`, text },
        ),
      );
    }
    return out;
  } finally {
    await browser.close();
    rmSync(profile, { recursive: true, force: true });
  }
}
