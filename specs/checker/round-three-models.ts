// Models of the third soundness round (specs/checker/round-three.test.ts,
// specs/checker/step-properties.test.ts), as module exports so that worker
// threads can build them too. Each one once got a wrong verdict: what the
// truth is, and what went wrong, is in its comment.
import { Record } from 'immutable';
import { action, always, alwaysStep, type IntSink, type Model } from '../../checker/index.ts';

// ---------------------------------------------------------------- a lossy codec

export interface XY {
  readonly x: number;
  readonly y: number;
}

/**
 * flip toggles y; inc adds 1 to x (and clears y) from x = 0, or where y = 1.
 * The truth: {0,0} -inc-> {1,0} -flip-> {1,1} -inc-> {2,0}, which breaks x < 2
 * after 3 steps. The codec forgets y (unpacks y = 0): a search that expands
 * unpacked states never sees y = 1 again, and said "holds".
 */
export const forgetfulCodec: Model<XY> = {
  name: 'forgetful-codec',
  init: [{ x: 0, y: 0 }],
  actions: [
    action<XY>({ name: 'inc', guard: (s) => (s.x === 0 || s.y === 1) && s.x < 3, effect: (s) => ({ x: s.x + 1, y: 0 }) }),
    action<XY>({ name: 'flip', guard: () => true, effect: (s) => ({ ...s, y: 1 - s.y }) }),
  ],
  properties: [always('x-below-2', 'x stays below 2', (s) => s.x < 2)],
  codec: { pack: (s, out) => out.int(s.x), unpack: (ints, at) => ({ x: ints[at], y: 0 }) },
  deadlockIsError: false,
};

/** The same, but the codec is exact below x = 3000, and the steps go there first: only a self-check of every state sees the loss. */
export const lateForgetfulCodec: Model<XY> = {
  name: 'late-forgetful-codec',
  init: [{ x: 0, y: 0 }],
  actions: [
    action<XY>({ name: 'inc', guard: (s) => s.x < 3010, effect: (s) => ({ x: s.x + 1, y: 0 }) }),
    action<XY>({ name: 'flip', guard: (s) => s.x >= 3000, effect: (s) => ({ ...s, y: 1 - s.y }) }),
  ],
  properties: [],
  codec: {
    pack: (s, out: IntSink) => {
      out.int(s.x);
      out.int(s.y);
    },
    unpack: (ints, at) => ({ x: ints[at], y: ints[at] >= 3000 ? 0 : ints[at + 1] }),
  },
  deadlockIsError: false,
};

// ---------------------------------------------------------------- two Record types of one name

/** Two message types with the same (default) name, fields and defaults: only `instanceof` tells them apart. */
export const Ping = Record({ n: 0 });
export const Pong = Record({ n: 0 });
export type Msg = ReturnType<typeof Ping> | ReturnType<typeof Pong>;

/**
 * Ping(n) is answered by Pong(n), Pong(n) by Ping(n + 1), up to n = 2. The
 * truth: Pong(2) after 5 steps. The default encoding wrote a Record as its
 * type's name ("Record" for both) and its fields: Pong(0) was Ping(0), so the
 * search stopped at one state.
 */
export const pingPong: Model<Msg> = {
  name: 'ping-pong',
  init: [Ping()],
  actions: [
    action<Msg>({ name: 'answer', guard: (s) => s instanceof Ping, effect: (s) => Pong({ n: s.n }) }),
    action<Msg>({ name: 'again', guard: (s) => s instanceof Pong && s.n < 2, effect: (s) => Ping({ n: s.n + 1 }) }),
  ],
  properties: [always('no-pong-2', 'Pong(2) is never sent', (s) => !(s instanceof Pong && s.n === 2))],
  // a codec, so that the parallel search would run on workers (it keeps to one thread: the states hold Records)
  codec: {
    pack: (s, out) => out.int(2 * s.n + (s instanceof Pong ? 1 : 0)),
    unpack: (ints, at) => (ints[at] % 2 === 1 ? Pong({ n: (ints[at] - 1) / 2 }) : Ping({ n: ints[at] / 2 })),
  },
  deadlockIsError: false,
};

/** pingPong with no property: its walks go to Pong(2) and stop there, violating nothing. */
export const pingPongQuiet: Model<Msg> = { ...pingPong, name: 'ping-pong, no property', properties: [] };

// ---------------------------------------------------------------- step properties

/**
 * A counter 0..3 that wraps to 0. "It never decreases" is a property of a
 * step: the wrap (3 -> 0, into a known state) breaks it, after 4 steps. As
 * an `always` reading its (always undefined) step, it "held".
 */
export const wrappingCounter: Model<number> = {
  name: 'wrapping-counter',
  init: [0],
  actions: [
    action<number>({ name: 'inc', guard: (s) => s < 3, effect: (s) => s + 1 }),
    action<number>({ name: 'wrap', guard: (s) => s === 3, effect: () => 0 }),
  ],
  properties: [alwaysStep('never-decreases', 'the counter never goes down', (step, to) => to >= step.from)],
  codec: { pack: (s, out) => out.int(s), unpack: (ints, at) => ints[at] },
};

/** A self-loop (the effect returns its own state) is a step too: `stay` breaks "nothing stays", at step 1. */
export const stayingCounter: Model<number> = {
  name: 'staying-counter',
  init: [0],
  actions: [
    action<number>({ name: 'inc', guard: (s) => s < 2, effect: (s) => s + 1 }),
    action<number>({ name: 'stay', guard: (s) => s === 1, effect: (s) => s }),
  ],
  properties: [alwaysStep('nothing-stays', 'every step changes the counter', (step, to) => to !== step.from)],
  codec: { pack: (s, out) => out.int(s), unpack: (ints, at) => ints[at] },
  deadlockIsError: false,
};
