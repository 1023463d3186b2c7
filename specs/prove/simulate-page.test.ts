// docs/simulate.md is written by `npm run docs` from two real simulations
// (scripts/docs.ts): run them again, with the same seeds and runs, and the
// page must be the same but for the times and the number of threads.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { generateSimulatePage, SIMULATE_PAGE, withoutTimes } from '../../scripts/docs.ts';

const ROOT = new URL('../..', import.meta.url).pathname;

describe('docs/simulate.md', () => {
  it('is not stale: the same runs give the same page, times aside', async () => {
    const page = await generateSimulatePage();
    const committed = readFileSync(`${ROOT}${SIMULATE_PAGE}`, 'utf8');
    expect(withoutTimes(committed), `${SIMULATE_PAGE} is stale: run \`npm run docs\` and commit it`).toBe(withoutTimes(page.content));
    // the masking leaves the figures that must match
    expect(withoutTimes(page.content)).toContain('1,000,000 steps');
  }, 300_000);
});
