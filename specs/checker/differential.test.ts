// Differential testing: random small models (a directed graph over N <= 40 integer states,
// each state with a few guarded, possibly parameterised actions to other states, some
// states "bad") checked by the checker and by plain reference searches written here.
// States take several shapes (numbers, Records with their own encoding, Immutable Lists,
// Immutable Maps and plain objects built in varying key orders, on the default encoding),
// so that the visited set and the encodings are exercised too.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { List, Map as ImMap, Record as ImRecord } from 'immutable';
import { always, check, type ActionDef, type CheckResult, type IntSink, type Model, type Params } from '../../checker/index.ts';

const RUNS = 500;
const MAX_N = 40;
const MAX_BINDINGS = 3;

interface Graph {
  readonly n: number;
  readonly init: readonly number[];
  /**
   * arity 0: no params (binding 0 only); arity m: params {k: 0..m-1}. targets[s * MAX_BINDINGS + k]
   * says where the action goes from s under binding k: -1 disabled, t < n to state t, t >= n
   * to state s + 1 + (t - n) mod n (short forward jumps make long paths).
   */
  readonly actions: readonly { readonly arity: number; readonly targets: readonly number[] }[];
  readonly bad: readonly boolean[];
  readonly shape: Shape;
}

// ---------------------------------------------------------------------------------------------
// state shapes: wrap(id, salt) builds the state (salt varies how it is built), unwrap reads it

type Shape = 'number' | 'record' | 'list' | 'map' | 'object';
const SHAPES: readonly Shape[] = ['number', 'record', 'list', 'map', 'object'];
const Node = ImRecord({ id: 0 });
type NodeRec = ReturnType<typeof Node>;
interface ShapeDef {
  wrap(id: number, salt: number): unknown;
  unwrap(state: unknown): number;
  encode?: (state: unknown, out: IntSink) => void;
}
const lo = (id: number) => id % 5, hi = (id: number) => Math.floor(id / 5);
const SHAPE: Readonly<Record<Shape, ShapeDef>> = {
  number: { wrap: (id) => id, unwrap: (s) => s as number },
  // with its own encoding: the default one cannot encode Records (see known-answers.test.ts)
  record: { wrap: (id) => Node({ id }), unwrap: (s) => (s as NodeRec).id, encode: (s, out) => out.int((s as NodeRec).id) },
  list: { wrap: (id) => List([lo(id), hi(id)]), unwrap: (s) => (s as List<number>).get(0)! + 5 * (s as List<number>).get(1)! },
  map: {
    wrap: (id, salt) => ImMap<string, number>(salt % 2 === 0 ? [['lo', lo(id)], ['hi', hi(id)]] : [['hi', hi(id)], ['lo', lo(id)]]),
    unwrap: (s) => (s as ImMap<string, number>).get('lo')! + 5 * (s as ImMap<string, number>).get('hi')!,
  },
  object: {
    wrap: (id, salt) => (salt % 2 === 0 ? { lo: lo(id), hi: hi(id) } : { hi: hi(id), lo: lo(id) }),
    unwrap: (s) => (s as { lo: number }).lo + 5 * (s as { hi: number }).hi,
  },
};

const bindingsOf = (arity: number) => Math.max(arity, 1);
function targetOf(g: Graph, a: number, s: number, k: number): number {
  const t = g.actions[a].targets[s * MAX_BINDINGS + k];
  return t < g.n ? t : (s + 1 + t - g.n) % g.n;
}

function toModel(g: Graph, options: { invariant: boolean; deadlock: boolean }): Model<unknown> {
  const { wrap, unwrap, encode } = SHAPE[g.shape];
  const actions = g.actions.map((a, i): ActionDef<unknown, Params> => ({
    name: `a${i}`,
    ...(a.arity > 0 ? { params: () => Array.from({ length: a.arity }, (_, k) => ({ k })) } : {}),
    guard: (s, p) => targetOf(g, i, unwrap(s), (p.k as number | undefined) ?? 0) >= 0,
    effect: (s, p) => wrap(targetOf(g, i, unwrap(s), (p.k as number | undefined) ?? 0), unwrap(s) + i),
  }));
  return {
    name: 'random',
    init: g.init.map((id, i) => wrap(id, i)),
    actions,
    properties: options.invariant ? [always('good', 'no bad state', (s) => !g.bad[unwrap(s)])] : [],
    deadlockIsError: options.deadlock,
    ...(encode ? { encode } : {}),
  };
}

// ---------------------------------------------------------------------------------------------
// reference searches

/** Each state's enabled transitions, in the checker's order: actions, then bindings. */
function successors(g: Graph, s: number): { action: number; k: number; to: number }[] {
  const out: { action: number; k: number; to: number }[] = [];
  g.actions.forEach((a, i) => {
    for (let k = 0; k < bindingsOf(a.arity); k++) {
      const to = targetOf(g, i, s, k);
      if (to >= 0) out.push({ action: i, k, to });
    }
  });
  return out;
}

/** Plain BFS over the whole graph: distances, transitions, actions that can fire. */
function reachable(g: Graph) {
  const dist = new Map<number, number>();
  const queue: number[] = [];
  for (const s of g.init) if (!dist.has(s)) { dist.set(s, 0); queue.push(s); }
  let transitions = 0;
  const fired = new Set<number>();
  for (let head = 0; head < queue.length; head++) {
    const s = queue[head];
    for (const t of successors(g, s)) {
      transitions++;
      fired.add(t.action);
      if (!dist.has(t.to)) { dist.set(t.to, dist.get(s)! + 1); queue.push(t.to); }
    }
  }
  const minOver = (pred: (s: number) => boolean) =>
    Math.min(...[...dist].filter(([s]) => pred(s)).map(([, d]) => d));
  return {
    states: dist.size,
    transitions,
    depth: Math.max(...dist.values()),
    unfired: g.actions.map((_, i) => i).filter((i) => !fired.has(i)).map((i) => `a${i}`),
    /** Infinity when none is reachable */
    badDistance: minOver((s) => g.bad[s]),
    deadlockDistance: minOver((s) => successors(g, s).length === 0),
  };
}

/**
 * The search the checker documents, step for step: BFS in discovery order, `always` checked
 * when a state is first discovered, deadlock when it is expanded; stops at the first
 * violation. Gives the exact trace (first-discoverer chain) and the states known by then.
 */
function firstViolation(g: Graph, options: { invariant: boolean; deadlock: boolean }) {
  const parent = new Map<number, { from: number; action: number; k: number } | null>();
  const isBad = (s: number) => options.invariant && g.bad[s];
  const path = (s: number) => {
    const steps: { action: string; params: Params }[] = [];
    for (let p = parent.get(s); p; s = p.from, p = parent.get(s)) {
      steps.unshift({ action: `a${p.action}`, params: g.actions[p.action].arity > 0 ? { k: p.k } : {} });
    }
    return steps;
  };
  const stop = (property: string, s: number) => ({ property, states: parent.size, steps: path(s) });
  let frontier: number[] = [];
  for (const s of g.init) {
    if (parent.has(s)) continue;
    parent.set(s, null);
    if (isBad(s)) return stop('good', s);
    frontier.push(s);
  }
  while (frontier.length > 0) {
    const next: number[] = [];
    for (const s of frontier) {
      const succ = successors(g, s);
      for (const t of succ) {
        if (parent.has(t.to)) continue;
        parent.set(t.to, { from: s, action: t.action, k: t.k });
        if (isBad(t.to)) return stop('good', t.to);
        next.push(t.to);
      }
      if (succ.length === 0 && options.deadlock) return stop('deadlock', s);
    }
    frontier = next;
  }
  return null;
}

// ---------------------------------------------------------------------------------------------

/** The result without its resource figures (time, and the visited set's bytes, which depend on the mode). */
function stable<S>(r: CheckResult<S>): Omit<CheckResult<S>, 'elapsedMs' | 'visitedBytes'> {
  const { elapsedMs: _time, visitedBytes: _bytes, ...rest } = r;
  return rest;
}

/** Checks the model in both visited-set modes, which must agree; returns the result. */
function checkBoth(g: Graph, options: { invariant: boolean; deadlock: boolean }) {
  const model = toModel(g, options);
  const r = check(model);
  expect(stable(check(model, { exact: true }))).toEqual(stable(r));
  return r;
}

/** The trace is a real run: from an initial state, each step an enabled transition. Returns the state ids. */
function tracedIds(g: Graph, r: CheckResult<unknown>): number[] {
  const { unwrap } = SHAPE[g.shape];
  const ids = r.trace.map((t) => unwrap(t.state));
  expect(g.init).toContain(ids[0]);
  for (let i = 1; i < r.trace.length; i++) {
    const step = r.trace[i];
    const a = Number(step.action!.slice(1));
    const k = (step.params.k as number | undefined) ?? 0;
    expect(targetOf(g, a, ids[i - 1], k)).toBe(ids[i]);
  }
  return ids;
}

const graphArb: fc.Arbitrary<Graph> = fc.oneof(
  { arbitrary: fc.integer({ min: 1, max: 9 }), weight: 1 },
  { arbitrary: fc.integer({ min: 10, max: MAX_N }), weight: 3 },
).chain((n) => fc.record({
  n: fc.constant(n),
  init: fc.array(fc.nat(n - 1), { minLength: 1, maxLength: 3 }),
  actions: fc.array(fc.record({
    arity: fc.integer({ min: 0, max: MAX_BINDINGS }),
    targets: fc.array(
      fc.oneof(
        { arbitrary: fc.constant(-1), weight: 4 },
        { arbitrary: fc.nat(n - 1), weight: 1 },
        { arbitrary: fc.integer({ min: n, max: n + 2 }), weight: 3 },
      ),
      { minLength: n * MAX_BINDINGS, maxLength: n * MAX_BINDINGS },
    ),
  }), { minLength: 1, maxLength: 4 }),
  bad: fc.array(fc.nat(19).map((x) => x === 0), { minLength: n, maxLength: n }),
  shape: fc.constantFrom(...SHAPES),
}));

describe('differential: the checker against reference searches', () => {
  it(`agrees with a reference BFS on ${RUNS} random models (fingerprint and exact modes)`, () => {
    fc.assert(fc.property(graphArb, (g) => {
      const ref = reachable(g);

      // full exploration: distinct states, transitions, depth, vacuity
      const full = checkBoth(g, { invariant: false, deadlock: false });
      expect(full.states).toBe(ref.states);
      expect(full.transitions).toBe(ref.transitions);
      expect(full.depth).toBe(ref.depth);
      expect(full.verdict).toBe(ref.unfired.length > 0 ? 'vacuous' : 'holds');
      expect(full.vacuity.unfiredActions).toEqual(ref.unfired);

      // the invariant: violated iff a bad state is reachable, by a trace of the shortest length
      const inv = checkBoth(g, { invariant: true, deadlock: false });
      if (ref.badDistance === Infinity) {
        expect(inv.verdict).not.toBe('violated');
        expect(inv.states).toBe(ref.states);
      } else {
        expect(inv.verdict).toBe('violated');
        expect(inv.property).toBe('good');
        expect(inv.trace.length - 1).toBe(ref.badDistance);
        expect(inv.depth).toBe(ref.badDistance);
        expect(g.bad[tracedIds(g, inv).at(-1)!]).toBe(true);
      }

      // deadlock: reported iff a state without successors is reachable, at the shortest distance
      const dl = checkBoth(g, { invariant: false, deadlock: true });
      if (ref.deadlockDistance === Infinity) expect(dl.verdict).not.toBe('violated');
      else {
        expect(dl.property).toBe('deadlock');
        expect(dl.trace.length - 1).toBe(ref.deadlockDistance);
        expect(successors(g, tracedIds(g, dl).at(-1)!)).toEqual([]);
      }

      // both at once, step for step: which violation comes first, its exact (tie-broken)
      // trace, and how many states were known when the search stopped
      const both = checkBoth(g, { invariant: true, deadlock: true });
      const first = firstViolation(g, { invariant: true, deadlock: true });
      if (first === null) expect(both.verdict).not.toBe('violated');
      else {
        expect(both.verdict).toBe('violated');
        expect(both.property).toBe(first.property);
        expect(both.trace.slice(1).map((t) => ({ action: t.action, params: t.params }))).toEqual(first.steps);
        expect(both.states).toBe(first.states);
        tracedIds(g, both);
      }
    }), { numRuns: RUNS });
  });
});
