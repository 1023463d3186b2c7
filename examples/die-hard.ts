// The Die Hard water-jug puzzle (the film Die Hard with a Vengeance; Lamport's
// TLA+ example): with a 3-gallon jug, a 5-gallon jug and a tap, measure
// exactly 4 gallons. We claim "the big jug never holds 4 gallons"; the
// checker's counterexample is then the puzzle's shortest solution (6 steps).
//
//   npx tsx cli.ts check --model examples/die-hard.ts
import { Record, type RecordOf } from 'immutable';
import { action, always, sometimes, type Model } from '../checker/index.ts';

// A state is a value: gallons in each jug. Immutable Records compare by value.
type Jug = 'small' | 'big';
export type Jugs = RecordOf<{ small: number; big: number }>;
const Jugs = Record({ small: 0, big: 0 });
const CAPACITY = { small: 3, big: 5 } as const;

// An action's parameter bindings, tried in this order (the tie-break between
// equally short traces); traces show them, e.g. fill(jug=big).
const EACH_JUG = [{ jug: 'small' }, { jug: 'big' }] as const;
const EACH_POUR = [
  { from: 'small', to: 'big' },
  { from: 'big', to: 'small' },
] as const;

export const model: Model<Jugs> = {
  name: 'die-hard',
  init: [Jugs()], // both jugs empty
  // An action is enabled when its guard holds; the effect returns the next state.
  actions: [
    action<Jugs, { jug: Jug }>({
      name: 'fill',
      params: () => EACH_JUG,
      guard: (s, { jug }) => s.get(jug) < CAPACITY[jug],
      effect: (s, { jug }) => s.set(jug, CAPACITY[jug]),
    }),
    action<Jugs, { jug: Jug }>({
      name: 'empty',
      params: () => EACH_JUG,
      guard: (s, { jug }) => s.get(jug) > 0,
      effect: (s, { jug }) => s.set(jug, 0),
    }),
    action<Jugs, { from: Jug; to: Jug }>({
      name: 'pour',
      params: () => EACH_POUR, // until `from` is empty or `to` is full
      guard: (s, { from, to }) => s.get(from) > 0 && s.get(to) < CAPACITY[to],
      effect: (s, { from, to }) => {
        const poured = Math.min(s.get(from), CAPACITY[to] - s.get(to));
        return s.set(from, s.get(from) - poured).set(to, s.get(to) + poured);
      },
    }),
  ],
  properties: [
    // must hold in every reachable state; its violation solves the puzzle
    always('big-jug-not-4', 'the big jug never holds exactly 4 gallons', (s) => s.big !== 4),
    // must happen at least once (else the run is 'vacuous'); may look at the step taken
    sometimes('pour-fills-big', 'a pour tops up the big jug', (s, step) => step?.action === 'pour' && s.big === 5),
  ],
  // How the checker tells states apart: two small ints are enough.
  encode: (s, out) => {
    out.int(s.small);
    out.int(s.big);
  },
};

export default model;
