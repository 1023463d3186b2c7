// A broken mutual exclusion: each process checks that the other's flag is
// down, then raises its own and enters. Both can pass the check before
// either raises its flag, so both enter: the checker finds that in 4 steps.
// States here are plain frozen objects, keyed by the checker's default
// structural encoding (no `encode` needed).
//
//   npx tsx cli.ts check --model examples/naive-mutex.ts
import { action, always, type Model } from '../checker/index.ts';

/** idle -> checked (saw the other's flag down) -> critical (own flag up) -> idle */
export type Pc = 'idle' | 'checked' | 'critical';
type Proc = 0 | 1;
export interface NaiveState {
  readonly pc: readonly [Pc, Pc];
  readonly flag: readonly [boolean, boolean];
}

const EACH_PROC = [{ p: 0 }, { p: 1 }] as const;
const other = (p: Proc): Proc => (p === 0 ? 1 : 0);
function update<T>(pair: readonly [T, T], p: Proc, value: T): readonly [T, T] {
  return p === 0 ? [value, pair[1]] : [pair[0], value];
}

export const model: Model<NaiveState> = {
  name: 'naive-mutex',
  init: [{ pc: ['idle', 'idle'], flag: [false, false] }],
  actions: [
    action<NaiveState, { p: Proc }>({
      name: 'check',
      params: () => EACH_PROC,
      guard: (s, { p }) => s.pc[p] === 'idle' && !s.flag[other(p)],
      effect: (s, { p }) => ({ ...s, pc: update(s.pc, p, 'checked') }),
    }),
    action<NaiveState, { p: Proc }>({
      name: 'enter',
      params: () => EACH_PROC, // raise own flag and enter
      guard: (s, { p }) => s.pc[p] === 'checked',
      effect: (s, { p }) => ({ pc: update(s.pc, p, 'critical'), flag: update(s.flag, p, true) }),
    }),
    action<NaiveState, { p: Proc }>({
      name: 'leave',
      params: () => EACH_PROC,
      guard: (s, { p }) => s.pc[p] === 'critical',
      effect: (s, { p }) => ({ pc: update(s.pc, p, 'idle'), flag: update(s.flag, p, false) }),
    }),
  ],
  properties: [
    always('mutual-exclusion', 'never both processes in the critical section', (s) => !(s.pc[0] === 'critical' && s.pc[1] === 'critical')),
  ],
};

export default model;
