// Where a user's data meets the checker: each case here once gave a wrong
// verdict or an error that said nothing useful (issue 10), and is pinned so
// that it cannot come back. Every expected figure is derived in a comment.
import { describe, expect, it } from 'vitest';
import { List, Set as ImSet } from 'immutable';
import {
  action,
  always,
  check,
  checkParallel,
  EncodingClashError,
  EncodingRangeError,
  findEncodingClash,
  ModelCodeError,
  ModelDefinitionError,
  modelProblems,
  UnencodableValueError,
  type IntSink,
  type Model,
} from '../../checker/index.ts';
import { IntCollector } from '../../checker/fingerprint.ts';
import { encodeValue } from '../../checker/encode.ts';
import { lateWorkers } from './late-worker.ts';

/** A counter in a native Map: 'a' goes 0, 1, 2, ...; the invariant breaks at 4. */
const mapCounter: Model<Map<string, number>> = {
  name: 'map-counter',
  init: [new Map([['a', 0]])],
  actions: [
    action<Map<string, number>>({
      name: 'inc',
      guard: (s) => s.get('a')! < 6,
      effect: (s) => new Map([...s, ['a', s.get('a')! + 1]]),
    }),
  ],
  properties: [always('below-4', 'a stays below 4', (s) => s.get('a')! < 4)],
  deadlockIsError: false,
};

describe('native collections and other values in a state', () => {
  // Regression: the default encoding once wrote every Map as {} (no own keys), so all
  // states were one: "holds, 1 state". The truth: a = 0, 1, 2, 3, 4 is the shortest run.
  it('a state that is a native Map is encoded by content: the violation at depth 4 is found', () => {
    const r = check(mapCounter);
    expect(r.verdict).toBe('violated');
    expect(r.trace.map((t) => t.state.get('a'))).toEqual([0, 1, 2, 3, 4]);
  });

  it('native Sets and Maps are equal by content whatever their insertion order; Dates by time', () => {
    const enc = (v: unknown) => {
      const c = new IntCollector();
      encodeValue(v, c);
      return c.ints.join(',');
    };
    expect(enc(new Set([1, 2]))).toBe(enc(new Set([2, 1])));
    expect(
      enc(
        new Map([
          ['x', 1],
          ['y', 2],
        ]),
      ),
    ).toBe(
      enc(
        new Map([
          ['y', 2],
          ['x', 1],
        ]),
      ),
    );
    expect(enc(new Set([1, 2]))).not.toBe(enc(new Set([1, 3])));
    // a Set of pairs is not a Map, and neither is a plain object
    expect(enc(new Set([['x', 1]]))).not.toBe(enc(new Map([['x', 1]])));
    expect(enc(new Map([['x', 1]]))).not.toBe(enc({ x: 1 }));
    expect(enc([1, 2])).not.toBe(enc(List([1, 2])));
    expect(enc(new Set([1]))).not.toBe(enc(ImSet([1])));
    expect(enc(new Date(5))).toBe(enc(new Date(5)));
    expect(enc(new Date(5))).not.toBe(enc(new Date(6)));
    expect(enc(10n ** 30n)).not.toBe(enc(10n ** 30n + 1n));
  });

  it('a class instance is refused with the path to it, never merged silently', () => {
    class Vote {
      constructor(readonly yes: boolean) {}
    }
    const model: Model<{ votes: List<Vote> }> = {
      name: 'votes',
      init: [{ votes: List([new Vote(true)]) }],
      actions: [],
      properties: [],
      deadlockIsError: false,
    };
    expect(() => check(model)).toThrow(UnencodableValueError);
    expect(() => check(model)).toThrow(/^state\.votes\[0\]: a Vote \(class instance\)/);
    const fn: Model<{ f: () => void }> = { name: 'fn', init: [{ f: () => {} }], actions: [], properties: [], deadlockIsError: false };
    expect(() => check(fn)).toThrow(/^state\.f: a function/);
  });
});

describe('integers handed to out.int', () => {
  /** states {x} with x in `values`, one step from x0 to each; encoded by x alone */
  const jumps = (values: number[]): Model<{ x: number }> => ({
    name: 'jumps',
    init: [{ x: -1 }],
    actions: values.map((v, i) => action<{ x: number }>({ name: `to${i}`, guard: (s) => s.x === -1, effect: () => ({ x: v }) })),
    properties: [],
    encode: (s, out: IntSink) => out.int(s.x),
    deadlockIsError: false,
  });

  // Regression: out.int once truncated to 32 bits (x | 0): 2^32 and 0 were one state.
  it('takes every safe integer exactly: 0, 2^32, -2^32, 2^53-1 and 1 are five states beside the initial one', () => {
    const r = check(jumps([0, 2 ** 32, -(2 ** 32), Number.MAX_SAFE_INTEGER, 1]));
    expect(r.states).toBe(6);
    expect(check(jumps([0, 2 ** 32]), { exact: true }).states).toBe(3);
  });

  it('refuses a fraction or an unsafe integer, saying what to use instead', () => {
    for (const bad of [0.5, -0.5, 2 ** 53 + 2]) {
      let error: unknown = null;
      try {
        check(jumps([bad]));
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(ModelCodeError);
      expect((error as ModelCodeError).cause).toBeInstanceOf(EncodingRangeError);
      expect((error as ModelCodeError).message).toMatch(/encodeValue/);
    }
  });
});

describe('an encoding that drops a field', () => {
  /** {x, y}: the step flips y; an encode that forgets y merges {0,0} and {0,1} */
  const flip: Model<{ x: number; y: number }> = {
    name: 'flip',
    init: [{ x: 0, y: 0 }],
    actions: [action({ name: 'flipY', guard: () => true, effect: (s: { x: number; y: number }) => ({ ...s, y: 1 - s.y }) })],
    properties: [always('y-is-0', 'y stays 0', (s) => s.y === 0)],
    encode: (s, out) => out.int(s.x),
  };

  // Before: "holds, 1 state" (the two states share an encoding, so y = 1 was never looked at).
  it('is caught before the search, with the two states it merges', () => {
    expect(findEncodingClash(flip, 10)).toEqual({ first: { x: 0, y: 0 }, second: { x: 0, y: 1 } });
    expect(() => check(flip)).toThrow(EncodingClashError);
    // the sample can be switched off: then the merge is the model's contract, and the run "holds"
    expect(check(flip, { encodingSample: 0 }).verdict).toBe('holds');
  });

  it('is caught deep in the search with encodingSample: Infinity, and not by the default sample', () => {
    // y is forgotten only once x reaches 3000, beyond the default sample of 2,000 states
    const late: Model<{ x: number; y: number }> = {
      name: 'late',
      init: [{ x: 0, y: 0 }],
      actions: [
        action({
          name: 'incX',
          guard: (s: { x: number; y: number }) => s.x < 3005,
          effect: (s: { x: number; y: number }) => ({ ...s, x: s.x + 1 }),
        }),
        action({
          name: 'setY',
          guard: (s: { x: number; y: number }) => s.x >= 3000 && s.y === 0,
          effect: (s: { x: number; y: number }) => ({ ...s, y: 1 }),
        }),
      ],
      properties: [],
      encode: (s, out) => {
        out.int(s.x);
        if (s.x < 3000) out.int(s.y);
      },
      deadlockIsError: false,
    };
    expect(findEncodingClash(late, 2000)).toBeNull();
    expect(() => check(late, { encodingSample: Infinity })).toThrow(EncodingClashError);
  });

  it('accepts merges the model declares equivalent (a symmetry), and Immutable values equal by content', () => {
    expect(check({ ...flip, equivalent: (a, b) => a.x === b.x }).verdict).toBe('holds');
    const sets: Model<ImSet<number>> = {
      name: 'sets',
      init: [ImSet([1, 2]), ImSet([2, 1])],
      actions: [],
      properties: [],
      deadlockIsError: false,
    };
    expect(check(sets).states).toBe(1);
  });
});

describe('a malformed model is bad input, not a verdict', () => {
  const base = mapCounter;
  it('two actions, or two properties, with one name', () => {
    const twice = { ...base, actions: [...base.actions, { ...base.actions[0], guard: () => false }] };
    expect(modelProblems(twice)).toEqual(["two actions are named 'inc' (names must be unique)"]);
    expect(() => check(twice)).toThrow(ModelDefinitionError);
    const props = { ...base, properties: [...base.properties, always('below-4', 'again', () => true)] };
    expect(() => check(props)).toThrow(/two properties are named 'below-4'/);
  });

  // Before: "0 distinct states, depth -1": every property held of nothing.
  it('no initial state; a property named deadlock; a function where the model should be', () => {
    expect(() => check({ ...base, init: [] })).toThrow(/`init` is empty/);
    expect(() => check({ ...base, deadlockIsError: true, properties: [always('deadlock', 'mine', () => true)] })).toThrow(
      /the checker's own/,
    );
    expect(modelProblems(() => base)).toEqual(['it is a function, not a model (did you mean to call it and export its result?)']);
  });
});

describe("the model's own code throws", () => {
  /** a counter whose `inc` throws when it gets to 2 */
  const boom = (where: 'guard' | 'effect' | 'property'): Model<number> => ({
    name: 'boom',
    init: [0],
    actions: [
      action<number, { by: number }>({
        name: 'inc',
        params: () => [{ by: 1 }],
        guard: (s) => {
          if (where === 'guard' && s === 2) throw new TypeError('bindings is not iterable');
          return s < 5;
        },
        effect: (s, { by }) => {
          if (where === 'effect' && s === 2) throw new TypeError('Cannot read properties of undefined');
          return s + by;
        },
      }),
    ],
    properties: [
      always('small', 'stays small', (s) => {
        if (where === 'property' && s === 3) throw new RangeError('no such state');
        return s < 100;
      }),
    ],
    deadlockIsError: false,
  });

  it.each(['guard', 'effect'] as const)('in a %s: which action with which parameters, and the shortest run to the state', (where) => {
    let error: unknown;
    try {
      check(boom(where));
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ModelCodeError);
    const e = error as ModelCodeError<number>;
    expect(e.part).toBe(where);
    expect([e.action, e.params]).toEqual(['inc', { by: 1 }]);
    // 0 -> 1 -> 2, where inc throws
    expect(e.trace.map((t) => t.state)).toEqual([0, 1, 2]);
    expect(e.message).toMatch(new RegExp(`^the ${where} of inc\\(by=1\\) threw: TypeError`));
  });

  it('in a property: which property, and the run that reached the state it was tested on', () => {
    let error: unknown;
    try {
      check(boom('property'));
    } catch (e) {
      error = e;
    }
    const e = error as ModelCodeError<number>;
    expect([e.part, e.property]).toEqual(['property', 'small']);
    expect(e.trace.map((t) => t.state)).toEqual([0, 1, 2, 3]);
  });

  it.each([
    ['on worker threads', undefined],
    ['on a late worker thread (the coordinating thread meets the throw itself)', lateWorkers().spawn],
  ])('%s: the same error, the same run', async (_where, spawn) => {
    // the graph model's worker-thread loader cannot take a closure: compare through a module export
    const source = { module: new URL('./boom-model.ts', import.meta.url).href, export: 'boomModel' };
    const { boomModel } = await import('./boom-model.ts');
    const one = (() => {
      try {
        check(boomModel);
      } catch (e) {
        return e as ModelCodeError<number>;
      }
      return null;
    })();
    let many: ModelCodeError<number> | null = null;
    try {
      await checkParallel(source, { workers: 2, parallelFrom: 1, spawn });
    } catch (e) {
      many = e as ModelCodeError<number>;
    }
    expect(many).toBeInstanceOf(ModelCodeError);
    expect([many!.part, many!.action, many!.params, many!.message]).toEqual([one!.part, one!.action, one!.params, one!.message]);
    expect(many!.trace.map((t) => t.state)).toEqual(one!.trace.map((t) => t.state));
  });
});
