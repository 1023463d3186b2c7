// Small models whose random-walk answers are known exactly, for the
// simulation's tests (specs/checker/simulate.test.ts). Module exports, so
// that worker threads build the same models (a ModelSource names them).
import { action, always, alwaysStep, leadsTo, sometimes, type IntSink, type Model } from '../../checker/index.ts';

/**
 * A ladder: c goes up one rung (`up`, while c < k) or falls back to 0 (`fall`,
 * one transition per i in 1..m-1, always enabled): in every state below k
 * exactly m transitions are enabled, one of them `up`. The bug: c reaches k.
 * Uniform walks climb a rung with probability 1/m a step; with weights
 * {up: u} (the falls weigh 1), u / (u + m - 1).
 */
export function ladderModel(k: number, m: number): Model<number> {
  return {
    name: `ladder k=${k} m=${m}`,
    init: [0],
    actions: [
      action<number>({ name: 'up', guard: (c) => c < k, effect: (c) => c + 1 }),
      action<number, { i: number }>({
        name: 'fall',
        params: () => Array.from({ length: m - 1 }, (_, j) => ({ i: j + 1 })),
        guard: () => true,
        effect: () => 0,
      }),
    ],
    properties: [always('below-top', `c stays below ${k}`, (c) => c < k), sometimes('halfway', 'c reaches half way', (c) => 2 * c >= k)],
    encode: (c: number, out: IntSink) => out.int(c),
    codec: { pack: (c: number, out: IntSink) => out.int(c), unpack: (ints: Int32Array, at: number) => ints[at] },
    deadlockIsError: false,
  };
}

/**
 * The exact probability that a uniform walk of at most `steps` steps on
 * ladderModel(k, m) (climbing with probability `up` a step) reaches k: the
 * distribution of c after each step, with k absorbing.
 */
export function ladderProbability(k: number, steps: number, up: number): number {
  let dist = new Array<number>(k + 1).fill(0);
  dist[0] = 1;
  for (let t = 0; t < steps; t++) {
    const next = new Array<number>(k + 1).fill(0);
    next[k] = dist[k];
    for (let c = 0; c < k; c++) {
      next[c + 1] += dist[c] * up;
      next[0] += dist[c] * (1 - up);
    }
    dist = next;
  }
  return dist[k];
}

export interface Counter {
  readonly x: number;
  readonly y: number;
  readonly flag: boolean;
}

/**
 * A counter among noise: `inc` and `dec` move x (0..9), `bump` cycles y
 * through 0..2, `flip` toggles a flag. The bug: x reaches 4. A walk gets
 * there with noise and detours; the shortest run is inc four times, and
 * nothing shorter or simpler reaches it.
 */
export const noisyCounter: Model<Counter> = {
  name: 'noisy counter',
  init: [{ x: 0, y: 0, flag: false }],
  actions: [
    action<Counter>({ name: 'inc', guard: (s) => s.x < 9, effect: (s) => ({ ...s, x: s.x + 1 }) }),
    action<Counter>({ name: 'dec', guard: (s) => s.x > 0, effect: (s) => ({ ...s, x: s.x - 1 }) }),
    action<Counter>({ name: 'bump', guard: () => true, effect: (s) => ({ ...s, y: (s.y + 1) % 3 }) }),
    action<Counter>({ name: 'flip', guard: () => true, effect: (s) => ({ ...s, flag: !s.flag }) }),
  ],
  properties: [always('x-below-4', 'x stays below 4', (s) => s.x < 4)],
  codec: {
    pack: (s: Counter, out: IntSink) => {
      out.int(s.x);
      out.int(s.y);
      out.int(s.flag ? 1 : 0);
    },
    unpack: (ints: Int32Array, at: number) => ({ x: ints[at], y: ints[at + 1], flag: ints[at + 2] === 1 }),
  },
};

/**
 * A shortcut no dropping of steps finds: from 0, `inc` climbs one at a time,
 * and `jump` (declared after inc, so lowering a step never tries it instead
 * of an inc) goes straight to 3, from 0 only. The bug: 4. A walk that climbs
 * inc, inc, inc, inc cannot lose a step; a search from the initial state
 * finds jump, inc.
 */
export const shortcut: Model<number> = {
  name: 'shortcut',
  init: [0],
  actions: [
    action<number>({ name: 'inc', guard: (x) => x < 9, effect: (x) => x + 1 }),
    action<number>({ name: 'jump', guard: (x) => x === 0, effect: () => 3 }),
    action<number>({ name: 'stay', guard: () => true, effect: (x) => x }),
  ],
  properties: [always('below-4', 'x stays below 4', (x) => x < 4)],
  deadlockIsError: false,
};

/**
 * A transition invariant: `up` adds 1 or 2, `down` takes 3 away once the
 * level is at 5 or more; "the level never goes down" fails on the first
 * `down`; its shortest runs take three ups to 5 first, and the first of them
 * in the model's order (bindings by 1 before by 2) is up(1), up(2), up(2), down.
 */
export const neverDown: Model<number> = {
  name: 'never down',
  init: [0],
  actions: [
    action<number, { by: number }>({
      name: 'up',
      params: () => [{ by: 1 }, { by: 2 }],
      guard: (v) => v < 8,
      effect: (v, { by }) => v + by,
    }),
    action<number>({ name: 'down', guard: (v) => v >= 5, effect: (v) => v - 3 }),
  ],
  properties: [alwaysStep<number>('never-down', 'the level never goes down', (step, to) => to >= step.from)],
  deadlockIsError: false,
};

/** A walk into a dead end: `step` moves 0 → 1 → 2 → 3, `back` goes 1 → 0; nothing leaves 3 (a deadlock, 3 steps from the start). */
export const deadEnd: Model<number> = {
  name: 'dead end',
  init: [0],
  actions: [
    action<number>({ name: 'step', guard: (x) => x < 3, effect: (x) => x + 1 }),
    action<number>({ name: 'back', guard: (x) => x === 1, effect: () => 0 }),
  ],
  properties: [],
};

/** The model's code throws: `inc`'s effect at 3 (reached in 3 steps at the soonest). */
export const throwsAtThree: Model<number> = {
  name: 'throws at three',
  init: [0],
  actions: [
    action<number>({
      name: 'inc',
      guard: (x) => x < 5,
      effect: (x) => {
        if (x === 3) throw new RangeError('three is too many');
        return x + 1;
      },
    }),
    action<number>({ name: 'reset', guard: (x) => x > 0, effect: () => 0 }),
  ],
  properties: [],
  deadlockIsError: false,
};

/**
 * A liveness bug a walk closes as a lasso: from `waiting`, `serve` (weakly
 * fair) leads to `served`; `poke` (weakly fair too) goes from `waiting` to
 * `stuck`, where only `idle` (a weakly fair self-loop) is enabled. "waiting
 * leads to served" fails on the fair behaviour waiting, poke, idle forever.
 */
export type Desk = 'waiting' | 'served' | 'stuck';
export const desk: Model<Desk> = {
  name: 'desk',
  init: ['waiting'],
  actions: [
    action<Desk>({ name: 'serve', guard: (s) => s === 'waiting', effect: () => 'served', fairness: 'weak' }),
    action<Desk>({ name: 'poke', guard: (s) => s === 'waiting', effect: () => 'stuck', fairness: 'weak' }),
    action<Desk>({ name: 'idle', guard: (s) => s === 'stuck', effect: (s) => s, fairness: 'weak' }),
    action<Desk>({ name: 'again', guard: (s) => s === 'served', effect: () => 'waiting', fairness: 'weak' }),
  ],
  properties: [
    leadsTo<Desk>(
      'waiting-served',
      'a waiting customer is served',
      (s) => s === 'waiting',
      (s) => s === 'served',
    ),
  ],
};
