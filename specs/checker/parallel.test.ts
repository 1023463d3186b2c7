// The parallel search (worker threads) gives the one-thread result: the same
// verdict, counts, coverage, property depths and trace, and it stops at the
// same state under a --max-states cap. Each comparison forces the workers on
// from the first level (parallelFrom 1), so that chunks, ordering and the
// result stream are what is tested, not the in-thread fallback.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { Worker } from 'node:worker_threads';
import {
  check,
  checkParallel,
  loadModelSource,
  startWorker,
  type CheckOptions,
  type CheckResult,
  type ModelSource,
  type WorkerFactory,
} from '../../checker/index.ts';
import { lateWorkers } from './late-worker.ts';
import { presenceModel } from '../../model/index.ts';
import { graphArb } from './graph-arb.ts';
import { MAX_BINDINGS, MAX_N, RECORD_SHAPES, type Graph, type GraphOptions } from './graph-model.ts';

/** The result without what may differ between runs: time, threads, and bytes (the modes size their tables differently). */
function stable<S>(r: CheckResult<S>) {
  const { elapsedMs: _t, workers: _w, visitedBytes: _v, peakFrontierBytes: _f, ...rest } = r;
  return rest;
}

async function parallelMatches(source: ModelSource, options: CheckOptions, workers: number, oneThread = false) {
  const model = await loadModelSource(source);
  const one = check(model, options);
  const many = await checkParallel(source, { ...options, workers, parallelFrom: 1 });
  // no level is expanded when an initial state violates an invariant; states whose encoding writes Records keep to one thread
  const expanded = !(one.verdict === 'violated' && one.trace.length === 1 && one.property !== 'deadlock');
  expect(many.workers).toBe(expanded && !oneThread ? workers : 1);
  expect(stable(many)).toEqual(stable(one));
  return one;
}

const presence = (design: string, bounds: Record<string, number>): ModelSource => ({
  module: new URL('../../model/index.ts', import.meta.url).href,
  export: 'presenceModel',
  args: [design, bounds],
});

describe('the parallel search gives the one-thread result', () => {
  it.each([
    ['current', { users: 2, lag: 1 }, 2],
    ['shipped', { users: 2, lag: 1 }, 3],
    ['pending-joins', { users: 2, lag: 0 }, 2],
    ['fixed', { users: 1, lag: 1 }, 2],
  ])('%s at %j on %i workers', async (design, bounds, workers) => {
    const r = await parallelMatches(presence(design, bounds), {}, workers);
    expect(r.verdict).toBe(design === 'fixed' ? 'holds' : 'violated');
  });

  it('stops at the same state under a state cap, and at the same level under a depth cap', async () => {
    const capped = await parallelMatches(presence('fixed', { users: 2, lag: 0 }), { maxStates: 20_000 }, 2);
    expect(capped.limit).toBe('max-states');
    const shallow = await parallelMatches(presence('fixed', { users: 2, lag: 0 }), { maxDepth: 9 }, 2);
    expect(shallow.limit).toBe('max-depth');
  });

  it('runs in this thread when a model has no codec, and when a search stays small', async () => {
    const source = presence('current', { users: 1, lag: 0 });
    const small = await checkParallel(source, { workers: 2 });
    expect(small.workers).toBe(1);
    const model = { ...presenceModel('current', { users: 1, lag: 0 }), codec: undefined };
    const uncoded = await checkParallel(source, { workers: 2, parallelFrom: 1 }, model);
    expect(uncoded.workers).toBe(1);
    // the same result, but that the self-check had no codec to round-trip
    expect(uncoded.encodingCheck).toEqual({ ...small.encodingCheck, codec: false });
    expect(stable(uncoded)).toEqual(stable({ ...small, peakFrontierBytes: 0, encodingCheck: uncoded.encodingCheck }));
  });

  it('agrees on random models: invariant, deadlock, vacuity, traces', async () => {
    const graphs = graphArb(fc.integer({ min: 2, max: MAX_N }));
    // each run starts two worker threads: a dozen graphs, shrunk to a smallest one on failure
    await fc.assert(
      fc.asyncProperty(graphs, async (g) => {
        // and a step property: each transition from s by action a under binding k with (3s + 3k + a) mod 19 = 0 is bad
        const badSteps = g.actions.map((_, a) =>
          Array.from({ length: g.n * MAX_BINDINGS }, (_, j) => (j + 2 * (j % MAX_BINDINGS) + a) % 19 === 0),
        );
        for (const options of [
          { invariant: true, deadlock: true },
          { invariant: false, deadlock: false, badSteps },
        ]) {
          const o: GraphOptions = { ...options, codec: true };
          await parallelMatches(
            { module: new URL('./graph-model.ts', import.meta.url).href, export: 'graphModel', args: [g as Graph, o] },
            {},
            2,
            RECORD_SHAPES.includes(g.shape),
          );
        }
      }),
      { numRuns: 12, seed: 20261128 },
    );
  });

  it('gives the same result whichever thread expands a chunk: a late worker leaves most to the coordinating thread', async () => {
    const source = presence('fixed', { users: 1, lag: 1 });
    const late = lateWorkers();
    const one = check(await loadModelSource(source), {});
    const many = await checkParallel(source, { workers: 2, parallelFrom: 1, spawn: late.spawn });
    expect(stable(many)).toEqual(stable(one));
    // every state is expanded once, from the first level on (parallelFrom 1): some by the worker, the rest here
    const byWorker = late.expanded();
    expect(byWorker).toBeGreaterThan(0);
    expect(byWorker).toBeLessThan(one.states);
  });

  /** startWorker, counting the workers it starts */
  const counted = () => {
    const spawned: Worker[] = [];
    const spawn: WorkerFactory = (entry, data) => {
      const w = startWorker(entry, { workerData: data });
      spawned.push(w);
      return w;
    };
    return { spawn, spawned };
  };

  it('starts the workers while the levels are still small, and stops them unused when no level reaches parallelFrom', async () => {
    const source = presence('fixed', { users: 1, lag: 1 });
    const one = check(await loadModelSource(source), {});
    const { spawn, spawned } = counted();
    // levels of 250 states and more launch the workers; none reaches 10^9, so they are never used
    const many = await checkParallel(source, { workers: 3, parallelFrom: 1e9, spawn });
    expect(stable(many)).toEqual(stable(one));
    expect(many.workers).toBe(1);
    expect(spawned).toHaveLength(2);
    // stopped by the time the search returns: a worker stopped reports -1 as its thread id
    for (const w of spawned) expect(w.threadId).toBe(-1);
  });

  it('ignores workers that fail to start when the search never needs them', async () => {
    const source: ModelSource = { module: new URL('./graph-model.ts', import.meta.url).href, export: 'noSuchExport' };
    const model = presenceModel('fixed', { users: 1, lag: 1 });
    const one = check(model, {});
    const { spawn, spawned } = counted();
    const many = await checkParallel(source, { workers: 2, parallelFrom: 1e9, spawn }, model);
    expect(spawned).toHaveLength(1);
    expect(stable(many)).toEqual(stable(one));
  });

  it('reports a worker that exits while it loads as an error (it never says it is ready)', async () => {
    const source = presence('fixed', { users: 1, lag: 1 });
    const spawn: WorkerFactory = () => new Worker('process.exit(3)', { eval: true });
    await expect(checkParallel(source, { workers: 2, parallelFrom: 1, spawn })).rejects.toThrow(
      /a search worker exited \(code 3\) before it was ready/,
    );
  });

  it('reports a worker that cannot build the model as an error, not a verdict', async () => {
    const source: ModelSource = { module: new URL('./graph-model.ts', import.meta.url).href, export: 'noSuchExport' };
    const model = presenceModel('current', { users: 2, lag: 1 });
    await expect(checkParallel(source, { workers: 2, parallelFrom: 1 }, model)).rejects.toThrow(/not a model/);
  });
});
