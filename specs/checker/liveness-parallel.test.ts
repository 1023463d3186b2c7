// The parallel search records the same liveness graph as the one-thread search (workers
// label transitions with their fairness instance keys and p/q bits; the coordinating thread
// interns the keys in reading order), so every liveness figure, verdict and lasso is the
// same for 1 and 2 workers. Workers are forced on from the first level (parallelFrom 1).
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { check, checkParallel, loadModelSource, type CheckOptions, type CheckResult, type ModelSource } from '../../checker/index.ts';
import { liveGraphArb } from './live-graph.ts';

function stable<S>(r: CheckResult<S>) {
  const { elapsedMs: _t, workers: _w, visitedBytes: _v, peakFrontierBytes: _f, ...rest } = r;
  return rest;
}

async function same(source: ModelSource, options: CheckOptions = {}) {
  const model = await loadModelSource(source);
  const one = check(model, options);
  const many = await checkParallel(source, { ...options, workers: 2, parallelFrom: 1 });
  expect(many.workers).toBe(2);
  expect(stable(many)).toEqual(stable(one));
  return one;
}

const ring = (k: number, fairness: object): ModelSource => ({
  module: new URL('../../examples/token-ring.ts', import.meta.url).href,
  export: 'tokenRing',
  args: [k, fairness],
});

const selfLoop = (fairness: object): ModelSource => ({
  module: new URL('./self-loop-model.ts', import.meta.url).href,
  export: 'selfLoopModel',
  args: [fairness],
});

describe('liveness on worker threads', () => {
  it('a step that returns its own state is a self-loop: a transition and an edge back, in one thread as on workers', async () => {
    // 4 states; inc at 0, 1, 2 and wait at each: 7 transitions, 7 edges (4 of them back to their own state)
    const holds = await same(selfLoop({ inc: 'weak', wait: 'weak' }));
    expect([holds.verdict, holds.states, holds.transitions, holds.edges]).toEqual(['holds', 4, 7, 7]);
    const waits = await same(selfLoop({ wait: 'weak' }));
    expect(waits.verdict).toBe('violated');
    expect(waits.trace.map((t) => [t.action ?? 'init', (t.state as { n: number }).n])).toEqual([
      ['init', 0],
      ['wait', 0],
    ]);
    expect(waits.loop).toBe(0);
  });

  it('agrees with the one-thread search on the token ring: holds, and a lasso', async () => {
    const holds = await same(ring(6, { enter: 'weak', leave: 'weak', pass: 'weak' }));
    expect(holds.verdict).toBe('holds');
    expect(holds.edges).toBe(holds.transitions);
    const violated = await same(ring(6, { enter: 'weak', leave: 'weak' }));
    expect(violated.verdict).toBe('violated');
    expect(violated.loop).not.toBeNull();
    const capped = await same(ring(6, { enter: 'weak', leave: 'weak' }), { maxStates: 500 });
    expect(capped.verdict).toBe('incomplete');
  });

  it('agrees with more than 16 properties (two words of p/q bits per edge)', async () => {
    const source = (fair: boolean): ModelSource => ({
      module: new URL('./live-graph.ts', import.meta.url).href,
      export: 'manyGoals',
      args: [20, fair],
    });
    expect((await same(source(true))).verdict).toBe('holds');
    const r = await same(source(false));
    // reaches-0 holds at once; every other goal is violated by stopping at 0
    expect(r).toMatchObject({ verdict: 'violated', property: 'reaches-1', loop: 0 });
    expect(r.properties.map((p) => p.status)).toEqual(['holds', ...Array(19).fill('violated')]);
  });

  it('agrees on random models with a codec (verdicts, lassos, graph figures)', async () => {
    await fc.assert(
      fc.asyncProperty(liveGraphArb, async (g) => {
        await same({ module: new URL('./live-graph.ts', import.meta.url).href, export: 'liveGraphModel', args: [g, { codec: true }] });
      }),
      { numRuns: 15 },
    );
  });
});
