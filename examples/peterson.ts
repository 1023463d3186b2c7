// Peterson's mutual exclusion for two processes (G. L. Peterson, 1981). Each
// process raises its flag, gives the turn away, then waits until the other
// has lowered its flag or given the turn back. Mutual exclusion holds.
//
//   npx tsx cli.ts check --model examples/peterson.ts
import { List, Record, type RecordOf } from 'immutable';
import { action, always, sometimes, type Model } from '../checker/index.ts';

/** idle -> flagged (flag up) -> waiting (turn given away) -> critical -> idle (flag down) */
export type Pc = 'idle' | 'flagged' | 'waiting' | 'critical';
const PCS: readonly Pc[] = ['idle', 'flagged', 'waiting', 'critical'];
type Proc = 0 | 1;
export type PetersonState = RecordOf<{ pc: List<Pc>; flag: List<boolean>; turn: Proc }>;
const PetersonState = Record<{ pc: List<Pc>; flag: List<boolean>; turn: Proc }>({
  pc: List<Pc>(['idle', 'idle']),
  flag: List([false, false]),
  turn: 0,
});

const EACH_PROC = [{ p: 0 }, { p: 1 }] as const;
const other = (p: Proc): Proc => (p === 0 ? 1 : 0);
const at = (s: PetersonState, p: Proc, pc: Pc) => s.pc.get(p) === pc;
const goto = (s: PetersonState, p: Proc, pc: Pc) => s.set('pc', s.pc.set(p, pc));

/** One step of process p, from pc `from` (the guard adds `when`). */
const stepOf = (
  name: string,
  from: Pc,
  when: (s: PetersonState, p: Proc) => boolean,
  effect: (s: PetersonState, p: Proc) => PetersonState,
) =>
  action<PetersonState, { p: Proc }>({
    name,
    params: () => EACH_PROC,
    guard: (s, { p }) => at(s, p, from) && when(s, p),
    effect: (s, { p }) => effect(s, p),
  });

export const model: Model<PetersonState> = {
  name: 'peterson',
  init: [PetersonState()],
  actions: [
    stepOf(
      'raiseFlag',
      'idle',
      () => true,
      (s, p) => goto(s, p, 'flagged').set('flag', s.flag.set(p, true)),
    ),
    stepOf(
      'giveTurn',
      'flagged',
      () => true,
      (s, p) => goto(s, p, 'waiting').set('turn', other(p)),
    ),
    stepOf(
      'enter',
      'waiting',
      (s, p) => !s.flag.get(other(p)) || s.turn === p,
      (s, p) => goto(s, p, 'critical'),
    ),
    stepOf(
      'leave',
      'critical',
      () => true,
      (s, p) => goto(s, p, 'idle').set('flag', s.flag.set(p, false)),
    ),
  ],
  properties: [
    always('mutual-exclusion', 'never both processes in the critical section', (s) => !(at(s, 0, 'critical') && at(s, 1, 'critical'))),
    sometimes('contention', 'both processes wait at once (the turn decides)', (s) => at(s, 0, 'waiting') && at(s, 1, 'waiting')),
  ],
  encode: (s, out) => {
    for (const p of [0, 1] as const) {
      out.int(PCS.indexOf(s.pc.get(p)!));
      out.int(s.flag.get(p) ? 1 : 0);
    }
    out.int(s.turn);
  },
};

export default model;
