// Every Mermaid trace of docs/traces, rendered as a reader's browser renders
// it (Debian's Chromium, headless, and the mermaid package), fits a page: at
// most 1,000 px wide, so that GitHub's 880 px column shrinks its 16 px text
// to no less than 14 px. Needs /usr/bin/chromium (apt-get install chromium;
// .ci/run installs it).
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { beforeAll, describe, expect, test } from 'vitest';
import { renderMermaid, type Rendered } from './render/mermaid-browser.ts';

const TRACES = resolve(import.meta.dirname, '../docs/traces');
const MAX_WIDTH = 1000;
const GITHUB_COLUMN = 880;

const pages = readdirSync(TRACES).filter((f) => f.endsWith('.md') && f !== 'README.md');
const diagramOf = (page: string) => {
  const m = /```mermaid\n([\s\S]*?)```/.exec(readFileSync(join(TRACES, page), 'utf8'));
  if (!m) throw new Error(`${page}: no mermaid block`);
  return m[1];
};
/** a diagram as they were drawn before: no init directive, its lines joined back */
const unwrapped = (diagram: string) =>
  diagram
    .split('\n')
    .filter((l) => !l.startsWith('%%'))
    .join('\n')
    .replace(/<br>/g, ' ');

let rendered: Rendered[] = [];

beforeAll(async () => {
  // one browser for every page, and one page as it was drawn before
  rendered = await renderMermaid([...pages.map(diagramOf), unwrapped(diagramOf('pending-joins.md'))]);
}, 180_000);

describe('Mermaid traces in a browser', () => {
  test('every diagram of docs/traces renders, at most 1,000 px wide, its text at least 14 px in an 880 px column', () => {
    expect(pages.length).toBeGreaterThan(0);
    pages.forEach((page, i) => {
      const r = rendered[i];
      expect(r.error, page).toBeNull();
      expect(r.width, `${page} renders ${Math.round(r.width)} px wide`).toBeGreaterThan(300);
      expect(r.width, `${page} renders ${Math.round(r.width)} px wide`).toBeLessThanOrEqual(MAX_WIDTH);
      const shown = r.minFontPx * Math.min(1, GITHUB_COLUMN / r.width);
      expect(shown, `${page}: its smallest text is ${shown.toFixed(1)} px in GitHub's column`).toBeGreaterThanOrEqual(14);
    });
  });

  test("the measure is real: a trace drawn with Mermaid's default layout and long lines is wider than a page", () => {
    const before = rendered[pages.length];
    const after = rendered[pages.indexOf('pending-joins.md')];
    expect(before.error).toBeNull();
    expect(before.width).toBeGreaterThan(MAX_WIDTH);
    expect(after.width).toBeLessThan(before.width);
  });
});
