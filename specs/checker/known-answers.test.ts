// The checker against small models whose answers are known exactly: each
// figure below (distinct states, trace length, the trace itself) is derived
// by hand in a comment, or by a plain enumeration written here, never taken
// from the checker. The tie-break between equally short traces is the
// checker's documented one: BFS in discovery order, each state's transitions
// in action declaration order, then in the order an action's `params` yields.
import { describe, expect, it } from 'vitest';
import { is, OrderedSet } from 'immutable';
import {
  action,
  always,
  check,
  replay,
  sometimes,
  type CheckOptions,
  type CheckResult,
  type Model,
  type TraceStep,
} from '../../checker/index.ts';
import dieHard, { type Jugs } from '../../examples/die-hard.ts';
import peterson from '../../examples/peterson.ts';
import naiveMutex from '../../examples/naive-mutex.ts';

// ---------------------------------------------------------------------------------------------
// helpers

/** The model with its `always` properties dropped: a full exploration. */
function withoutInvariants<S>(model: Model<S>): Model<S> {
  return { ...model, properties: model.properties.filter((p) => p.kind === 'sometimes') };
}

/** A result minus its wall-clock time: what must not change between runs and visited-set modes. */
/** The result without its resource figures (time, and the visited set's bytes, which depend on the mode). */
function stable<S>(r: CheckResult<S>): Omit<CheckResult<S>, 'elapsedMs' | 'visitedBytes'> {
  const { elapsedMs: _time, visitedBytes: _bytes, ...rest } = r;
  return rest;
}

/** The trace's steps as (action, params), without the initial state. */
function stepsOf<S>(trace: readonly TraceStep<S>[]) {
  return trace.slice(1).map((t) => ({ action: t.action!, params: t.params }));
}

function propertyOf<S>(r: CheckResult<S>, name: string) {
  return r.properties.find((p) => p.name === name);
}

const jugs = (r: CheckResult<Jugs>) => r.trace.map((t) => [t.state.small, t.state.big]);

// ---------------------------------------------------------------------------------------------
// a counter that wraps: count goes up by 1 or 2 modulo 8 (a 3-bit counter), and `prev`
// remembers the value before the last step. The claim "it only grows" (count >= prev)
// breaks at the first wrap-around.

interface Counter {
  readonly count: number;
  readonly prev: number;
}
const WRAP = 8;
const counter: Model<Counter> = {
  name: 'wrapping-counter',
  init: [{ count: 0, prev: 0 }],
  actions: [
    action<Counter, { by: number }>({
      name: 'inc',
      params: () => [{ by: 1 }, { by: 2 }],
      guard: () => true,
      effect: (s, { by }) => ({ count: (s.count + by) % WRAP, prev: s.count }),
    }),
  ],
  properties: [always('only-grows', 'the counter never goes down', (s) => s.count >= s.prev)],
};

// ---------------------------------------------------------------------------------------------
// a chain with a shortcut: 0 -> 1 -> 2 -> 3 -> 4 -> 5 by `slow`, and 0 -> 4 by `jump`; 5 is terminal.

const chain: Model<number> = {
  name: 'chain',
  init: [0],
  actions: [
    { name: 'slow', guard: (n) => n < 5, effect: (n) => n + 1 },
    { name: 'jump', guard: (n) => n === 0, effect: () => 4 },
  ],
  properties: [],
};

describe('Die Hard (examples/die-hard.ts)', () => {
  // Hand BFS from (small, big) = (0, 0), transitions in the order fill(small), fill(big),
  // empty(small), empty(big), pour(small->big), pour(big->small); only new states listed:
  //   depth 0: (0,0)
  //   depth 1: (3,0) fill small, (0,5) fill big
  //   depth 2: from (3,0): (3,5) fill big, (0,3) pour s->b;   from (0,5): (3,2) pour b->s
  //   depth 3: from (0,3): (3,3) fill small;                  from (3,2): (0,2) empty small
  //   depth 4: from (3,3): (1,5) pour s->b;                   from (0,2): (2,0) pour b->s
  //   depth 5: from (1,5): (1,0) empty big;                   from (2,0): (2,5) fill big
  //   depth 6: from (1,0): (0,1) pour s->b;                   from (2,5): (3,4) pour b->s  <- big = 4
  //   depth 7: from (0,1): (3,1) fill small;                  from (3,4): (0,4) empty small
  // The violation (3,4) is discovered at depth 6 right after (0,1): 1+2+3+2+2+2+2 = 14 states
  // known then. Without the invariant the search goes on to depth 7 and ends: 16 states, which
  // are exactly the pairs with a jug empty or full (every action leaves one so):
  // small in {0,3}: 2*6 = 12, plus small in {1,2} with big in {0,5}: 4; 16 of the 24 pairs.
  const result = check(dieHard);

  it('is violated by the shortest solution: 6 steps, this exact tie-broken sequence', () => {
    expect(result.verdict).toBe('violated');
    expect(result.property).toBe('big-jug-not-4');
    expect(result.trace.length - 1).toBe(6);
    expect(result.depth).toBe(6);
    expect(stepsOf(result.trace)).toEqual([
      { action: 'fill', params: { jug: 'big' } },
      { action: 'pour', params: { from: 'big', to: 'small' } },
      { action: 'empty', params: { jug: 'small' } },
      { action: 'pour', params: { from: 'big', to: 'small' } },
      { action: 'fill', params: { jug: 'big' } },
      { action: 'pour', params: { from: 'big', to: 'small' } },
    ]);
    expect(jugs(result)).toEqual([
      [0, 0],
      [0, 5],
      [3, 2],
      [0, 2],
      [2, 0],
      [2, 5],
      [3, 4],
    ]);
    expect(result.trace[0].action).toBeNull();
    expect(result.trace[0].params).toEqual({});
  });

  it('knows 14 states when it finds the violation, and the property figures', () => {
    expect(result.states).toBe(14);
    expect(result.limit).toBeNull();
    expect(propertyOf(result, 'big-jug-not-4')).toMatchObject({ status: 'violated', depth: 6 });
    // pour(small->big) from (3,2) gives (0,5) at depth 3; the first pour into a full big jug
    expect(propertyOf(result, 'pour-fills-big')).toMatchObject({ status: 'reached', depth: 3 });
    expect(propertyOf(result, 'deadlock')).toMatchObject({ status: 'unknown' });
    expect(result.vacuity).toEqual({ unreachedWitnesses: [], unfiredActions: [] });
  });

  it('has exactly 16 reachable states, 7 levels deep', () => {
    const full = check(withoutInvariants(dieHard));
    expect(full.verdict).toBe('holds');
    expect(full.states).toBe(16);
    expect(full.depth).toBe(7);
    // cross-check: a plain enumeration of (small, big) pairs, written independently
    const seen = new Set<string>(['0,0']);
    const queue: [number, number][] = [[0, 0]];
    let transitions = 0;
    while (queue.length > 0) {
      const [s, b] = queue.shift()!;
      const next: [number, number][] = [];
      if (s < 3) next.push([3, b]);
      if (b < 5) next.push([s, 5]);
      if (s > 0) next.push([0, b]);
      if (b > 0) next.push([s, 0]);
      if (s > 0 && b < 5) next.push([s - Math.min(s, 5 - b), b + Math.min(s, 5 - b)]);
      if (b > 0 && s < 3) next.push([s + Math.min(b, 3 - s), b - Math.min(b, 3 - s)]);
      transitions += next.length;
      for (const n of next)
        if (!seen.has(`${n}`)) {
          seen.add(`${n}`);
          queue.push(n);
        }
    }
    expect(seen.size).toBe(16);
    expect(full.transitions).toBe(transitions);
    expect(
      [...seen].every((k) => {
        const [s, b] = k.split(',').map(Number);
        return s === 0 || s === 3 || b === 0 || b === 5;
      }),
    ).toBe(true);
  });

  it('replays its trace through replay() to the same final state, violating at the last step', () => {
    const replayed = replay(dieHard, stepsOf(result.trace), result.trace[0].state);
    expect(replayed.ok).toBe(true);
    if (!replayed.ok) return;
    expect(replayed.trace).toHaveLength(result.trace.length);
    for (const [i, t] of replayed.trace.entries()) expect(is(t.state, result.trace[i].state)).toBe(true);
    expect(replayed.violation).toEqual({ property: 'big-jug-not-4', step: 6 });
  });
});

describe('Peterson (examples/peterson.ts)', () => {
  // An independent enumeration over (pc0, pc1, turn), pc 0 idle, 1 flagged, 2 waiting,
  // 3 critical; flag[p] is exactly "pc[p] != idle", so it adds no states. By hand: of the
  // 4*4*2 = 32 triples, 20 are reachable:
  //   both in {idle, flagged}: all 4 pc pairs with either turn              8
  //   one in {waiting, critical}, the other in {idle, flagged}: the turn is
  //     the other's (the waiter gave it away, the other has not since)      8
  //   both in {waiting, critical}: (w,w,0), (w,w,1), (w,c,1), (c,w,0)       4
  function enumerate() {
    const depthOf = new Map<string, number>([['0,0,0', 0]]);
    const queue: number[][] = [[0, 0, 0]];
    let transitions = 0;
    let contentionDepth = Infinity;
    while (queue.length > 0) {
      const [a, b, turn] = queue.shift()!;
      const d = depthOf.get(`${a},${b},${turn}`)!;
      for (const p of [0, 1]) {
        const pc = [a, b];
        const q = 1 - p;
        let t = turn;
        if (pc[p] === 0) pc[p] = 1;
        else if (pc[p] === 1) {
          pc[p] = 2;
          t = q;
        } else if (pc[p] === 2) {
          if (pc[q] !== 0 && turn !== p) continue;
          pc[p] = 3;
        } else pc[p] = 0;
        transitions++;
        const key = `${pc[0]},${pc[1]},${t}`;
        if (pc[0] === 2 && pc[1] === 2) contentionDepth = Math.min(contentionDepth, d + 1);
        if (!depthOf.has(key)) {
          depthOf.set(key, d + 1);
          queue.push([pc[0], pc[1], t]);
        }
      }
    }
    return { states: depthOf.size, transitions, depth: Math.max(...depthOf.values()), contentionDepth, depthOf };
  }
  const expected = enumerate();
  const result = check(peterson);

  it('holds with 20 distinct states (the count an independent enumeration gives)', () => {
    expect(expected.states).toBe(20);
    expect(expected.depthOf.has('3,3,0') || expected.depthOf.has('3,3,1')).toBe(false);
    expect(result.verdict).toBe('holds');
    expect(result.property).toBeNull();
    expect(result.states).toBe(expected.states);
    expect(result.transitions).toBe(expected.transitions);
    expect(result.depth).toBe(expected.depth);
    expect(result.trace).toEqual([]);
  });

  it('reaches contention at depth 4 (two steps each to waiting) and has no deadlock', () => {
    expect(expected.contentionDepth).toBe(4);
    expect(propertyOf(result, 'contention')).toMatchObject({ status: 'reached', depth: 4 });
    expect(propertyOf(result, 'mutual-exclusion')).toMatchObject({ status: 'holds' });
    expect(propertyOf(result, 'deadlock')).toMatchObject({ status: 'holds' });
    expect(Object.values(result.coverage).every((n) => n > 0)).toBe(true);
  });
});

describe('naive mutex (examples/naive-mutex.ts)', () => {
  // Both processes must be critical, and each needs two steps (check, enter) to get there:
  // at least 4 steps, and check(0), check(1), enter(0), enter(1) does it. Hand BFS
  // (pc0 pc1; i idle, c checked, C critical; only new states):
  //   depth 0: ii    depth 1: ci (check 0), ic (check 1)
  //   depth 2: from ci: cc (check 1), Ci (enter 0); from ic: iC (enter 1)
  //   depth 3: from cc: Cc (enter 0), cC (enter 1); Ci and iC only lead back to ii
  //   depth 4: from Cc: CC (enter 1)  <- violation, the 9th state
  const result = check(naiveMutex);

  it('is violated after 4 steps: check(0), check(1), enter(0), enter(1)', () => {
    expect(result.verdict).toBe('violated');
    expect(result.property).toBe('mutual-exclusion');
    expect(result.trace.length - 1).toBe(4);
    expect(stepsOf(result.trace)).toEqual([
      { action: 'check', params: { p: 0 } },
      { action: 'check', params: { p: 1 } },
      { action: 'enter', params: { p: 0 } },
      { action: 'enter', params: { p: 1 } },
    ]);
    expect(result.states).toBe(9);
    expect(result.trace[4].state).toEqual({ pc: ['critical', 'critical'], flag: [true, true] });
  });

  it('replays its trace to the same final state', () => {
    const replayed = replay(naiveMutex, stepsOf(result.trace));
    expect(replayed.ok && replayed.trace.map((t) => t.state)).toEqual(result.trace.map((t) => t.state));
    expect(replayed.ok && replayed.violation).toEqual({ property: 'mutual-exclusion', step: 4 });
  });
});

describe('a 3-bit counter that wraps around', () => {
  // States (count, prev). Without the invariant: the initial (0,0) and, for each prev in
  // 0..7 (every value is reachable as a count), count = prev+1 or prev+2 mod 8: 1 + 8*2 = 17
  // states, 2 transitions each = 34. A count value v is first reached after
  // 0,1,1,2,2,3,3,4 steps (v = 0..7), so (0,7) and (1,7) are the deepest, at 4+1 = 5.
  // With the invariant: a step goes down only if it wraps (prev + by >= 8); within k steps
  // the count is at most 2k, so the first wrap takes 4 steps, all by 2: 0,2,4,6,0.
  // Hand BFS, states (count,prev): depth 1 (1,0) (2,0); depth 2 (2,1) (3,1) (3,2) (4,2);
  // depth 3 (4,3) (5,3) (5,4) (6,4); depth 4 (6,5) (7,5) then (7,6) and (0,6) from (6,4):
  // 1+2+4+4+4 = 15 states when (0,6) is found.
  it('is violated at the first wrap: 4 steps of inc(by=2), 15 states known', () => {
    const r = check(counter);
    expect(r.verdict).toBe('violated');
    expect(r.property).toBe('only-grows');
    expect(r.trace.length - 1).toBe(4);
    expect(stepsOf(r.trace)).toEqual(Array(4).fill({ action: 'inc', params: { by: 2 } }));
    expect(r.trace.map((t) => t.state.count)).toEqual([0, 2, 4, 6, 0]);
    expect(r.states).toBe(15);
    expect(propertyOf(r, 'only-grows')).toMatchObject({ status: 'violated', depth: 4 });
  });

  it('has 17 states, 34 transitions, 5 levels without the invariant', () => {
    const r = check(withoutInvariants(counter));
    expect(r).toMatchObject({ verdict: 'holds', states: 17, transitions: 34, depth: 5, coverage: { inc: 34 } });
  });
});

describe('deadlock', () => {
  // 0 -jump-> 4 -slow-> 5 is the shortest way to the terminal state 5. BFS: depth 1 {1, 4},
  // depth 2 {2, 5}; expanding 2 finds 3, then 5 has no enabled action: deadlock at depth 2,
  // with 0, 1, 4, 2, 5, 3 known (6 states).
  it('reports a terminal state as property "deadlock" with the shortest trace to it', () => {
    const r = check(chain);
    expect(r.verdict).toBe('violated');
    expect(r.property).toBe('deadlock');
    expect(r.trace.map((t) => t.state)).toEqual([0, 4, 5]);
    expect(stepsOf(r.trace)).toEqual([
      { action: 'jump', params: {} },
      { action: 'slow', params: {} },
    ]);
    expect(r.depth).toBe(2);
    expect(r.states).toBe(6);
    expect(propertyOf(r, 'deadlock')).toMatchObject({ kind: 'deadlock', status: 'violated', depth: 2 });
  });

  it('reports a deadlocked initial state with a trace of length 0', () => {
    const r = check({ ...chain, init: [5] });
    expect(r).toMatchObject({ verdict: 'violated', property: 'deadlock', depth: 0, states: 1 });
    expect(r.trace).toEqual([{ action: null, params: {}, state: 5 }]);
  });

  it('is not an error with deadlockIsError: false', () => {
    const r = check({ ...chain, deadlockIsError: false });
    expect(r.verdict).toBe('holds');
    expect(r.property).toBeNull();
    expect(r.states).toBe(6);
    expect(r.depth).toBe(3); // 3 is first reached at depth 3; its successor 4 is known
    expect(r.properties.map((p) => p.name)).not.toContain('deadlock');
    expect(r.trace).toEqual([]);
  });

  // Regression: replay once never looked for a deadlock, so a deadlock counterexample
  // replayed as "every invariant holds".
  it('replays the deadlock trace to the terminal state, and reports the deadlock there', () => {
    const r = check(chain);
    const replayed = replay(chain, stepsOf(r.trace));
    expect(replayed).toMatchObject({ ok: true, violation: { property: 'deadlock', step: 2 } });
    expect(replayed.trace.map((t) => t.state)).toEqual([0, 4, 5]);
    // the same steps stopping short of the terminal state: no deadlock
    expect(replay(chain, stepsOf(r.trace).slice(0, 1))).toMatchObject({ ok: true, violation: null });
    // nor with deadlockIsError: false
    expect(replay({ ...chain, deadlockIsError: false }, stepsOf(r.trace))).toMatchObject({ ok: true, violation: null });
  });
});

describe('vacuity', () => {
  it('a witness that is never reached makes the run vacuous', () => {
    const r = check<Counter>({
      ...counter,
      properties: [
        sometimes('reaches-9', 'the counter shows 9', (s) => s.count === 9),
        sometimes('reaches-7', 'the counter shows 7', (s) => s.count === 7),
      ],
    });
    expect(r.verdict).toBe('vacuous');
    expect(r.property).toBe('reaches-9');
    expect(r.vacuity).toEqual({ unreachedWitnesses: ['reaches-9'], unfiredActions: [] });
    expect(propertyOf(r, 'reaches-9')).toMatchObject({ status: 'unreached' });
    expect(propertyOf(r, 'reaches-7')).toMatchObject({ status: 'reached', depth: 4 }); // 2+2+2+1
    expect(r.states).toBe(17);
  });

  it('an action that never fires makes the run vacuous and is listed', () => {
    const r = check({
      ...withoutInvariants(counter),
      actions: [...counter.actions, { name: 'reset', guard: (s: Counter) => s.count > 7, effect: () => counter.init[0] }],
    });
    expect(r.verdict).toBe('vacuous');
    expect(r.property).toBe('action reset');
    expect(r.vacuity).toEqual({ unreachedWitnesses: [], unfiredActions: ['reset'] });
    expect(r.coverage).toEqual({ inc: 34, reset: 0 });
  });
});

describe('limits', () => {
  const full = withoutInvariants(dieHard);

  // Limits are polled after each expanded state. Expanding (0,0) makes 3 states, expanding
  // (3,0) makes 5 (it adds (3,5) and (0,3) by 3 transitions: fill big, empty small, pour).
  it('maxStates stops the run as incomplete with the figures so far', () => {
    const r = check(full, { maxStates: 5 });
    expect(r.verdict).toBe('incomplete');
    expect(r.limit).toBe('max-states');
    expect(r.property).toBeNull();
    expect(r.states).toBe(5);
    expect(r.transitions).toBe(2 + 3);
    expect(r.depth).toBe(1); // every state at depth <= 1 was discovered
    expect(r.properties.map((p) => p.status)).toEqual(['unknown', 'unknown']);
    expect(r.vacuity).toEqual({ unreachedWitnesses: [], unfiredActions: [] });
  });

  // maxDepth 3: levels 0..2 are expanded, so the 1+2+3+2 = 8 states of depth <= 3 are known.
  it('maxDepth stops the run as incomplete at that depth', () => {
    const r = check(full, { maxDepth: 3 });
    expect(r).toMatchObject({ verdict: 'incomplete', limit: 'max-depth', depth: 3, states: 8, property: null });
  });

  it('maxDepth finds a violation at exactly that depth, and not one deeper', () => {
    expect(check(dieHard, { maxDepth: 6 })).toMatchObject({ verdict: 'violated', depth: 6, limit: null });
    const cut = check(dieHard, { maxDepth: 5 });
    expect(cut).toMatchObject({ verdict: 'incomplete', limit: 'max-depth', depth: 5, states: 12 });
    expect(propertyOf(cut, 'big-jug-not-4')).toMatchObject({ status: 'unknown' });
  });

  it('a maxDepth the search never needs does not cut it short', () => {
    expect(check(full, { maxDepth: 8 })).toMatchObject({ verdict: 'holds', limit: null, states: 16, depth: 7 });
  });

  it('shouldStop stops the run with its reason', () => {
    // polled after every 256th expanded state: here states 0..255 (one a level) are expanded,
    // 0..256 known; the level of 255 was not finished, so depth says 255 (every state at
    // depth <= 255 known)
    const unbounded: Model<number> = {
      name: 'unbounded',
      init: [0],
      properties: [],
      actions: [{ name: 'inc', guard: () => true, effect: (n: number) => n + 1 }],
    };
    const r = check(unbounded, { shouldStop: () => 'interrupted' });
    expect(r).toMatchObject({ verdict: 'incomplete', limit: 'interrupted', states: 257, depth: 255 });
  });
});

describe('checker invariants over all the models above', () => {
  const models: [string, Model<any>][] = [
    ['die-hard', dieHard],
    ['die-hard (full)', withoutInvariants(dieHard)],
    ['peterson', peterson],
    ['naive-mutex', naiveMutex],
    ['counter', counter],
    ['counter (full)', withoutInvariants(counter)],
    ['chain', chain],
    ['chain (no deadlock)', { ...chain, deadlockIsError: false }],
  ];

  it.each(models)('%s: exact mode and fingerprint mode give identical results', (_name, model) => {
    expect(stable(check(model, { exact: true }))).toEqual(stable(check(model)));
  });

  it.each(models)('%s: two runs give deep-equal results (but for elapsedMs and visitedBytes)', (_name, model) => {
    const options: CheckOptions = {};
    expect(stable(check(model, options))).toEqual(stable(check(model, options)));
  });
});

describe('a violation in an initial state', () => {
  it('gives a trace of length 0 that starts at that initial state', () => {
    const good = { count: 3, prev: 3 },
      bad = { count: 0, prev: 5 };
    const r = check({ ...counter, init: [good, bad] });
    expect(r.verdict).toBe('violated');
    expect(r.property).toBe('only-grows');
    expect(r.depth).toBe(0);
    expect(r.states).toBe(2);
    expect(r.trace).toEqual([{ action: null, params: {}, state: bad }]);
    expect(propertyOf(r, 'only-grows')).toMatchObject({ status: 'violated', depth: 0 });
    expect(replay(counter, [], bad)).toMatchObject({ ok: true, violation: { property: 'only-grows', step: 0 } });
  });
});

describe('parameterised actions', () => {
  it('show their parameter bindings in trace steps, and unparameterised ones show {}', () => {
    const r = check(dieHard);
    expect(r.trace.slice(1).every((t) => Object.keys(t.params).length > 0)).toBe(true);
    expect(r.trace[1].params).toEqual({ jug: 'big' });
    expect(r.trace[2].params).toEqual({ from: 'big', to: 'small' });
    expect(check(chain).trace[1].params).toEqual({});
  });

  it('are tried in params order: the first enabled binding wins a tie', () => {
    // the counter with the claim "never 3" and its bindings in either order
    const reversed: Model<Counter> = {
      ...counter,
      actions: [action<Counter, { by: number }>({ ...counter.actions[0], params: () => [{ by: 2 }, { by: 1 }] })],
      properties: [always('not-3', 'the counter never shows 3', (s) => s.count !== 3)],
    };
    // count 3 first appears at depth 2. With by=2 first, (2,0) is discovered and expanded
    // before (1,0), and (3,2) = inc(by=2), inc(by=1) is found first; with by=1 first, (1,0)
    // is expanded first and (3,1) = inc(by=1), inc(by=2) is found first.
    expect(stepsOf(check(reversed).trace).map((s) => s.params.by)).toEqual([2, 1]);
    expect(stepsOf(check({ ...reversed, actions: counter.actions }).trace).map((s) => s.params.by)).toEqual([1, 2]);
  });
});

// Regression: the default encoder once threw on any Record state, so a model with
// Record states worked only with its own `encode`. Die Hard has one; without it:
describe('default encoding of Record states', () => {
  it('a Record-state model checks the same without its own encode', () => {
    const defaultEncoded: Model<Jugs> = { ...dieHard, encode: undefined };
    expect(stable(check(defaultEncoded))).toEqual(stable(check(dieHard)));
  });
});

// Regression: the default encoder once sorted OrderedSets, though Immutable's
// OrderedSets in different orders are different values. Here the state is the arrival order of two distinct items, as an
// OrderedSet: the 5 states are {}, [1], [2], [1,2] and [2,1]; "1 arrives before 2" is violated
// by add(2), add(1). The bug merged [2,1] into [1,2] and reported 4 states and 'holds'.
describe('default encoding of OrderedSet states', () => {
  const arrivals: Model<OrderedSet<number>> = {
    name: 'arrivals',
    init: [OrderedSet<number>()],
    actions: [
      action<OrderedSet<number>, { who: number }>({
        name: 'add',
        params: () => [{ who: 1 }, { who: 2 }],
        guard: (s, { who }) => !s.has(who),
        effect: (s, { who }) => s.add(who),
      }),
    ],
    properties: [always('one-before-two', '1 arrives before 2', (s) => !(s.first() === 2 && s.has(1)))],
    deadlockIsError: false,
  };

  it("states that differ only in an OrderedSet's order are told apart", () => {
    expect(check(withoutInvariants(arrivals)).states).toBe(5);
    const r = check(arrivals);
    expect(r.verdict).toBe('violated');
    expect(stepsOf(r.trace)).toEqual([
      { action: 'add', params: { who: 2 } },
      { action: 'add', params: { who: 1 } },
    ]);
  });
});
