// Differential testing: random small models (graph-model.ts) checked by the checker and by plain reference searches written here.
// States take several shapes (numbers, Records with their own encoding, Immutable Lists,
// Immutable Maps, plain objects, native Maps and Sets built in varying insertion orders,
// Immutable and plain values nested in each other, integers far beyond 32 bits, Dates, on
// the default encoding; and, on the default encoding too, states told apart only by
// what JavaScript can tell apart: three Record types of one name and fields, -0 and 0,
// an array hole and undefined, a List and a Stack), so that the visited set and the
// encodings are exercised too; a model has one to three initial states, and every
// counterexample replays. A second property adds what a model can get wrong beside its
// states: a step property (alwaysStep) against a reference that checks every
// transition, a lossy codec, and a params() that reuses one binding object.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { check, CodecLossError, ModelCodeError, replay, type CheckResult, type Params } from '../../checker/index.ts';
import { graphArb } from './graph-arb.ts';
import { bindingsOf, graphModel, MAX_BINDINGS, MAX_N, SHAPE, SHAPES, targetOf, type Graph, type GraphOptions } from './graph-model.ts';

const RUNS = 500;
const EXTRA_RUNS = 200;

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
  for (const s of g.init)
    if (!dist.has(s)) {
      dist.set(s, 0);
      queue.push(s);
    }
  let transitions = 0;
  const fired = new Set<number>();
  // (queue ends as every reachable state, in discovery order)
  for (let head = 0; head < queue.length; head++) {
    const s = queue[head];
    for (const t of successors(g, s)) {
      transitions++;
      fired.add(t.action);
      if (!dist.has(t.to)) {
        dist.set(t.to, dist.get(s)! + 1);
        queue.push(t.to);
      }
    }
  }
  const minOver = (pred: (s: number) => boolean) => Math.min(...[...dist].filter(([s]) => pred(s)).map(([, d]) => d));
  return {
    states: dist.size,
    /** the reachable states in BFS discovery order */
    order: queue,
    transitions,
    depth: Math.max(...dist.values()),
    unfired: g.actions
      .map((_, i) => i)
      .filter((i) => !fired.has(i))
      .map((i) => `a${i}`),
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
function firstViolation(g: Graph, options: { invariant: boolean; deadlock: boolean; badSteps?: readonly (readonly boolean[])[] }) {
  const parent = new Map<number, { from: number; action: number; k: number } | null>();
  const isBad = (s: number) => options.invariant && g.bad[s];
  const isBadStep = (s: number, t: { action: number; k: number }) => options.badSteps?.[t.action][s * MAX_BINDINGS + t.k] === true;
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
        // a step property is checked on every transition, into known states too, before its target is looked up
        if (isBadStep(s, t)) {
          const at = stop('good-step', s);
          return { ...at, steps: [...at.steps, { action: `a${t.action}`, params: g.actions[t.action].arity > 0 ? { k: t.k } : {} }] };
        }
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

/**
 * Checks the model in both visited-set modes, and with its frontier packed (a codec) and
 * as objects: all must agree. Returns the result.
 */
function checkBoth(g: Graph, options: GraphOptions) {
  const model = graphModel(g, options);
  const r = check(model);
  expect(stable(check(model, { exact: true }))).toEqual(stable(r));
  const packed = check(graphModel(g, { ...options, codec: true }));
  expect(r.peakFrontierBytes).toBe(0);
  expect(packed.peakFrontierBytes).toBeGreaterThan(0);
  // the codec is round-tripped by the self-check too: it says so, and otherwise the result is the same
  expect(packed.encodingCheck).toEqual({ ...r.encodingCheck, codec: true });
  expect(stable({ ...packed, peakFrontierBytes: 0, encodingCheck: r.encodingCheck })).toEqual(stable(r));
  return r;
}

/** A counterexample replays (checker/replay.ts, from its own initial state) to the same property at its last step. */
function replaysTo(g: Graph, options: GraphOptions, r: CheckResult<unknown>): void {
  const steps = r.trace.slice(1).map((t) => ({ action: t.action!, params: t.params }));
  const replayed = replay(graphModel(g, options), steps, r.trace[0].state);
  expect(replayed.ok).toBe(true);
  if (replayed.ok) expect(replayed.violation).toEqual({ property: r.property, step: r.trace.length - 1 });
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

const graphs = graphArb(
  fc.oneof({ arbitrary: fc.integer({ min: 1, max: 9 }), weight: 1 }, { arbitrary: fc.integer({ min: 10, max: MAX_N }), weight: 3 }),
);

describe('differential: the checker against reference searches', () => {
  it(`agrees with a reference BFS on ${RUNS} random models (fingerprint and exact modes)`, () => {
    fc.assert(
      fc.property(graphs, (g) => {
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
          replaysTo(g, { invariant: true, deadlock: false }, inv);
        }

        // deadlock: reported iff a state without successors is reachable, at the shortest distance
        const dl = checkBoth(g, { invariant: false, deadlock: true });
        if (ref.deadlockDistance === Infinity) expect(dl.verdict).not.toBe('violated');
        else {
          expect(dl.property).toBe('deadlock');
          expect(dl.trace.length - 1).toBe(ref.deadlockDistance);
          expect(successors(g, tracedIds(g, dl).at(-1)!)).toEqual([]);
          replaysTo(g, { invariant: false, deadlock: true }, dl);
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
          replaysTo(g, { invariant: true, deadlock: true }, both);
        }
      }),
      { numRuns: RUNS },
    );
  });

  // what a model can get wrong beside its states, each against the reference
  const extras = graphs.chain((g) =>
    fc.record({
      g: fc.constant(g),
      // one transition in six forbidden by the step property
      badSteps: fc.array(
        fc.array(
          fc.nat(5).map((x) => x === 0),
          { minLength: g.n * MAX_BINDINGS, maxLength: g.n * MAX_BINDINGS },
        ),
        { minLength: g.actions.length, maxLength: g.actions.length },
      ),
      // one state in eight unpacked as another
      lossy: fc.array(
        fc.nat(7).map((x) => x === 0),
        { minLength: g.n, maxLength: g.n },
      ),
    }),
  );

  it(`agrees on step properties, lossy codecs and reused bindings (${EXTRA_RUNS} random models)`, () => {
    fc.assert(
      fc.property(extras, ({ g, badSteps, lossy }) => {
        const { unwrap } = SHAPE[g.shape];
        // a step property on every transition, into known states too: the first bad one in the checker's order, its exact trace
        const stepOptions = { invariant: true, deadlock: false, badSteps } as const;
        const stepped = checkBoth(g, stepOptions);
        const first = firstViolation(g, stepOptions);
        if (first === null) expect(stepped.verdict).not.toBe('violated');
        else {
          expect(stepped).toMatchObject({ verdict: 'violated', property: first.property, states: first.states });
          expect(stepped.trace.slice(1).map((t) => ({ action: t.action, params: t.params }))).toEqual(first.steps);
          tracedIds(g, stepped);
          replaysTo(g, stepOptions, stepped);
          if (first.property === 'good-step')
            expect(stepped.properties.find((p) => p.name === 'good-step')).toMatchObject({ status: 'violated', depth: first.steps.length });
        }

        // a lossy codec: caught before the search iff a reachable state does not come back, and the first such one is named
        const ref = reachable(g);
        const firstLossy = ref.order.find((s) => lossy[s] && (s + 1) % g.n !== s);
        let caught: unknown = null;
        try {
          check(graphModel(g, { invariant: false, deadlock: false, codec: true, lossy }));
        } catch (e) {
          caught = e;
        }
        if (firstLossy === undefined) expect(caught).toBeNull();
        else {
          expect(caught).toBeInstanceOf(CodecLossError);
          expect(unwrap((caught as CodecLossError).state)).toBe(firstLossy);
          expect(unwrap((caught as CodecLossError).unpacked)).toBe((firstLossy + 1) % g.n);
        }

        // a params() that changes one object between yields: a TypeError at its line wherever an action has two bindings, else no difference
        const plain = { invariant: false, deadlock: false } as const;
        let reusedError: unknown = null;
        let reusedResult: CheckResult<unknown> | null = null;
        try {
          reusedResult = check(graphModel(g, { ...plain, reuseBindings: true }));
        } catch (e) {
          reusedError = e;
        }
        if (g.actions.some((a) => a.arity >= 2)) {
          expect(reusedError).toBeInstanceOf(ModelCodeError);
          expect((reusedError as ModelCodeError).part).toBe('params');
          expect((reusedError as ModelCodeError).cause).toBeInstanceOf(TypeError);
        } else expect(stable(reusedResult!)).toEqual(stable(check(graphModel(g, plain))));
      }),
      { numRuns: EXTRA_RUNS },
    );
  });

  it('every shape is generated, the subtle ones included', () => {
    // the shapes graphArb draws from: all of them, so that each run above meets each kind of value
    expect(
      new Set(
        fc.sample(
          graphs.map((g) => g.shape),
          400,
        ),
      ),
    ).toEqual(new Set(SHAPES));
  });
});
