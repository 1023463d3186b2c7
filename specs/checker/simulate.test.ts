// Simulation (checker/simulate.ts): random walks against models whose
// answers are known exactly (specs/checker/walk-models.ts). The generator is
// uniform; a bug at depth k is found within the runs its exact probability
// predicts (and, over many seeds, after as many runs on average); the same
// seed gives the same result, on one thread or two; shrinking ends in the
// known shortest trace; transition invariants, deadlocks, fair lassos and the
// model's own errors are reported as the search reports them; nothing found
// is never "holds".
import { describe, expect, it } from 'vitest';
import {
  action,
  always,
  alwaysStep,
  check,
  judgeLasso,
  ModelCodeError,
  ModelDefinitionError,
  Random,
  replay,
  simulate,
  simulateParallel,
  type CheckResult,
  type Model,
  type ModelSource,
  type SimulateOptions,
  type SimulationResult,
  type TraceStep,
} from '../../checker/index.ts';
import { selfLoopModel } from './self-loop-model.ts';
import { deadEnd, desk, ladderModel, ladderProbability, neverDown, noisyCounter, shortcut, throwsAtThree } from './walk-models.ts';

const MODELS = new URL('./walk-models.ts', import.meta.url).href;
const source = (exportName: string, args?: unknown[]): ModelSource => ({ module: MODELS, export: exportName, ...(args ? { args } : {}) });

/** The result without what depends on the machine: time, threads, the visited set's bytes. */
function stable<S>(r: CheckResult<S>) {
  const { elapsedMs: _t, workers: _w, visitedBytes: _b, ...rest } = r;
  return rest;
}

const actionsOf = <S>(trace: readonly TraceStep<S>[]) => trace.slice(1).map((t) => t.action);

/** The first violating run (1-based) of each seed, the walks not shrunk. */
function runsToFind(model: Model<number>, seeds: number, options: Omit<SimulateOptions, 'seed'>): number[] {
  return Array.from({ length: seeds }, (_, seed) => {
    const r = simulate(model, { ...options, seed, shrink: false, encodingSample: 0 });
    expect(r.verdict).toBe('violated');
    return r.simulation.found!.run + 1;
  });
}

describe('the generator', () => {
  it('is the same for the same seed and run, and different for another run or seed', () => {
    const draw = (seed: number, run: number) => {
      const g = Random.forRun(seed, run);
      return Array.from({ length: 8 }, () => g.next());
    };
    expect(draw(7, 3)).toEqual(draw(7, 3));
    expect(draw(7, 3)).not.toEqual(draw(7, 4));
    expect(draw(7, 3)).not.toEqual(draw(8, 3));
    // seeds beyond 32 bits are their own
    expect(draw(2 ** 40, 0)).not.toEqual(draw(0, 0));
    expect(() => Random.forRun(-1, 0)).toThrow(RangeError);
    expect(() => Random.forRun(2 ** 53, 0)).toThrow(RangeError);
  });

  it('draws below(n) uniformly (chi-square over 60,000 draws, 5 classes, far below the 0.001 level)', () => {
    const g = Random.forRun(1, 0);
    const counts = new Array(5).fill(0);
    for (let i = 0; i < 60_000; i++) counts[g.below(5)]++;
    const expected = 12_000;
    const chi2 = counts.reduce((sum, c) => sum + (c - expected) ** 2 / expected, 0);
    // the chi-square distribution with 4 degrees of freedom exceeds 18.47 with probability 0.001
    expect(chi2).toBeLessThan(18.47);
    const floats = Array.from({ length: 10_000 }, () => g.float());
    expect(Math.min(...floats)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...floats)).toBeLessThan(1);
    expect(floats.reduce((a, b) => a + b, 0) / floats.length).toBeCloseTo(0.5, 1);
  });
});

describe('a bug at depth k is found within the runs its probability predicts', () => {
  // ladder k = 5, m = 3: a walk of 30 steps reaches the top with probability p (exact, by the
  // distribution of the rung after each step); the first run that does is geometric with mean 1/p
  const k = 5;
  const steps = 30;

  it('uniform steps: p is exact, and 300 seeds find it after 1/p runs on average', () => {
    const p = ladderProbability(k, steps, 1 / 3);
    expect(p).toBeCloseTo(0.071059, 5);
    const found = runsToFind(ladderModel(k, 3), 300, { maxSteps: steps });
    // every seed within the runs by which it is missed with probability 1e-7
    const bound = Math.ceil(Math.log(1e-7) / Math.log(1 - p));
    expect(Math.max(...found)).toBeLessThanOrEqual(bound);
    // the mean of 300 geometric draws: 1/p, with a standard deviation of sqrt((1-p)/p^2/300); within 5 of them
    const mean = found.reduce((a, b) => a + b, 0) / found.length;
    const sd = Math.sqrt((1 - p) / p ** 2 / found.length);
    expect(Math.abs(mean - 1 / p)).toBeLessThan(5 * sd);
    // and a bias would show: had each step climbed with 1/4 instead of 1/3, the mean would be this far off
    expect(Math.abs(1 / ladderProbability(k, steps, 1 / 4) - 1 / p)).toBeGreaterThan(10 * sd);
  });

  it('weighted steps: up weighs 2 against the two falls, so it climbs with 1/2', () => {
    const p = ladderProbability(k, steps, 1 / 2);
    const found = runsToFind(ladderModel(k, 3), 300, { maxSteps: steps, weights: { up: 2 } });
    const mean = found.reduce((a, b) => a + b, 0) / found.length;
    const sd = Math.sqrt((1 - p) / p ** 2 / found.length);
    expect(Math.abs(mean - 1 / p)).toBeLessThan(5 * sd);
    // a weight of 0: up only when nothing else is enabled, and a fall always is: never found
    const never = simulate(ladderModel(k, 3), { seed: 1, runs: 500, maxSteps: steps, weights: { up: 0 } });
    expect(never.verdict).toBe('none-found');
    expect(never.coverage.up).toBe(0);
  });

  it('the violation shrinks to the shortest run: up five times', () => {
    const r = simulate(ladderModel(k, 3), { seed: 4, maxSteps: steps });
    expect(r.verdict).toBe('violated');
    expect(r.property).toBe('below-top');
    expect(actionsOf(r.trace)).toEqual(['up', 'up', 'up', 'up', 'up']);
    expect(r.simulation.shrink!.from).toBeGreaterThanOrEqual(5);
  });

  it('swarm: each run its own weights and length, still the same result for the same seed', () => {
    const a = simulate(ladderModel(k, 3), { seed: 9, maxSteps: steps, swarm: true });
    const b = simulate(ladderModel(k, 3), { seed: 9, maxSteps: steps, swarm: true });
    expect(stable(a)).toEqual(stable(b));
    expect(a.verdict).toBe('violated');
    expect(a.simulation.swarm).toBe(true);
  });
});

describe('the same seed gives the same result', () => {
  it('twice on one thread', () => {
    const a = simulate(noisyCounter, { seed: 5, maxSteps: 40 });
    const b = simulate(noisyCounter, { seed: 5, maxSteps: 40 });
    expect(stable(a)).toEqual(stable(b));
    const other = simulate(noisyCounter, { seed: 6, maxSteps: 40 });
    expect(other.simulation.found).not.toEqual(a.simulation.found);
  });

  it.each([
    ['a violation several batches in (ladder k=8: p = 0.0024 a walk)', 'ladderModel', [8, 3], { seed: 3, maxSteps: 30 }],
    ['nothing found, over several batches (walks too short to reach the top)', 'ladderModel', [5, 3], { seed: 3, runs: 5000, maxSteps: 4 }],
    ['a transition invariant', 'neverDown', undefined, { seed: 2, maxSteps: 12 }],
    ['a fair lasso', 'desk', undefined, { seed: 1, maxSteps: 10 }],
  ] as const)('on one thread and on two: %s', async (_what, name, args, options) => {
    const model = (
      args
        ? (await import('./walk-models.ts'))[name as 'ladderModel'](...(args as [number, number]))
        : (await import('./walk-models.ts'))[name as 'desk']
    ) as Model<unknown>;
    const one = simulate(model, options);
    const two = await simulateParallel(source(name, args as unknown[] | undefined), { ...options, workers: 2, parallelAfterMs: 0 });
    expect(two.workers).toBe(2);
    expect(stable(two)).toEqual(stable(one));
    if (name === 'ladderModel' && args![0] === 8) expect(one.simulation.found!.run).toBeGreaterThan(136);
    if (options.maxSteps === 4) {
      expect(one.verdict).toBe('none-found');
      expect(one.simulation.runs).toBe(5000);
      // rungs 0 to 4: every state a walk of 4 steps can reach, each seen
      expect(one.states).toBe(5);
    }
  });

  it("the model's own error, with the walk that reached it, on one thread and on two", async () => {
    const fail = async (run: () => unknown) => {
      try {
        await run();
      } catch (e) {
        return e as ModelCodeError<number>;
      }
      throw new Error('no error');
    };
    const one = await fail(() => simulate(throwsAtThree, { seed: 1 }));
    const two = await fail(() => simulateParallel(source('throwsAtThree'), { seed: 1, workers: 2, parallelAfterMs: 0 }));
    expect(one).toBeInstanceOf(ModelCodeError);
    expect(one.message).toMatch(/the effect of inc\(\) threw: RangeError: three is too many/);
    expect(one.trace[one.trace.length - 1].state).toBe(3);
    expect(two).toBeInstanceOf(ModelCodeError);
    expect(two.message).toBe(one.message);
    expect(two.trace.map((t) => t.state)).toEqual(one.trace.map((t) => t.state));
  });
});

describe('shrinking', () => {
  it('a noisy walk to x = 4 shrinks to inc four times, the shortest run (as breadth first finds it)', () => {
    const r = simulate(noisyCounter, { seed: 1, maxSteps: 60 });
    expect(r.verdict).toBe('violated');
    expect(r.simulation.shrink!.from).toBeGreaterThan(4);
    expect(actionsOf(r.trace)).toEqual(['inc', 'inc', 'inc', 'inc']);
    expect(actionsOf(r.trace)).toEqual(actionsOf(check(noisyCounter).trace));
    // a real run, which replay takes to the same violation at its last step
    const rerun = replay(
      noisyCounter,
      r.trace.slice(1).map((t) => ({ action: t.action!, params: t.params })),
    );
    expect(rerun.ok && rerun.violation).toEqual({ property: 'x-below-4', step: 4 });
  });

  it('finds the shortcut dropping steps cannot (a search from the trace), and not without it', () => {
    // seed 3's walk climbs by inc; no step of it can go, but jump, inc is shorter
    const seed = [...Array(50).keys()].find((s) => {
      const r = simulate(shortcut, { seed: s, maxSteps: 20, shrink: false });
      return r.verdict === 'violated' && !actionsOf(r.trace).includes('jump');
    })!;
    const full = simulate(shortcut, { seed, maxSteps: 20 });
    expect(actionsOf(full.trace)).toEqual(['jump', 'inc']);
    expect(full.simulation.shrink!.bfsStates).toBeGreaterThan(0);
    const noSearch = simulate(shortcut, { seed, maxSteps: 20, shrink: { bfsStates: 0 } });
    expect(actionsOf(noSearch.trace)).toEqual(['inc', 'inc', 'inc', 'inc']);
  });

  it('a deadlock shrinks to the shortest way into it', () => {
    const r = simulate(deadEnd, { seed: 2, maxSteps: 30 });
    expect(r.verdict).toBe('violated');
    expect(r.property).toBe('deadlock');
    expect(actionsOf(r.trace)).toEqual(['step', 'step', 'step']);
  });

  it('a fair lasso shrinks to poke, then idle forever (stem 1, cycle 1), and lasso.ts judges it so', () => {
    const r = simulate(desk, { seed: 1, maxSteps: 30 });
    expect(r.verdict).toBe('violated');
    expect(r.property).toBe('waiting-served');
    expect(actionsOf(r.trace)).toEqual(['poke', 'idle']);
    expect(r.loop).toBe(1);
    const judged = judgeLasso(desk, r.trace, r.loop!);
    expect(judged).toEqual({ closes: true, unfair: [], violates: ['waiting-served'] });
  });
});

describe('what simulation judges, and how', () => {
  it('transition invariants, on every step: the first shortest way down (in the model order) is up(1), up(2), up(2), down, as check finds it', () => {
    const r = simulate(neverDown, { seed: 3, maxSteps: 20 });
    expect(r.verdict).toBe('violated');
    expect(r.property).toBe('never-down');
    expect(r.trace.slice(1).map((t) => [t.action, t.params])).toEqual([
      ['up', { by: 1 }],
      ['up', { by: 2 }],
      ['up', { by: 2 }],
      ['down', {}],
    ]);
    const rerun = replay(
      neverDown,
      r.trace.slice(1).map((t) => ({ action: t.action!, params: t.params })),
    );
    expect(rerun.ok && rerun.violation).toEqual({ property: 'never-down', step: 4 });
    // the exhaustive search judges them too, and its shortest trace is the one shrinking found
    const exhaustive = check(neverDown);
    expect([exhaustive.verdict, exhaustive.property]).toEqual(['violated', 'never-down']);
    expect(exhaustive.trace.slice(1).map((t) => [t.action, t.params])).toEqual(r.trace.slice(1).map((t) => [t.action, t.params]));
  });

  it('a step that breaks a transition invariant and an invariant at once: the walk names the one check and replay name', () => {
    // the invariant is declared first; the search judges a transition's step properties before its target's invariants
    const drop: Model<number> = {
      name: 'drop',
      init: [1],
      actions: [action<number>({ name: 'drop', guard: (x) => x > -3, effect: (x) => x - 2 })],
      properties: [
        always<number>('non-negative', 'x >= 0', (x) => x >= 0),
        alwaysStep<number>('never-down', 'x never decreases', (s, to) => to >= s.from),
      ],
      deadlockIsError: false,
    };
    const walked = simulate(drop, { seed: 1, runs: 1, maxSteps: 5 });
    const searched = check(drop);
    const replayed = replay(drop, [{ action: 'drop', params: {} }]);
    expect([walked.property, walked.trace.length - 1]).toEqual(['never-down', 1]);
    expect([searched.property, searched.trace.length - 1]).toEqual(['never-down', 1]);
    expect(replayed.ok && replayed.violation).toEqual({ property: 'never-down', step: 1 });
  });

  it('liveness: a walk that closes a fair lasso reports it; else each leadsTo property is not judged', () => {
    // reaches-3 with inc weakly fair holds: no fair lasso violates it, and no walk can say more
    const holds = simulate(selfLoopModel({ inc: 'weak', wait: 'weak' }), { seed: 1, runs: 200, maxSteps: 10 });
    expect(holds.verdict).toBe('none-found');
    expect(holds.properties.find((p) => p.name === 'reaches-3')!.status).toBe('not-judged');
    expect(holds.simulation.lassos).toBeGreaterThan(0);
    // with only wait fair, waiting at 0 forever is a fair behaviour that violates it
    const violated = simulate(selfLoopModel({ wait: 'weak' }), { seed: 1, runs: 200, maxSteps: 10 });
    expect(violated.verdict).toBe('violated');
    expect(violated.trace.map((t) => t.state.n)).toEqual([0, 0]);
    expect(violated.loop).toBe(0);
    expect(judgeLasso(selfLoopModel({ wait: 'weak' }), violated.trace, 0).violates).toEqual(['reaches-3']);
    // with nothing fair, the behaviour may stop at 0: a lasso that stays there
    const stutter = simulate(selfLoopModel({}), { seed: 1, runs: 200, maxSteps: 10 });
    expect(stutter.verdict).toBe('violated');
    expect(stutter.trace.map((t) => t.state.n)).toEqual([0]);
    expect(stutter.loop).toBe(0);
    // lassos off: not judged at all
    const off = simulate(selfLoopModel({ wait: 'weak' }), { seed: 1, runs: 200, maxSteps: 10, lassos: false });
    expect(off.verdict).toBe('none-found');
    expect(off.simulation.lassos).toBe(0);
  });

  it('nothing found is none-found, never holds: with its runs, steps, distinct states, coverage and witnesses', () => {
    const r: SimulationResult<number> = simulate(ladderModel(5, 3), { seed: 8, runs: 300, maxSteps: 4 });
    expect(r.verdict).toBe('none-found');
    expect(r.property).toBeNull();
    expect(r.simulation.runs).toBe(300);
    expect(r.simulation.steps).toBe(1200);
    expect(r.transitions).toBe(1200);
    expect(r.coverage.up + r.coverage.fall).toBe(1200);
    expect(r.states).toBe(5);
    expect(r.properties.map((p) => [p.name, p.status])).toEqual([
      ['below-top', 'none-found'],
      ['halfway', 'reached'],
    ]);
    expect(r.simulation.reached.halfway.step).toBeGreaterThanOrEqual(3);
    expect(r.limit).toBeNull();
    // a witness the walks never reach is unreached (no proof either way)
    const short = simulate(ladderModel(5, 3), { seed: 8, runs: 50, maxSteps: 2 });
    expect(short.properties.find((p) => p.name === 'halfway')!.status).toBe('unreached');
    expect(short.vacuity.unreachedWitnesses).toEqual(['halfway']);
  });

  it('a time limit or a stop asked for ends the walks with what was done', () => {
    const timed = simulate(ladderModel(30, 3), { seed: 1, maxSteps: 50, maxTimeMs: 200 });
    expect(timed.verdict).toBe('none-found');
    expect(timed.limit).toBe('max-time');
    expect(timed.simulation.runs).toBeGreaterThan(0);
    expect(timed.simulation.maxRuns).toBeNull();
    let polls = 0;
    const stopped = simulate(ladderModel(30, 3), {
      seed: 1,
      runs: 1_000_000,
      maxSteps: 50,
      shouldStop: () => (++polls > 3 ? 'interrupted' : null),
    });
    expect(stopped.limit).toBe('interrupted');
    expect(stopped.simulation.runs).toBeLessThan(1_000_000);
  });

  it('refuses bad options and weights for actions the model does not have', () => {
    expect(() => simulate(noisyCounter, { seed: -1 })).toThrow(RangeError);
    expect(() => simulate(noisyCounter, { seed: 1, runs: 0 })).toThrow(RangeError);
    expect(() => simulate(noisyCounter, { seed: 1, weights: { nope: 1 } })).toThrow(ModelDefinitionError);
    expect(() => simulate(noisyCounter, { seed: 1, weights: { inc: -1 } })).toThrow(RangeError);
  });
});
