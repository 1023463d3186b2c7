// Random symmetric models for the symmetric liveness analysis
// (checker/symmetric-liveness.ts): P interchangeable processes, each in a
// local state 0..L-1, and one shared value 0..G-1. Action k moves process i
// by a table of (local, shared) -> (local, shared) options, or (an exchange)
// swaps the local states of processes i and j where a table allows it (the
// class is the same: a step whose renaming is not the identity), with
// fairness per process (weak, strong, none or finite, drawn per action). Properties: per
// process, local = 1 ~> local = 2 (about that process, so a renaming renames
// it), and shared = 1 ~> shared = 0 (about no process).
//
// `symmetric(spec, true)` encodes a state with the processes sorted and
// declares the Symmetry; `symmetric(spec, false)` is the same model without
// any reduction: the two must give the same verdicts.
import { action, leadsTo, type Fairness, type LiveModel, type Symmetry } from '../../checker/index.ts';
import { Random } from '../../checker/random.ts';

export interface SymState {
  readonly l: readonly number[];
  readonly g: number;
}

export interface SymSpec {
  readonly P: number;
  readonly L: number;
  readonly G: number;
  /**
   * per action: its fairness, whether it exchanges two processes' local states, and its moves:
   * moves[l * G + g] = the options [l', g'] (for an exchange: the first option's g', and only where l differs from the partner's)
   */
  readonly actions: readonly { fairness: Fairness | null; exchange: boolean; moves: readonly (readonly [number, number])[][] }[];
  /** the initial states (not necessarily closed under renaming) */
  readonly init: readonly SymState[];
}

export function randomSymSpec(seed: number): SymSpec {
  const rnd = Random.forRun(seed, 0);
  const P = 2 + rnd.below(2);
  const L = 2 + rnd.below(3);
  const G = 1 + rnd.below(2);
  const kinds: (Fairness | null)[] = ['weak', 'weak', 'strong', null, 'finite'];
  const actions = Array.from({ length: 1 + rnd.below(3) }, () => ({
    fairness: kinds[rnd.below(kinds.length)],
    exchange: rnd.below(4) === 0,
    moves: Array.from({ length: L * G }, () =>
      Array.from({ length: rnd.below(3) === 0 ? 0 : 1 + rnd.below(2) }, () => [rnd.below(L), rnd.below(G)] as const),
    ),
  }));
  const initOf = () => ({ l: Array.from({ length: P }, () => (rnd.below(3) === 0 ? rnd.below(L) : 0)), g: 0 });
  const init = rnd.below(2) === 0 ? [{ l: new Array(P).fill(0), g: 0 }] : [initOf(), initOf()];
  return { P, L, G, actions, init };
}

/** the renaming that sorts the processes by local state (stable: ties keep their order) */
function sortingRenaming(s: SymState, r: Int32Array): void {
  const order = s.l.map((_, i) => i).sort((a, b) => s.l[a] - s.l[b] || a - b);
  order.forEach((proc, k) => {
    r[proc] = k;
  });
}

export function symmetric(spec: SymSpec, reduce: boolean): LiveModel<SymState> {
  const { P } = spec;
  const procs = Array.from({ length: P }, (_, i) => Object.freeze({ p: i }));
  const bindings = Object.freeze(procs.flatMap(({ p }) => Array.from({ length: 2 }, (_, c) => Object.freeze({ p, c }))));
  const pairs = Object.freeze(procs.flatMap(({ p }) => procs.filter(({ p: q }) => q !== p).map(({ p: q }) => Object.freeze({ p, c: q }))));
  const symmetry: Symmetry<SymState> = {
    atoms: P,
    canonical: sortingRenaming,
    renameParams: (r, a, params) => ({
      ...params,
      p: r[params.p as number],
      ...(spec.actions[Number(a.slice(4))].exchange ? { c: r[params.c as number] } : {}),
    }),
    renameProperty: (r, name) => {
      const m = /^response\[(\d+)\]$/.exec(name);
      return m === null ? name : `response[${r[Number(m[1])]}]`;
    },
  };
  return {
    name: `symmetric/${reduce ? 'reduced' : 'plain'}`,
    init: spec.init,
    deadlockIsError: false,
    actions: spec.actions.map((a, k) =>
      action<SymState, { p: number; c: number }>({
        name: `move${k}`,
        // an exchange's c is the partner process
        params: () => (a.exchange ? pairs : bindings),
        domain: a.exchange ? pairs : bindings,
        guard: (s, { p, c }) =>
          a.exchange ? s.l[p] !== s.l[c] && a.moves[s.l[p] * spec.G + s.g].length > 0 : a.moves[s.l[p] * spec.G + s.g].length > c,
        effect: (s, { p, c }) => {
          const next = s.l.slice();
          if (a.exchange) {
            next[p] = s.l[c];
            next[c] = s.l[p];
            return { l: next, g: a.moves[s.l[p] * spec.G + s.g][0][1] };
          }
          const [l, g] = a.moves[s.l[p] * spec.G + s.g][c];
          next[p] = l;
          return { l: next, g };
        },
        ...(a.fairness === null
          ? {}
          : { fairness: a.fairness === 'finite' ? 'finite' : { kind: a.fairness as 'weak' | 'strong', per: ['p'] } }),
      }),
    ),
    properties: [
      ...procs.map(({ p }) =>
        leadsTo<SymState>(
          `response[${p}]`,
          `process ${p} in state 1 reaches state 2`,
          (s) => s.l[p] === 1,
          (s) => s.l[p] === 2,
        ),
      ),
      leadsTo<SymState>(
        'reset',
        'the shared value 1 goes back to 0',
        (s) => s.g === 1,
        (s) => s.g === 0,
      ),
    ],
    // packed, so that the search can run on worker threads
    codec: {
      pack: (s: SymState, out: { int(x: number): void }) => {
        for (const x of s.l) out.int(x);
        out.int(s.g);
      },
      unpack: (ints: Int32Array, start: number) => ({ l: Array.from(ints.subarray(start, start + P)), g: ints[start + P] }),
    },
    ...(reduce
      ? {
          encode: (s: SymState, out: { int(x: number): void }) => {
            for (const x of s.l.slice().sort((a, b) => a - b)) out.int(x);
            out.int(s.g);
          },
          equivalent: (a: SymState, b: SymState) => a.g === b.g && a.l.slice().sort().join() === b.l.slice().sort().join(),
          symmetry,
        }
      : {}),
  };
}

/** The model of `randomSymSpec(seed)`, for a ModelSource (worker threads build it from the seed). */
export function symmetricFromSeed(seed: number, reduce: boolean): LiveModel<SymState> {
  return symmetric(randomSymSpec(seed), reduce);
}
