// The third soundness round (issue 22): each case here once gave a silent,
// wrong verdict or an internal error on idiomatic model code, and is pinned
// so that it cannot come back. A codec is checked like an encoding; the
// default encoding and equality tell apart what JavaScript can; bindings are
// values (frozen on first sight; fairness keyed by value); params() errors
// are the model's, located. Every expected figure is derived in a comment.
import { describe, expect, it } from 'vitest';
import { List, Record, Stack } from 'immutable';
import {
  action,
  always,
  check,
  checkParallel,
  CodecLossError,
  encodeValue,
  ModelCodeError,
  simulate,
  simulateParallel,
  valueEquals,
  type Model,
  type Params,
} from '../../checker/index.ts';
import { FairnessKeys } from '../../checker/fairness.ts';
import { IntCollector } from '../../checker/fingerprint.ts';
import { forgetfulCodec, lateForgetfulCodec, Ping, pingPong, pingPongQuiet, Pong } from './round-three-models.ts';

const MODELS = new URL('./round-three-models.ts', import.meta.url).href;
const source = (name: string) => ({ module: MODELS, export: name });
const thrown = (run: () => unknown): unknown => {
  try {
    run();
  } catch (e) {
    return e;
  }
  return null;
};
const enc = (v: unknown) => {
  const c = new IntCollector();
  encodeValue(v, c);
  return c.ints.join(',');
};

describe('a codec is checked like an encoding', () => {
  // Before: "holds" (exit 0): the search expanded unpack(pack(s)), in which y is always 0.
  it('a lossy unpack is caught before the search, naming the state, the field and both values', () => {
    const e = thrown(() => check(forgetfulCodec));
    expect(e).toBeInstanceOf(CodecLossError);
    const loss = e as CodecLossError<{ x: number; y: number }>;
    // BFS: {0,0}, then inc {1,0} (round-trips), then flip {0,1}, which comes back as {0,0}: depth 1
    expect([loss.state, loss.unpacked, loss.path, loss.was, loss.became, loss.depth]).toEqual([
      { x: 0, y: 1 },
      { x: 0, y: 0 },
      'state.y',
      '1',
      '0',
      1,
    ]);
    expect(loss.message).toBe(
      "the model's codec loses information: unpack(pack(s)) differs from s at state.y (1 in s, 0 after the round trip), for a state at depth 1",
    );
  });

  it('on worker threads as well (the self-check runs before any worker starts)', async () => {
    await expect(checkParallel(source('forgetfulCodec'), { workers: 2, parallelFrom: 1 })).rejects.toBeInstanceOf(CodecLossError);
  });

  it('the result says what the self-check covered: a sample (the first 2,000 states), or every state', () => {
    // y is lost only from x = 3000 on, beyond the default sample: the run goes through, and says it sampled
    const sampled = check(lateForgetfulCodec);
    // 3,011 states with y = 0 (x = 0..3010) and 11 with y = 1 (x = 3000..3010)
    expect(sampled.states).toBe(3022);
    expect(sampled.encodingCheck).toEqual({ states: 2000, limit: 2000, complete: false, codec: true });
    // every state (--check-encoding): caught, at the first flip, x = 3000 (depth 3001)
    const e = thrown(() => check(lateForgetfulCodec, { encodingSample: Infinity }));
    // (and without the loss, every state is covered: no limit, said as null, which JSON can hold)
    const { codec: _lossy, ...uncoded } = lateForgetfulCodec;
    expect(check(uncoded, { encodingSample: Infinity }).encodingCheck).toEqual({ states: 3022, limit: null, complete: true, codec: false });
    expect(e).toBeInstanceOf(CodecLossError);
    expect((e as CodecLossError).depth).toBe(3001);
    // a sample that covers every state says so
    expect(check(pingPong).encodingCheck).toEqual({ states: 6, limit: 2000, complete: true, codec: true });
    expect(check(pingPong, { encodingSample: 0 }).encodingCheck).toEqual({ states: 0, limit: 0, complete: false, codec: false });
  });
});

describe('the default encoding and equality tell apart what JavaScript can', () => {
  // Before: Pong(0) and Ping(0) were one state ("Record" and n = 0): 1 state, no violation.
  it('two Record types with the same name and fields are two types: a model that tells messages apart with instanceof', async () => {
    const r = check(pingPong);
    // Ping0, Pong0, Ping1, Pong1, Ping2, Pong2: the last breaks no-pong-2, after 5 steps
    expect([r.verdict, r.property, r.trace.length - 1, r.states]).toEqual(['violated', 'no-pong-2', 5, 6]);
    expect(r.trace.map((t) => `${t.state instanceof Pong ? 'Pong' : 'Ping'}${t.state.n}`)).toEqual([
      'Ping0',
      'Pong0',
      'Ping1',
      'Pong1',
      'Ping2',
      'Pong2',
    ]);
    expect(valueEquals(Ping(), Pong())).toBe(false);
    expect(valueEquals(Ping({ n: 1 }), Ping({ n: 1 }))).toBe(true);
    expect(enc(Ping())).not.toBe(enc(Pong()));
    expect(enc(Ping({ n: 1 }))).toBe(enc(Ping({ n: 1 })));
    // worker threads could meet the two types in another order: the search keeps to one thread, with the same result
    const many = await checkParallel(source('pingPong'), { workers: 2, parallelFrom: 1 });
    const { elapsedMs: _a, visitedBytes: _b, peakFrontierBytes: _c, ...one } = r;
    expect(many).toMatchObject({ ...one, workers: 1 });
    // simulate's walks count distinct states by fingerprint too: they keep to one thread, with the one-thread result
    const options = { seed: 1, runs: 50 };
    const walked = await simulateParallel(source('pingPongQuiet'), { ...options, workers: 2, parallelAfterMs: 0 });
    const { elapsedMs: _d, visitedBytes: _e, ...alone } = simulate(pingPongQuiet, options);
    expect([walked.verdict, walked.states]).toEqual(['none-found', 6]);
    expect(walked).toMatchObject({ ...alone, workers: 1 });
  });

  // Before: "holds, 1 state": -0 encoded as 0, and `target === state` took it for a self-loop.
  it('-0 is not 0', () => {
    const negate: Model<number> = {
      name: 'negate',
      init: [0],
      actions: [action<number>({ name: 'negate', guard: () => true, effect: (s) => -s })],
      properties: [always('no-negative-zero', 'the state is never -0', (s) => !Object.is(s, -0))],
    };
    const r = check(negate);
    expect([r.verdict, r.trace.length - 1, r.states]).toEqual(['violated', 1, 2]);
    expect(Object.is(r.trace[1].state, -0)).toBe(true);
    expect(valueEquals(-0, 0)).toBe(false);
    expect(valueEquals({ z: -0 }, { z: 0 })).toBe(false);
    expect(valueEquals(Number.NaN, Number.NaN)).toBe(true);
    expect(enc(-0)).not.toBe(enc(0));
    expect(enc([-0])).not.toBe(enc([0]));
  });

  it('a hole is not undefined; a List is not a Stack; an object without a prototype is not a plain one', () => {
    const bare = Object.assign(Object.create(null) as object, { a: 1 });
    // biome-ignore lint/suspicious/noSparseArray: the hole is the point
    const holed = [, 1];
    const pairs: [unknown, unknown][] = [
      [holed, [undefined, 1]],
      [List([1]), Stack([1])],
      [bare, { a: 1 }],
    ];
    for (const [a, b] of pairs) {
      expect(valueEquals(a, b)).toBe(false);
      expect(enc(a)).not.toBe(enc(b));
    }
    // Before: every() skips holes, so [, 1] equalled [2, 1]
    expect(valueEquals(holed, [2, 1])).toBe(false);
    // and what is the same value still is
    // biome-ignore lint/suspicious/noSparseArray: the hole is the point
    expect(valueEquals(holed, [, 1])).toBe(true);
    expect(valueEquals(Stack([1, 2]), Stack([1, 2]))).toBe(true);
    expect(enc(Object.assign(Object.create(null) as object, { a: 1 }))).toBe(enc(bare));
  });

  it('a Record of another type where its fields differ, in a message: the path to the first difference', () => {
    const OtherPong = Record({ n: 0 });
    const e = thrown(() =>
      check({
        ...pingPong,
        codec: { pack: (s, out) => out.int(s.n), unpack: (ints, at) => (ints[at] === 0 ? Ping() : OtherPong({ n: ints[at] })) },
      }),
    );
    // Pong(0) comes back as Ping(0): another type, so the difference is the whole state
    expect(e).toBeInstanceOf(CodecLossError);
    expect((e as CodecLossError).path).toBe('state');
  });
});

describe('bindings are values', () => {
  /** u moves to each of `to`; its params() hands out one object, changed between yields */
  const mover = (reuse: boolean): Model<number> => ({
    name: 'mover',
    init: [0],
    actions: [
      action<number, { to: number }>({
        name: 'move',
        params: reuse
          ? function* () {
              const b = { to: 0 };
              for (const to of [1, 2]) {
                b.to = to;
                yield b;
              }
            }
          : () => [{ to: 1 }, { to: 2 }],
        guard: (s, { to }) => s !== to,
        effect: (_s, { to }) => to,
        fairness: 'weak',
      }),
    ],
    properties: [],
    deadlockIsError: false,
  });

  // Before: the second binding took the first one's fairness instance (keys were cached per object).
  it('a params() that changes a binding it handed out gets a TypeError at its line, as a located model error', () => {
    expect(check(mover(false)).verdict).toBe('holds');
    const e = thrown(() => check(mover(true)));
    expect(e).toBeInstanceOf(ModelCodeError);
    const m = e as ModelCodeError<number>;
    expect([m.part, m.action, m.trace.map((t) => t.state)]).toEqual(['params', 'move', [0]]);
    expect(m.cause).toBeInstanceOf(TypeError);
    expect(m.message).toMatch(
      /^the params\(\) of action move threw: TypeError: Cannot assign to read only property 'to' of object .* \(the checker freezes each binding params\(\) hands out: bindings are values, so hand out a new object for each one\)$/,
    );
  });

  it('the same object twice in a row, a binding that is not an object: located model errors', () => {
    const same = { to: 1 };
    const twice = thrown(() =>
      check({ ...mover(false), actions: [{ ...mover(false).actions[0], params: () => [same, same] }] as Model<number>['actions'] }),
    );
    expect((twice as ModelCodeError).message).toMatch(/params\(\) handed out the same binding object twice in a row \(\{"to":1\}\)/);
    const scalar = thrown(() =>
      check({ ...mover(false), actions: [{ ...mover(false).actions[0], params: () => [1] }] as Model<number>['actions'] }),
    );
    expect((scalar as ModelCodeError).message).toMatch(/params\(\) handed out 1, not an object of parameters/);
  });

  it('fairness is keyed by value: a binding changed since its key was made gets its own key', () => {
    const keys = new FairnessKeys({ actions: [{ name: 'move', guard: () => true, effect: (s: number) => s, fairness: 'weak' }] });
    const b: { [key: string]: number } = { to: 1 };
    const first = keys.key(0, b as Params);
    b.to = 2;
    // Before: the key made for {to: 1} was kept for the object
    expect(keys.key(0, b as Params)).not.toBe(first);
    expect(keys.key(0, Object.freeze({ to: 2 }))).toBe(keys.key(0, b as Params));
  });
});

describe("params() errors are the model's, located (exit 5, not an internal error)", () => {
  const withParams = (params: () => unknown): Model<number> => ({
    name: 'params',
    init: [0],
    actions: [
      action<number>({ name: 'inc', guard: (s) => s < 2, effect: (s) => s + 1 }),
      { name: 'odd', params: params as () => Iterable<Params>, guard: () => false, effect: (s: number) => s },
    ],
    properties: [],
    deadlockIsError: false,
  });

  // Before: `for (const p of 5)` threw outside any wrapping: "internal error" (exit 4).
  it.each([
    ['returns a number', () => 5, /params\(\) returned 5, not an iterable of bindings/],
    ['returns null', () => null, /params\(\) returned null, not an iterable/],
    [
      'throws while iterated',
      function* () {
        yield { k: 1 };
        throw new RangeError('ran out of keys');
      },
      /RangeError: ran out of keys/,
    ],
  ])('params() that %s: a ModelCodeError naming the action, at the first state', (_what, params, message) => {
    const e = thrown(() => check(withParams(params)));
    expect(e).toBeInstanceOf(ModelCodeError);
    const m = e as ModelCodeError<number>;
    expect([m.part, m.action, m.trace.map((t) => t.state)]).toEqual(['params', 'odd', [0]]);
    expect(m.message).toMatch(/^the params\(\) of action odd threw: /);
    expect(m.message).toMatch(message);
  });
});
