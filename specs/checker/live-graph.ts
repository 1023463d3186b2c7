// Random small models for the liveness tests: a directed graph over n <= 7
// integer states; each action has 1..3 parameter bindings {k, g: k >> 1} with
// a target per (state, binding), a fairness (none, weak or strong, per the
// whole binding, per g only, or one instance for the whole action; or finite:
// taken only finitely often), and each
// liveness property has random p and q bits per transition (and per initial
// state). A LiveGraph is plain data, so a worker thread rebuilds the same
// model from it (liveGraphModel is the export the parallel search loads).
import fc from 'fast-check';
import { eventually, leadsTo, type Fairness, type IntSink, type LiveModel, type Params, type Step } from '../../checker/index.ts';

export const MAX_BINDINGS = 3;
export const MAX_ACTIONS = 3;
export const MAX_PROPS = 2;

export type FairnessSpec = 'none' | 'weak' | 'strong' | 'weak-g' | 'strong-g' | 'weak-action' | 'strong-action' | 'finite';
export const FAIRNESS_SPECS: readonly FairnessSpec[] = [
  'none',
  'weak',
  'strong',
  'weak-g',
  'strong-g',
  'weak-action',
  'strong-action',
  'finite',
];

export interface LiveGraph {
  readonly n: number;
  readonly init: readonly number[];
  readonly actions: readonly {
    readonly bindings: number;
    readonly fairness: FairnessSpec;
    /** targets[s * MAX_BINDINGS + k]: -1 disabled, else the target state */
    readonly targets: readonly number[];
  }[];
  /**
   * labels[prop][(a * n + s) * MAX_BINDINGS + k]: p (bit 0) and q (bit 1) of property prop on the
   * transition of action a, binding k, from state s
   */
  readonly labels: readonly (readonly number[])[];
  /** initLabels[prop][s]: p and q of property prop on initial state s */
  readonly initLabels: readonly (readonly number[])[];
}

export function fairnessOf(spec: FairnessSpec): Fairness | undefined {
  switch (spec) {
    case 'none':
      return undefined;
    case 'weak':
    case 'strong':
    case 'finite':
      return spec;
    case 'weak-g':
      return { kind: 'weak', per: ['g'] };
    case 'strong-g':
      return { kind: 'strong', per: ['g'] };
    case 'weak-action':
      return { kind: 'weak', per: [] };
    case 'strong-action':
      return { kind: 'strong', per: [] };
  }
}

export const paramsOf = (k: number): Params => ({ k, g: k >> 1 });

export function liveGraphModel(g: LiveGraph, options: { codec?: boolean } = {}): LiveModel<number> {
  const label = (prop: number, bit: number) => (s: number, step?: Step<number>) => {
    if (step === undefined) return ((g.initLabels[prop][s] >> bit) & 1) === 1;
    const a = Number(step.action.slice(1));
    const k = step.params.k as number;
    return ((g.labels[prop][(a * g.n + step.from) * MAX_BINDINGS + k] >> bit) & 1) === 1;
  };
  return {
    name: 'random-live',
    init: g.init,
    actions: g.actions.map((a, i) => {
      const fairness = fairnessOf(a.fairness);
      return {
        name: `a${i}`,
        params: () => Array.from({ length: a.bindings }, (_, k) => paramsOf(k)),
        guard: (s: number, p: Params) => a.targets[s * MAX_BINDINGS + (p.k as number)] >= 0,
        effect: (s: number, p: Params) => a.targets[s * MAX_BINDINGS + (p.k as number)],
        ...(fairness ? { fairness } : {}),
      };
    }),
    properties: g.labels.map((_, prop) => leadsTo(`live${prop}`, `property ${prop}`, label(prop, 0), label(prop, 1))),
    deadlockIsError: false,
    ...(options.codec
      ? { codec: { pack: (s: number, out: IntSink) => out.int(s), unpack: (ints: Int32Array, at: number) => ints[at] } }
      : {}),
  };
}

/** Random LiveGraphs: n <= 6 states, 1..3 actions, 1..2 properties; p on half the transitions, q on a quarter. */
export const liveGraphArb: fc.Arbitrary<LiveGraph> = fc.integer({ min: 1, max: 6 }).chain((n) =>
  fc.integer({ min: 1, max: MAX_PROPS }).chain((props) =>
    fc.record({
      n: fc.constant(n),
      init: fc.array(fc.nat(n - 1), { minLength: 1, maxLength: 2 }),
      actions: fc.array(
        fc.record({
          bindings: fc.integer({ min: 1, max: MAX_BINDINGS }),
          fairness: fc.constantFrom(...FAIRNESS_SPECS),
          targets: fc.array(fc.oneof({ arbitrary: fc.constant(-1), weight: 3 }, { arbitrary: fc.nat(n - 1), weight: 2 }), {
            minLength: n * MAX_BINDINGS,
            maxLength: n * MAX_BINDINGS,
          }),
        }),
        { minLength: 1, maxLength: MAX_ACTIONS },
      ),
      // p in half the places, q in a quarter
      labels: fc.array(
        fc.array(
          fc.tuple(fc.boolean(), fc.nat(3)).map(([p, q]) => (p ? 1 : 0) | (q === 0 ? 2 : 0)),
          { minLength: MAX_ACTIONS * n * MAX_BINDINGS, maxLength: MAX_ACTIONS * n * MAX_BINDINGS },
        ),
        { minLength: props, maxLength: props },
      ),
      initLabels: fc.array(
        fc.array(
          fc.tuple(fc.boolean(), fc.nat(3)).map(([p, q]) => (p ? 1 : 0) | (q === 0 ? 2 : 0)),
          { minLength: n, maxLength: n },
        ),
        { minLength: props, maxLength: props },
      ),
    }),
  ),
);

/**
 * A counter 0 .. n-1 by `inc` (weakly fair or not) with n properties "reaches j" (<> count = j),
 * more than 16 of them when n > 16: the graph then keeps two words of p/q bits per edge.
 */
export function manyGoals(n: number, fair: boolean): LiveModel<number> {
  return {
    name: `many-goals(${n})`,
    init: [0],
    deadlockIsError: false,
    actions: [
      { name: 'inc', guard: (c: number) => c < n - 1, effect: (c: number) => c + 1, ...(fair ? { fairness: 'weak' as const } : {}) },
    ],
    properties: Array.from({ length: n }, (_, j) => eventually(`reaches-${j}`, `the counter reaches ${j}`, (c: number) => c === j)),
    codec: { pack: (s: number, out: IntSink) => out.int(s), unpack: (ints: Int32Array, at: number) => ints[at] },
  };
}
