// Progress while a check runs (cli/progress.ts, cli/estimate.ts,
// cli/known-sizes.ts): the share of the whole run, from a saved run's size
// or from levels that shrink; the plain lines of a CI log, every 30 s, and
// while the search is quiet; the redrawn line of a terminal.
import { afterEach, describe, expect, test, vi } from 'vitest';
import type { Progress } from '../checker/index.ts';
import { RunEstimator } from '../cli/estimate.ts';
import { knownSize, sizeKey, sizesOf } from '../cli/known-sizes.ts';
import { presenceJob } from '../cli/jobs.ts';
import { CheckProgress, duration, progressMode } from '../cli/progress.ts';
import { resolve } from 'node:path';
import { designByName, DEFAULT_BOUNDS, type Bounds, type Design } from '../model/index.ts';
import { presetBounds } from '../cli/presets.ts';
import { readResult, reportsOf } from '../scripts/docs/results.ts';
import type { RunReport } from '../report/types.ts';

const at = (p: Partial<Progress>): Progress => ({
  states: 0,
  transitions: 0,
  frontier: 0,
  depth: 0,
  levelExpanded: 0,
  levelSize: 1,
  elapsedMs: 0,
  ...p,
});

function sink(tty = false) {
  const out = { text: '', isTTY: tty, write: (s: string) => (out.text += s) };
  return out;
}

afterEach(() => {
  vi.useRealTimers();
});

describe('the share of the whole run', () => {
  test("a saved run's size: states found over it, never 100% before the end, nothing once past it", () => {
    const e = new RunEstimator(1000);
    expect(e.estimate(at({ states: 250, depth: 3 }))).toEqual({ total: 1000, fraction: 0.25, source: 'saved' });
    expect(e.estimate(at({ states: 1000, depth: 9 }))?.fraction).toBe(0.99);
    // a saved run of an older model, smaller than this one: no estimate rather than a wrong one
    expect(e.estimate(at({ states: 1001, depth: 9 }))).toBeNull();
  });

  test('no saved size: nothing while the levels grow; past the peak, the geometric tail they point to', () => {
    const e = new RunEstimator(null);
    // levels 1, 10, 100, 1000: growing
    const sizes = [1, 10, 100, 1000, 500, 250, 125];
    let states = 0;
    for (let d = 0; d < 4; d++) {
      states += sizes[d];
      expect(e.estimate(at({ depth: d, levelSize: sizes[d], states, frontier: sizes[d] }))).toBeNull();
    }
    // 1000, 500, 250 then 125: three halvings; at the start of level 7 (62.5 to come, then 31.25, ...)
    for (let d = 4; d < 7; d++) {
      states += sizes[d];
      e.estimate(at({ depth: d, levelSize: sizes[d], states, frontier: sizes[d] }));
    }
    // at level 7 of 60 states, nothing of level 8 found yet: 1,986 so far + 60 + 60·0.5/(1-0.5) to come
    const found = states + 60;
    const est = e.estimate(at({ depth: 7, levelSize: 60, levelExpanded: 0, frontier: 60, states: found }))!;
    expect(est.source).toBe('levels');
    expect(est.total).toBe(found + 60);
    expect(est.fraction).toBeCloseTo(found / (found + 60), 6);
    // a level that grows again: no estimate
    expect(e.estimate(at({ depth: 8, levelSize: 600, states: found + 600, frontier: 600 }))).toBeNull();
  });

  test('a level the reports skipped leaves the tail unknown', () => {
    const e = new RunEstimator(null);
    for (const d of [0, 1, 2, 4, 5]) e.estimate(at({ depth: d, levelSize: 100 >> d, states: 10 }));
    expect(e.estimate(at({ depth: 6, levelSize: 1, states: 10 }))).toBeNull();
  });

  test('known sizes: a complete run of the same state space, whatever the design is called and however it is limited', () => {
    const fixed = designByName('fixed')!;
    const spec = {
      kind: 'presence',
      design: fixed,
      designFile: null,
      bounds: DEFAULT_BOUNDS,
      faults: [],
      symmetry: true,
      liveness: true,
      settles: true,
    } as const;
    const report = (over: Partial<RunReport>) =>
      ({
        design: 'fixed',
        bounds: DEFAULT_BOUNDS,
        faults: { inForce: [], notApplicable: [] },
        symmetry: true,
        liveness: true,
        settles: true,
        verdict: 'holds',
        loop: null,
        states: 123,
        ...over,
      }) as RunReport;
    const switches = (name: string) => designByName(name) as unknown as Record<string, unknown>;
    const table = sizesOf([report({}), report({ design: 'current', verdict: 'violated', states: 7 })], switches);
    // a safety violation stops the search: its size is not the space's
    expect(Object.values(table)).toEqual([123]);
    expect(table[sizeKey(switches('fixed'), DEFAULT_BOUNDS as never, [], spec)]).toBe(123);
    // a lasso is found on the whole graph: its size is
    expect(Object.values(sizesOf([report({ verdict: 'violated', loop: 3, states: 9 })], switches))).toEqual([9]);
    // other bounds, faults or switches are another space
    expect(sizeKey(switches('fixed'), { ...DEFAULT_BOUNDS, lag: 0 } as never, [], spec)).not.toBe(
      sizeKey(switches('fixed'), DEFAULT_BOUNDS as never, [], spec),
    );
    expect(sizeKey(switches('fixed'), DEFAULT_BOUNDS as never, ['lock-lost'], spec)).not.toBe(
      sizeKey(switches('fixed'), DEFAULT_BOUNDS as never, [], spec),
    );
    expect(sizeKey(switches('fixed-ttl'), DEFAULT_BOUNDS as never, [], spec)).not.toBe(
      sizeKey(switches('fixed'), DEFAULT_BOUNDS as never, [], spec),
    );
    // so is the space without symmetry; liveness and settling add no state, so a safety-only run shares the key
    expect(sizeKey(switches('fixed'), DEFAULT_BOUNDS as never, [], { symmetry: false })).not.toBe(
      sizeKey(switches('fixed'), DEFAULT_BOUNDS as never, [], spec),
    );
    const both = sizesOf([report({}), report({ liveness: false, settles: null })], switches);
    expect(Object.values(both)).toEqual([123]);
    // two complete runs of one space that disagree: the table refuses them (one of the premises above is wrong)
    expect(() => sizesOf([report({}), report({ liveness: false, states: 124 })], switches)).toThrow(/found 123 and 124 states/);
    expect(knownSize({ kind: 'module', path: '/x.ts', liveness: true })).toBeNull();
  });

  test("the shipped table (npm run docs) knows each preset's complete runs: fixed at thorough is the saved run's size", () => {
    const saved = reportsOf(readResult(resolve(import.meta.dirname, '..'), 'check-thorough')).find((r) => r.design === 'fixed')!;
    const spec = (bounds: Bounds) =>
      // the saved thorough run judges safety and liveness
      presenceJob(designByName('fixed')!, null, bounds, { faults: [], symmetry: true, liveness: true, settles: true });
    expect(knownSize(spec(presetBounds('thorough')))).toBe(saved.states);
    // and the same check without liveness (--no-liveness) finds the same states
    expect(knownSize({ ...spec(presetBounds('thorough')), options: { faults: [], symmetry: true, liveness: false, settles: true } })).toBe(
      saved.states,
    );
    // a reservation written in another order is the same design
    const { reservation, ...rest } = designByName('fixed')!;
    const reordered = { ...rest, reservation: Object.fromEntries(Object.entries(reservation!).reverse()) } as unknown as Design;
    expect(knownSize({ ...spec(presetBounds('thorough')), design: reordered })).toBe(saved.states);
    expect(knownSize(presenceJob(designByName('fixed')!, null, presetBounds('thorough'), { symmetry: false }))).toBeNull();
    // an option the key does not cover (bounds on the faults) is a space no saved run measured
    expect(knownSize(presenceJob(designByName('fixed')!, null, presetBounds('thorough'), { faultBounds: { flaps: 1 } }))).toBeNull();
  });
});

describe('progress lines', () => {
  test('the mode: off when quiet, redrawn on a terminal, plain lines otherwise', () => {
    expect(progressMode(sink(true), true)).toBe('off');
    expect(progressMode(sink(false), true)).toBe('off');
    expect(progressMode(sink(true), false)).toBe('tty');
    expect(progressMode(sink(false), false)).toBe('lines');
    expect([duration(999), duration(42_500), duration(307_000), duration(3_725_000)]).toEqual(['0 s', '42 s', '5 min 07 s', '1 h 02 min']);
  });

  test('a CI log: one plain line every 30 s, the rate since the last line, the share of the run and the time left', () => {
    let now = 0;
    const out = sink();
    const progress = new CheckProgress(out, 'lines', { now: () => now, timer: false });
    progress.start('fixed', 1_000_000);
    now = 10_000;
    progress.show(at({ states: 100_000, depth: 5, frontier: 20_000, elapsedMs: 10_000 }));
    expect(out.text).toBe(''); // not 30 s yet
    now = 30_000;
    progress.show(at({ states: 300_000, depth: 9, frontier: 40_000, elapsedMs: 30_000 }));
    expect(out.text).toBe(
      'presence-check: fixed: 300,000 states, 10,000 states/s, depth 9, frontier 40,000, 30 s elapsed; ' +
        'about 30% of the 1,000,000 states a saved run found, about 1 min 10 s of search left\n',
    );
    now = 50_000;
    progress.show(at({ states: 400_000, depth: 10, frontier: 40_000, elapsedMs: 50_000 }));
    now = 60_000;
    progress.show(at({ states: 500_000, depth: 11, frontier: 40_000, elapsedMs: 60_000 }));
    const lines = out.text.trimEnd().split('\n');
    expect(lines).toHaveLength(2);
    // 200,000 states in the 30 s since the last line
    expect(lines[1]).toMatch(
      /^presence-check: fixed: 500,000 states, 6,667 states\/s, depth 11, frontier 40,000, 1 min 00 s elapsed; about 50% /,
    );
    progress.stop();
  });

  test('a CI log while the search reports nothing (starting, or judging liveness after it): a line every 30 s all the same', () => {
    vi.useFakeTimers();
    let now = 0;
    const out = sink();
    const progress = new CheckProgress(out, 'lines', { now: () => now });
    progress.start('fixed', null);
    now = 31_000;
    vi.advanceTimersByTime(1000);
    expect(out.text).toBe('presence-check: fixed: starting the search; 31 s elapsed\n');
    now = 40_000;
    progress.show(at({ states: 5000, depth: 30, frontier: 0, elapsedMs: 39_000 }));
    now = 75_000;
    vi.advanceTimersByTime(1000);
    expect(out.text.trimEnd().split('\n')[1]).toBe(
      'presence-check: fixed: 5,000 states, depth 30; the search has reported nothing for 35 s: judging liveness on the state graph, ' +
        'or building the report; 1 min 15 s elapsed',
    );
    progress.stop();
    now = 200_000;
    vi.advanceTimersByTime(5000);
    expect(out.text.trimEnd().split('\n')).toHaveLength(2); // stopped: no more lines
  });

  test('a terminal: one line redrawn in place, a bar of the whole run when its size is known, erased at the end', () => {
    const out = sink(true);
    const progress = new CheckProgress(out, 'tty', { rss: () => 2 ** 30 });
    progress.start('fixed', 1000);
    progress.show(at({ states: 500, depth: 7, frontier: 10, elapsedMs: 1000 }));
    expect(out.text).toBe('\r\x1b[2Kfixed [██████████░░░░░░░░░░] 50% | 500 states, frontier 10, 500 states/s, 1.00 s, 1.0 GiB | ~1 s left');
    progress.stop();
    expect(out.text.endsWith('\r\x1b[2K')).toBe(true);
    const off = sink(true);
    const silent = new CheckProgress(off, 'off');
    silent.start('fixed', null);
    silent.show(at({ states: 5 }));
    silent.stop();
    expect(off.text).toBe('');
  });
});
