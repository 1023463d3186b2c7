// Transition invariants (`alwaysStep`, kind 'step'): evaluated on every
// transition, into known states and self-loops too, on one thread, on
// workers and in replay; a violation's trace is a shortest run that ends with
// the offending step. An `always` cannot be given a step, by type and at run
// time (issue 22: "x never decreases" as an `always` could never fail).
import { describe, expect, it } from 'vitest';
import {
  action,
  always,
  alwaysStep,
  check,
  checkParallel,
  ModelCodeError,
  ModelDefinitionError,
  modelProblems,
  replay,
  type CheckResult,
  type Model,
  type Step,
} from '../../checker/index.ts';
import { buildRunReport } from '../../report/build.ts';
import { formatRun } from '../../export/index.ts';
import { stayingCounter, wrappingCounter } from './round-three-models.ts';

const MODELS = new URL('./round-three-models.ts', import.meta.url).href;
const stable = <S>(r: CheckResult<S>) => {
  const { elapsedMs: _t, workers: _w, visitedBytes: _v, peakFrontierBytes: _f, ...rest } = r;
  return rest;
};

describe('a step property', () => {
  it('is checked on a transition into a known state: the wrap 3 -> 0 breaks "never decreases" by step 4', () => {
    const r = check(wrappingCounter);
    expect([r.verdict, r.property, r.depth]).toEqual(['violated', 'never-decreases', 4]);
    // the shortest run that ends with the offending step: 0 1 2 3, then the wrap back to 0
    expect(r.trace.map((t) => [t.action, t.state])).toEqual([
      [null, 0],
      ['inc', 1],
      ['inc', 2],
      ['inc', 3],
      ['wrap', 0],
    ]);
    expect(r.properties).toEqual([
      { name: 'never-decreases', kind: 'step', description: 'the counter never goes down', status: 'violated', depth: 4 },
      { name: 'deadlock', kind: 'deadlock', description: expect.any(String), status: 'unknown' },
    ]);
    // the search stopped at the step: 4 states known (0-3), 4 transitions taken
    expect([r.states, r.transitions]).toEqual([4, 4]);
  });

  it('is checked on a self-loop', () => {
    const r = check(stayingCounter);
    expect([r.verdict, r.property]).toEqual(['violated', 'nothing-stays']);
    // 0 -inc-> 1 -stay-> 1: the stay is tried after inc on state 1 (declaration order), at depth 2
    expect(r.trace.map((t) => t.action)).toEqual([null, 'inc', 'stay']);
  });

  it.each([
    ['wrappingCounter', wrappingCounter],
    ['stayingCounter', stayingCounter],
  ] as const)('%s: worker threads give the one-thread result', async (name, model) => {
    const many = await checkParallel({ module: MODELS, export: name }, { workers: 2, parallelFrom: 1 });
    expect(many.workers).toBe(2);
    expect(stable(many)).toEqual(stable(check(model as Model<number>)));
  });

  it('holds where no step breaks it, and replay checks it on every step it takes', () => {
    const increasing = { ...wrappingCounter, actions: wrappingCounter.actions.slice(0, 1), deadlockIsError: false };
    const r = check(increasing);
    expect(r.verdict).toBe('holds');
    expect(r.properties[0]).toEqual({ name: 'never-decreases', kind: 'step', description: 'the counter never goes down', status: 'holds' });
    const violated = check(wrappingCounter);
    const run = replay(
      wrappingCounter,
      violated.trace.slice(1).map((t) => ({ action: t.action!, params: t.params })),
    );
    expect(run).toMatchObject({ ok: true, violation: { property: 'never-decreases', step: 4 } });
    expect(run.properties).toEqual([{ name: 'never-decreases', kind: 'step', step: 4 }]);
  });

  it('is explained on the offending step, and reported "by step N"', () => {
    const explained = {
      ...wrappingCounter,
      properties: [
        {
          ...wrappingCounter.properties[0],
          explain: (step: Step<number>, to: number) => ({ text: `${step.action} took it from ${step.from} to ${to}`, involved: [] }),
        },
      ],
    } as Model<number>;
    const r = check(explained);
    const report = buildRunReport(explained, r, FRAME);
    expect(report.explanation).toEqual({ text: 'wrap took it from 3 to 0', involved: [] });
    const text = formatRun(report).split('\n');
    expect(text).toContain('  step      never-decreases  VIOLATED by step 4');
    expect(text[1]).toMatch(/^VIOLATED: never-decreases \(the counter never goes down\) by step 4, the last of a shortest run; /);
    expect(text.at(-2)).toBe('property never-decreases is violated by step 4: the counter never goes down');
    expect(text.at(-1)).toBe('  wrap took it from 3 to 0');
  });

  it("that throws is the model's error, on the step it was given", () => {
    const throws = {
      ...wrappingCounter,
      properties: [
        alwaysStep<number>('picky', 'throws on the wrap', (step) => {
          if (step.action === 'wrap') throw new RangeError('no wrapping');
          return true;
        }),
      ],
    };
    let e: unknown = null;
    try {
      check(throws);
    } catch (x) {
      e = x;
    }
    expect(e).toBeInstanceOf(ModelCodeError);
    const m = e as ModelCodeError<number>;
    expect([m.part, m.property, m.action, m.trace.map((t) => t.state)]).toEqual(['property', 'picky', 'wrap', [0, 1, 2, 3, 0]]);
  });
});

describe('an invariant is given no step', () => {
  // Before: "holds": the condition was called with step = undefined, so it could never fail.
  it('an `always` whose condition takes a step is a malformed model, pointing to alwaysStep', () => {
    const reading = {
      ...wrappingCounter,
      // a JavaScript model (no types to stop it): the condition reads a second parameter
      properties: [
        {
          kind: 'always',
          name: 'grows',
          description: 'x never decreases',
          condition: (s: number, step?: Step<number>) => step === undefined || s >= step.from,
        },
      ],
    } as unknown as Model<number>;
    expect(modelProblems(reading)).toEqual([
      'property grows: an `always` condition takes the state only (it is tested on states, never given a step); ' +
        'for a property of each step (a transition invariant) use alwaysStep(name, description, (step, to) => ...)',
    ]);
    expect(() => check(reading)).toThrow(ModelDefinitionError);
  });

  it('by type: always() takes (state) => boolean', () => {
    // @ts-expect-error an invariant's condition has no step parameter
    const p = always<number>('grows', 'never decreases', (s: number, step: Step<number>) => s >= step.from);
    expect(p.kind).toBe('always');
    const m: Model<number> = {
      name: 'typed',
      init: [0],
      actions: [action<number>({ name: 'inc', guard: (s) => s < 1, effect: (s) => s + 1 })],
      // the model's type gives S to each builder
      properties: [always('small', 'small', (s) => s < 5), alwaysStep('up', 'up', (step, to) => to > step.from)],
      deadlockIsError: false,
    };
    expect(check(m).verdict).toBe('holds');
  });
});

const FRAME = {
  design: null,
  model: 'wrapping-counter',
  modelPath: null,
  bounds: null,
  boundsText: null,
  preset: null,
  symmetry: null,
  symmetryApplied: null,
  liveness: false,
  settles: null,
  faults: null,
  assumptions: null,
  exact: false,
  limits: { maxStates: null, maxTimeMs: null, maxDepth: null },
  rerun: null,
  job: { kind: 'module', path: MODELS, liveness: true },
};
