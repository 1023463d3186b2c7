// The saved results the docs are written from (docs/results, listed in
// scripts/docs/results.ts) are what the tool prints today: each command run
// again as its own process, its output compared with the saved one but for
// times and rates (and, in --json, elapsedMs and the thread count). After a
// change to the model this fails until `npm run docs -- --rerun`. About as
// long as the commands themselves, but for the few marked `notReproved`
// (the thorough preset: over half an hour), which `npm run docs -- --rerun`
// alone runs again. Of that one, each design it finds violated is checked
// again here (each stops at its violation: seconds), and the trace files
// docs/traces draws from it are the same (npm test checks one: shipped,
// specs/export.test.ts).
import { execFileSync } from 'node:child_process';
import { resolve } from 'node:path';
import { beforeAll, describe, expect, test } from 'vitest';
import { record } from '../../scripts/docs/record.ts';
import { readResult, reportsOf, RESULTS, type SavedResult } from '../../scripts/docs/results.ts';
import { traceReports } from '../../scripts/docs/traces.ts';
import { toItfJson, toMarkdown } from '../../export/index.ts';
import { checkAgain, SAVED_VIOLATED } from '../check-again.ts';

const ROOT = resolve(import.meta.dirname, '../..');

/** What must not change between two runs of the same command. */
function comparable(r: SavedResult): unknown {
  if (r.argv.includes('--json'))
    return r.stdout
      .split('\n')
      .filter((l) => l.trim() !== '')
      .map((l) => {
        const { elapsedMs: _e, workers: _w, ...rest } = JSON.parse(l) as Record<string, unknown>;
        return rest;
      });
  return (
    r.stdout
      .replace(/[\d,]+ states\/s/g, 'R states/s')
      .replace(/\b\d+(\.\d+)? s\b/g, 'T s')
      // --memory: the spill directory's name is made anew each run
      .replace(/presence-check-spill-\w+/g, 'presence-check-spill-X')
  );
}

beforeAll(() => {
  // the results run the package's bin, dist/: built from these sources (incremental: seconds when it is)
  execFileSync('npm', ['run', 'build'], { cwd: ROOT, stdio: 'ignore' });
}, 300_000);

describe('docs/results: the saved runs are what the tool prints today', () => {
  test('each run left out here says why, and is a check a proof elsewhere covers', () => {
    for (const r of RESULTS.filter((x) => x.notReproved !== undefined))
      expect(r.notReproved, r.name).toMatch(/specs\/prove\/[\w-]+\.test\.ts/);
  });

  test.each(RESULTS.filter((r) => r.notReproved === undefined).map((r) => [r.name, r] as const))(
    '%s',
    async (name, spec) => {
      const saved = readResult(ROOT, name);
      const again = await record(ROOT, spec);
      const stale = `${name} differs from a run today: \`npm run docs -- --rerun ${name}\``;
      expect(again.exitCode, stale).toBe(saved.exitCode);
      expect(comparable(again), stale).toEqual(comparable(saved));
      expect(again.stderr, stale).toBe(saved.stderr);
    },
    40 * 60_000,
  );
});

describe('docs/traces: the violated designs of the saved runs are what the checker finds today', () => {
  // the saved runs of both presets (npm run docs -- --rerun check-thorough check-quick); a lasso from the quick one
  const traced = () => traceReports(reportsOf(readResult(ROOT, 'check-thorough')), reportsOf(readResult(ROOT, 'check-quick')));

  test('each violated design checked again gives the same trace files', async () => {
    const reports = traced().filter((r) => r.verdict === 'violated');
    expect(reports.map((r) => r.design)).toEqual(SAVED_VIOLATED);
    // each check takes seconds: it stops at its violation (refuse-latecomers: the quick preset's lasso)
    for (const r of reports) {
      const again = await checkAgain(r);
      const stale = `${r.design}: the saved run differs from the checker today: run \`npm run docs -- --rerun\``;
      expect(toMarkdown(again), stale).toBe(toMarkdown(r));
      expect(toItfJson(again), stale).toBe(toItfJson(r));
    }
  }, 600_000);
});
