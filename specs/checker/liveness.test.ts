// Liveness (leadsTo under weak and strong fairness) on small models whose
// answers are derived by hand in the comments: verdicts, which property is
// reported, and the exact lassos (stem, cycle, loop index). The semantics
// and the algorithm are in checker/liveness.ts.
import { describe, expect, it } from 'vitest';
import { is, List } from 'immutable';
import {
  action,
  always,
  alwaysEventually,
  check,
  eventually,
  isModel,
  judgeLasso,
  leadsTo,
  MAX_ROUNDS,
  type CheckOptions,
  type CheckResult,
  type Fairness,
  type LiveModel,
  type TraceStep,
} from '../../checker/index.ts';
import { petersonLive } from '../../examples/peterson-liveness.ts';
import { tokenRing } from '../../examples/token-ring.ts';

const stepsOf = <S>(trace: readonly TraceStep<S>[]) => trace.slice(1).map((t) => `${t.action}(${Object.values(t.params).join(',')})`);
const statusOf = <S>(r: CheckResult<S>, name: string) => r.properties.find((p) => p.name === name)?.status;

// ---------------------------------------------------------------------------------------------
// a counter 0 -> 1 -> ... -> N by `inc`; N is terminal (a deadlock the model allows).
// <> (n = N): without fairness the behaviour may stop (stutter) at 0 at once; with weak
// fairness `inc` is enabled at every n < N, so it must be taken until N.

const N = 3;
function counter(fairness?: Fairness): LiveModel<number> {
  return {
    name: 'counter',
    init: [0],
    deadlockIsError: false,
    actions: [action<number>({ name: 'inc', guard: (n) => n < N, effect: (n) => n + 1, ...(fairness ? { fairness } : {}) })],
    properties: [eventually('reaches-N', 'the counter reaches N', (n) => n === N)],
  };
}

describe('a counter that reaches N only under weak fairness', () => {
  it('without fairness: violated by stuttering at 0 (a trace of the initial state alone, loop 0)', () => {
    // p (= initial) and not q hold at 0; nothing is fair, so the behaviour may stay at 0
    const r = check(counter());
    expect(r).toMatchObject({ verdict: 'violated', property: 'reaches-N', loop: 0, states: N + 1, edges: N });
    expect(r.trace).toEqual([{ action: null, params: {}, state: 0 }]);
    expect(statusOf(r, 'reaches-N')).toBe('violated');
    expect(r.depth).toBe(N); // a complete search: the deepest level
  });

  it('with weak (or strong) fairness: holds', () => {
    // the ¬q region from 0 is {0, 1, 2} (2 -> 3 enters q); each is its own SCC with inc
    // enabled there and not taken inside: unfair
    for (const f of ['weak', 'strong'] as const) {
      const r = check(counter(f));
      expect(r).toMatchObject({ verdict: 'holds', property: null, loop: null, trace: [] });
      expect(statusOf(r, 'reaches-N')).toBe('holds');
    }
  });

  it('records one edge per transition, and reports its bytes; a model without leadsTo records none', () => {
    const r = check(counter('weak'));
    expect(r.edges).toBe(r.transitions);
    expect(r.graphBytes).toBeGreaterThan(0);
    const safety = check({ ...counter('weak'), properties: [always('small', 'n <= N', (n: number) => n <= N)] });
    expect(safety).toMatchObject({ edges: 0, graphBytes: 0, loop: null, verdict: 'holds' });
  });
});

describe('an environment that eventually stops (fairness: finite)', () => {
  // the weakly fair counter, with a reset to 0 that the environment may take at any count
  const withReset = (reset?: Fairness): LiveModel<number> => ({
    ...counter('weak'),
    actions: [
      ...counter('weak').actions,
      action<number>({ name: 'reset', guard: (n) => n > 0 && n < N, effect: () => 0, ...(reset ? { fairness: reset } : {}) }),
    ],
  });

  it('a reset taken forever starves the counter: the cycle inc, reset from 0', () => {
    // 0 -inc-> 1 -reset-> 0 is a ¬q cycle that takes inc (weakly fair): fair, loop 0
    const r = check(withReset());
    expect(r).toMatchObject({ verdict: 'violated', property: 'reaches-N', loop: 0 });
    expect(r.trace.map((t) => t.action)).toEqual([null, 'inc', 'reset']);
    expect(judgeLasso(withReset(), r.trace, r.loop!)).toEqual({ closes: true, unfair: [], violates: ['reaches-N'] });
  });

  it('a reset taken only finitely often cannot: holds; the same lasso is judged unfair', () => {
    // without reset's edges no ¬q cycle is left: 0, 1 and 2 are single nodes where inc is enabled
    const r = check(withReset('finite'));
    expect(r).toMatchObject({ verdict: 'holds', loop: null, states: N + 1 });
    const lasso = check(withReset()).trace;
    expect(judgeLasso(withReset('finite'), lasso, 0)).toEqual({
      closes: true,
      unfair: ['reset (taken only finitely often)'],
      violates: ['reaches-N'],
    });
  });
});

// ---------------------------------------------------------------------------------------------
// two processes and a lock: idle (i) -request-> waiting (w) -acquire-> critical (c) -release->
// idle. acquire needs the lock free (no process critical). In the *polite* variant a process
// requests only while the other is not waiting. Property: "1 waiting ~> 1 critical".
// Actions in declaration order request, acquire, release; bindings p = 0, 1.
//
// Polite, 7 states (w,w is unreachable: the second request is refused; c,c too: the lock):
//   ii: request0 -> wi, request1 -> iw      wi: acquire0 -> ci      iw: acquire1 -> ic
//   ci: request1 -> cw, release0 -> ii      ic: request0 -> wc, release1 -> ii
//   cw: release0 -> iw                      wc: release1 -> wi      (10 transitions)
// Non-polite, 8 states: ii, wi, iw, ww, ci, ic, cw, wc, 14 transitions (ww: acquire0 -> cw,
// acquire1 -> wc; wi and iw can also request).

type Pc = 'i' | 'w' | 'c';
interface Lock {
  readonly pc: readonly [Pc, Pc];
}
const EACH = [{ p: 0 }, { p: 1 }] as const;
const setPc = (s: Lock, p: 0 | 1, v: Pc): Lock => ({ pc: p === 0 ? [v, s.pc[1]] : [s.pc[0], v] });
const pcs = (r: CheckResult<Lock>) => r.trace.map((t) => t.state.pc.join(''));

function lockMutex(polite: boolean, fair: { acquire?: Fairness; release?: Fairness } = {}, both = false): LiveModel<Lock> {
  const served = (p: 0 | 1) =>
    leadsTo<Lock>(
      `p${p}-served`,
      `process ${p}, once waiting, gets the lock`,
      (s) => s.pc[p] === 'w',
      (s) => s.pc[p] === 'c',
    );
  return {
    name: `lock (${polite ? 'polite' : 'greedy'})`,
    init: [{ pc: ['i', 'i'] }],
    actions: [
      action<Lock, { p: 0 | 1 }>({
        name: 'request',
        params: () => EACH,
        guard: (s, { p }) => s.pc[p] === 'i' && !(polite && s.pc[1 - p] === 'w'),
        effect: (s, { p }) => setPc(s, p, 'w'),
      }),
      action<Lock, { p: 0 | 1 }>({
        name: 'acquire',
        params: () => EACH,
        ...(fair.acquire ? { fairness: fair.acquire } : {}),
        guard: (s, { p }) => s.pc[p] === 'w' && !s.pc.includes('c'),
        effect: (s, { p }) => setPc(s, p, 'c'),
      }),
      action<Lock, { p: 0 | 1 }>({
        name: 'release',
        params: () => EACH,
        ...(fair.release ? { fairness: fair.release } : {}),
        guard: (s, { p }) => s.pc[p] === 'c',
        effect: (s, { p }) => setPc(s, p, 'i'),
      }),
    ],
    properties: [
      always('mutual-exclusion', 'never both critical', (s) => !(s.pc[0] === 'c' && s.pc[1] === 'c')),
      served(1),
      ...(both ? [served(0)] : []),
    ],
    deadlockIsError: false,
  };
}

describe('a polite two-process lock', () => {
  it('starves process 1 without fairness: request(1), then stutter while waiting (stem 1, loop 1)', () => {
    // the p∧¬q edge ii -request1-> iw is at depth 1, and with nothing fair the behaviour
    // may stop at iw
    const r = check(lockMutex(true));
    expect(r).toMatchObject({ verdict: 'violated', property: 'p1-served', loop: 1, states: 7, transitions: 10 });
    expect(stepsOf(r.trace)).toEqual(['request(1)']);
    expect(pcs(r)).toEqual(['ii', 'iw']);
  });

  it('serves process 1 under weak fairness of acquire and release', () => {
    // p∧¬q points: iw (ii -request1->, cw -release0->) and cw (ci -request1->). The ¬q edges
    // between them: cw -release0-> iw only (iw -acquire1-> ic enters q). SCCs {iw}, {cw}:
    // acquire1 is enabled at iw and release0 at cw, neither taken inside: both unfair.
    const r = check(lockMutex(true, { acquire: 'weak', release: 'weak' }));
    expect(r).toMatchObject({ verdict: 'holds', loop: null, trace: [] });
    expect(statusOf(r, 'p1-served')).toBe('holds');
  });

  it('with acquire fair but release not: process 0 keeps the lock forever (stem 3, stutter at cw)', () => {
    // {iw} is unfair (acquire1 enabled), {cw} is fair: no fair instance is enabled there
    // (acquire needs the lock, release is not fair). Product BFS: (iw,1) at depth 1 is no
    // target; the first is (cw,1) at depth 3: request(0), acquire(0), request(1).
    const r = check(lockMutex(true, { acquire: 'weak' }));
    expect(r).toMatchObject({ verdict: 'violated', property: 'p1-served', loop: 3 });
    expect(stepsOf(r.trace)).toEqual(['request(0)', 'acquire(0)', 'request(1)']);
    expect(pcs(r)).toEqual(['ii', 'wi', 'ci', 'cw']);
  });
});

describe('a greedy lock: a livelock weak fairness allows and strong fairness excludes', () => {
  // The ¬q region from the p∧¬q points is {iw, ww, cw}, one SCC with the ¬q edges
  // iw -request0-> ww -acquire0-> cw -release0-> iw (ww -acquire1-> wc enters q).
  // acquire1 is enabled at iw and ww but not at cw (the lock is taken), and never taken
  // inside: weak fairness does not forbid that (it is not enabled continuously), strong
  // fairness does (enabled infinitely often). Under strong fairness iw and ww are removed,
  // and {cw} alone has release0 enabled and not taken: unfair. So it holds.
  it('weak fairness: violated by process 0 cycling while process 1 waits; the exact lasso', () => {
    // stem: ii -request1-> iw, which is (iw,1) in a fair SCC at depth 1. Cycle from iw:
    // requirements take acquire0, take release0, pass where acquire1 is disabled (cw);
    // nearest first: iw -request0-> ww -acquire0-> cw (also meets cw), then -release0-> iw.
    const r = check(lockMutex(false, { acquire: 'weak', release: 'weak' }));
    expect(r).toMatchObject({ verdict: 'violated', property: 'p1-served', loop: 1, states: 8, transitions: 14 });
    expect(stepsOf(r.trace)).toEqual(['request(1)', 'request(0)', 'acquire(0)', 'release(0)']);
    expect(pcs(r)).toEqual(['ii', 'iw', 'ww', 'cw', 'iw']);
    expect(r.trace.at(-1)!.state).toEqual(r.trace[r.loop!].state);
  });

  it('strong fairness of acquire: holds', () => {
    const r = check(lockMutex(false, { acquire: 'strong', release: 'weak' }));
    expect(r.verdict).toBe('holds');
    expect(statusOf(r, 'p1-served')).toBe('holds');
  });

  it('no fairness: violated by stuttering at iw (stem 1, loop 1)', () => {
    const r = check(lockMutex(false));
    expect(r).toMatchObject({ verdict: 'violated', loop: 1 });
    expect(pcs(r)).toEqual(['ii', 'iw']);
  });

  it('reports every violated property, the first in declaration order as the verdict', () => {
    // by symmetry process 0 starves the same way (its lasso starts with request(0))
    const r = check(lockMutex(false, { acquire: 'weak', release: 'weak' }, true));
    expect(r.property).toBe('p1-served');
    expect(statusOf(r, 'p1-served')).toBe('violated');
    expect(statusOf(r, 'p0-served')).toBe('violated');
    expect(r.properties.map((p) => p.kind)).toEqual(['always', 'leadsTo', 'leadsTo']);
  });
});

describe("Peterson's algorithm (examples/peterson-liveness.ts)", () => {
  // Starvation freedom: a process p with its flag up only waits while the other has its
  // flag up and the turn; the other then enters (it is waiting with the turn, or it will
  // give the turn to p), leaves, and cannot overtake p again: raising its flag and giving
  // the turn away makes turn = p, so enter(p) stays enabled until p takes it. Weak fairness
  // of every step is enough (each step that must happen stays enabled until taken).
  it("holds under weak fairness of both processes' steps, and under strong fairness", () => {
    for (const f of ['weak', 'strong'] as const) {
      const r = check(petersonLive(f));
      expect(r.verdict).toBe('holds');
      expect(statusOf(r, 'p0-enters')).toBe('holds');
      expect(statusOf(r, 'p1-enters')).toBe('holds');
      expect(r.states).toBe(20); // as in known-answers.test.ts: fairness adds no states
    }
  });

  it('fails without fairness: raiseFlag(0), then process 0 stops (stem 1, stutter)', () => {
    // raiseFlag(0) from the initial state is the first p∧¬q edge (depth 1), and with no
    // fairness the behaviour may stop right there
    const r = check(petersonLive('none'));
    expect(r).toMatchObject({ verdict: 'violated', property: 'p0-enters', loop: 1 });
    expect(stepsOf(r.trace)).toEqual(['raiseFlag(0)']);
    expect(statusOf(r, 'p1-enters')).toBe('violated');
  });

  it('fails if leave is not fair: process 1 may stay critical while 0 waits (stem 5, stutter)', () => {
    // A stutter needs a state where no fair step is enabled: 0 flagged has giveTurn(0),
    // 1 idle/flagged has raiseFlag(1)/giveTurn(1), both waiting lets one enter; what is
    // left is 0 waiting, 1 critical, turn = 1 (enter(0) disabled, leave(1) not fair). 1 can
    // only enter while flag 0 is down or the turn is 1, so the shortest way there is 5 steps,
    // e.g. raiseFlag(1), giveTurn(1), enter(1), raiseFlag(0), giveTurn(0); raiseFlag(0) is
    // the p∧¬q point.
    const base = petersonLive('weak');
    const r = check({ ...base, actions: base.actions.map((a) => (a.name === 'leave' ? { ...a, fairness: undefined } : a)) });
    expect(r).toMatchObject({ verdict: 'violated', property: 'p0-enters', loop: 5 });
    expect(r.trace).toHaveLength(6);
    const last = r.trace[5].state;
    expect([last.pc.toArray(), last.turn]).toEqual([['waiting', 'critical'], 1]);
    expect(stepsOf(r.trace).filter((x) => x.endsWith('(0)'))).toEqual(['raiseFlag(0)', 'giveTurn(0)']);
  });
});

describe('a token ring (examples/token-ring.ts)', () => {
  it('serves process 0 under weak fairness of enter, leave and pass', () => {
    // k processes: the token is at t, pc[t] in {idle, trying, critical}, the others idle or
    // trying: k * 3 * 2^(k-1) states
    for (const k of [2, 3, 5]) {
      const r = check(tokenRing(k));
      expect(r).toMatchObject({ verdict: 'holds', states: k * 3 * 2 ** (k - 1) });
    }
  });

  it('without fairness on pass the token may stop at an idle holder: pass, request(0), stutter', () => {
    // request(0) first leaves enter(0) enabled (0 holds the token); after pass (token at 1,
    // idle) and request(0), nothing fair is enabled: stem 2, loop 2
    const r = check(tokenRing(3, { enter: 'weak', leave: 'weak' }));
    expect(r).toMatchObject({ verdict: 'violated', property: 'p0-served', loop: 2 });
    expect(stepsOf(r.trace)).toEqual(['pass()', 'request(0)']);
  });
});

// ---------------------------------------------------------------------------------------------
// symmetry: the encoding merges states that the cycle permutes. A rotation of a list of m
// distinct values is one class under "sort the values", so the graph is one node with a
// self-loop; replaying that loop once gives the next rotation, and m rounds come back to the
// exact initial list. The lasso is m steps long, loop 0.

function rotation(m: number): LiveModel<List<number>> {
  return {
    name: `rotation(${m})`,
    init: [List(Array.from({ length: m }, (_, i) => i))],
    actions: [action<List<number>>({ name: 'rotate', fairness: 'weak', guard: () => true, effect: (s) => s.push(s.first()!).shift() })],
    properties: [alwaysEventually('sorted-first-is-max', 'the first value is the largest, again and again', () => false)],
    encode: (s, out) => {
      for (const x of s.sort()) out.int(x);
    },
    // the states the encoding merges, declared (else the encoding sample reports a clash)
    equivalent: (a, b) => is(a.sort(), b.sort()),
  };
}

describe('lassos through a symmetry-reducing encoding', () => {
  it('replays the cycle until the concrete state comes back: 3 rounds for a 3-rotation', () => {
    const r = check(rotation(3));
    expect(r).toMatchObject({ verdict: 'violated', states: 1, transitions: 1, loop: 0 });
    expect(r.trace.map((t) => t.state.toArray())).toEqual([
      [0, 1, 2],
      [1, 2, 0],
      [2, 0, 1],
      [0, 1, 2],
    ]);
    expect(is(r.trace.at(-1)!.state, r.trace[0].state)).toBe(true);
  });

  it(`gives up with an error after ${MAX_ROUNDS} rounds`, () => {
    expect(check(rotation(MAX_ROUNDS)).trace).toHaveLength(MAX_ROUNDS + 1);
    expect(() => check(rotation(MAX_ROUNDS + 1))).toThrow(/within 24 rounds/);
  });
});

// ---------------------------------------------------------------------------------------------

describe('vacuity, limits, and safety first', () => {
  const fairLock = lockMutex(true, { acquire: 'weak', release: 'weak' });

  it('a leadsTo whose p never holds proves nothing: the run is vacuous', () => {
    const r = check({
      ...fairLock,
      properties: [
        ...fairLock.properties,
        leadsTo(
          'never',
          'never p',
          () => false,
          () => true,
        ),
      ],
    });
    expect(r).toMatchObject({ verdict: 'vacuous', property: 'never', vacuity: { unreachedWitnesses: ['never'], unfiredActions: [] } });
    expect(statusOf(r, 'never')).toBe('holds');
  });

  it('maxStates, maxDepth and shouldStop give incomplete, with liveness unknown', () => {
    // the greedy lock is violated when searched to the end (its depth is 3: cw, wc); the
    // token ring of 4 processes without fair pass too (4 * 3 * 8 = 96 states), but shouldStop
    // is polled every 256 expanded states: the ring of 9 (6912 states) gets there
    const greedy = lockMutex(false, { acquire: 'weak', release: 'weak' });
    const ring = (k: number) => tokenRing(k, { enter: 'weak', leave: 'weak' });
    expect(check(greedy).verdict).toBe('violated');
    expect(check(ring(9)).verdict).toBe('violated');
    const runs: [LiveModel<any>, CheckOptions, string][] = [
      [greedy, { maxStates: 3 }, 'max-states'],
      [greedy, { maxDepth: 2 }, 'max-depth'],
      [ring(9), { shouldStop: () => 'interrupted' }, 'interrupted'],
      [ring(9), { maxTimeMs: 0 }, 'max-time'],
    ];
    for (const [model, options, limit] of runs) {
      const r = check(model, options);
      expect(r).toMatchObject({ verdict: 'incomplete', limit, loop: null, trace: [] });
      expect(r.properties.find((p) => p.kind === 'leadsTo')?.status).toBe('unknown');
    }
  });

  it('a safety violation stops the search: liveness unknown, the safety trace, no loop', () => {
    const r = check({
      ...fairLock,
      properties: [always('never-c', 'nobody critical', (s: Lock) => !s.pc.includes('c')), ...fairLock.properties],
    });
    expect(r).toMatchObject({ verdict: 'violated', property: 'never-c', loop: null });
    expect(statusOf(r, 'p1-served')).toBe('unknown');
  });

  it('exact mode gives the same results', () => {
    const models: LiveModel<any>[] = [
      fairLock,
      lockMutex(false, { acquire: 'weak', release: 'weak' }),
      counter(),
      petersonLive('none'),
      rotation(3),
    ];
    for (const m of models) {
      const { elapsedMs: _a, visitedBytes: _b, ...one } = check(m);
      const { elapsedMs: _c, visitedBytes: _d, ...exact } = check(m, { exact: true });
      expect(exact).toEqual(one);
    }
  });
});

describe('isModel', () => {
  it('accepts leadsTo properties and fairness, rejects malformed ones', () => {
    expect(isModel(lockMutex(false, { acquire: { kind: 'strong', per: ['p'] } }))).toBe(true);
    expect(isModel({ ...counter(), properties: [{ kind: 'leadsTo', name: 'x', description: '', p: () => true }] })).toBe(false);
    expect(isModel({ ...counter(), actions: [{ ...counter().actions[0], fairness: 'sometimes' }] })).toBe(false);
    expect(isModel({ ...counter(), actions: [{ ...counter().actions[0], fairness: { kind: 'weak' } }] })).toBe(false);
  });
});

describe("the graph's label arrays", () => {
  it('start at one byte an entry and widen (keeping the values) when a value needs it', async () => {
    const { UintBuffer } = await import('../../checker/graph.ts');
    const b = new UintBuffer(2);
    const values = [0, 255, 7, 256, 65535, 65536, 2 ** 32 - 1, 3];
    const widths: number[] = [];
    for (const v of values) {
      b.push(v);
      widths.push(b.data.BYTES_PER_ELEMENT);
    }
    expect(widths).toEqual([1, 1, 1, 2, 2, 4, 4, 4]);
    expect([...b.data.subarray(0, b.length)]).toEqual(values);
  });
});
