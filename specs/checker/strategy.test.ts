// The strategy seam (checker/strategy.ts): bfs, liveness and simulate behind
// one interface over one model, each on one thread or on several with the
// same result; and the visited set behind one factory (checker/visited.ts).
import { describe, expect, it } from 'vitest';
import {
  bfsStrategy,
  check,
  createVisitedSet,
  livenessStrategy,
  simulate,
  simulateStrategy,
  STRATEGIES,
  type CheckResult,
  type IntSink,
  type ModelSource,
} from '../../checker/index.ts';
import { presenceModel } from '../../model/index.ts';
import { selfLoopModel } from './self-loop-model.ts';

function stable<S>(r: CheckResult<S>) {
  const { elapsedMs: _t, workers: _w, visitedBytes: _v, peakFrontierBytes: _f, ...rest } = r;
  return rest;
}

const presence = (design: string, bounds: Record<string, number>, liveness: boolean): ModelSource => ({
  module: new URL('../../model/index.ts', import.meta.url).href,
  export: 'presenceModel',
  args: [design, bounds, { liveness }],
});

describe('strategies', () => {
  it('are listed by name, and say whether finding nothing proves anything', () => {
    expect(Object.keys(STRATEGIES)).toEqual(['bfs', 'liveness', 'simulate']);
    expect(Object.values(STRATEGIES).map((s) => [s.name, s.exhaustive, s.liveness])).toEqual([
      ['bfs', true, 'none'],
      ['liveness', true, 'graph'],
      ['simulate', false, 'lassos'],
    ]);
  });

  it('bfs judges safety only: the leadsTo properties are reported not judged; liveness judges them on the graph', () => {
    const model = selfLoopModel({ wait: 'weak' });
    const safety = bfsStrategy.run(model, {});
    expect(safety.verdict).toBe('holds');
    expect(safety.edges).toBe(0);
    expect(safety.properties.find((p) => p.name === 'reaches-3')!.status).toBe('not-judged');
    const live = livenessStrategy.run(model, {});
    expect(stable(live)).toEqual(stable(check(model)));
    expect(live.verdict).toBe('violated');
    const walks = simulateStrategy.run(model, { seed: 1, runs: 100, maxSteps: 10 });
    expect(walks.verdict).toBe('violated');
    expect(walks.property).toBe('reaches-3');
  });

  it('on worker threads, each gives its one-thread result (bfs: the workers build the model without its leadsTo properties)', async () => {
    const source = presence('current', { users: 2, tabs: 1, lag: 0 }, true);
    const model = presenceModel('current', { users: 2, tabs: 1, lag: 0 }, { liveness: true });
    const threads = { workers: 2, parallelFrom: 1 };
    const safetyOne = bfsStrategy.run(model, {});
    const safetyTwo = await bfsStrategy.runOn(source, threads, model);
    expect(safetyTwo.workers).toBe(2);
    expect(stable(safetyTwo)).toEqual(stable(safetyOne));
    expect(safetyOne.verdict).toBe('violated');
    expect(safetyOne.properties.filter((p) => p.kind === 'leadsTo').every((p) => p.status === 'not-judged')).toBe(true);
    const walksOne = simulate(model, { seed: 4, runs: 300 });
    const walksTwo = await simulateStrategy.runOn(source, { seed: 4, runs: 300, workers: 2, parallelAfterMs: 0 }, model);
    expect(walksTwo.workers).toBe(2);
    expect(stable(walksTwo)).toEqual(stable(walksOne));
  });
});

describe('simulation on threads', () => {
  it('judges the same lassos whichever thread walks a run (each thread caches the cycles it found unfair)', async () => {
    // at 2 users x 1 tab the walks come back to states all the time: thousands of lassos, many cycles met again
    const source = presence('fixed', { users: 2, tabs: 1, lag: 1 }, true);
    const model = presenceModel('fixed', { users: 2, tabs: 1, lag: 1 }, { liveness: true });
    const one = simulate(model, { seed: 2, runs: 250 });
    const two = await simulateStrategy.runOn(source, { seed: 2, runs: 250, workers: 2, parallelAfterMs: 0 }, model);
    expect(one.simulation.lassos).toBeGreaterThan(3000);
    expect(stable(two)).toEqual(stable(one));
  });
});

describe('the visited-set factory', () => {
  const encode = (s: number, out: IntSink) => out.int(s);
  it.each(['fingerprint', 'exact'] as const)('%s: dense ids in discovery order, known states as -(id + 1), parents kept', (kind) => {
    const set = createVisitedSet<number>(kind, encode);
    expect([set.visit(10, -1), set.visit(20, 0), set.visit(10, 1), set.visit(30, 1)]).toEqual([0, 1, -1, 2]);
    expect(set.size).toBe(3);
    expect([set.find(20), set.find(40)]).toEqual([1, -1]);
    expect(set.parentOf(2)).toBe(1);
  });
});
