// A token-ring mutex for k processes: only the holder of the token may enter
// its critical section; leaving passes the token on, and an idle holder may
// pass it on too. Each process is idle, trying or critical. "Process 0, once
// trying, gets in" holds when entering, leaving and passing are weakly fair
// (the token keeps going round, and stays at a trying holder until it
// enters); without fairness on `pass` the token may stop at an idle holder.
// 3^k * k states (most reachable): a scalable model for the liveness checker.
//
//   npx tsx cli.ts check --model examples/token-ring.ts
import { action, always, leadsTo, type Fairness, type IntSink, type LiveModel } from '../checker/index.ts';

export interface Ring {
  /** 0 idle, 1 trying, 2 critical, per process */
  readonly pc: readonly number[];
  readonly token: number;
}

const IDLE = 0,
  TRYING = 1,
  CRITICAL = 2;

export interface RingOptions {
  /** fairness of enter and leave (per process) and of pass */
  readonly enter?: Fairness;
  readonly leave?: Fairness;
  readonly pass?: Fairness;
}

export function tokenRing(k: number, options: RingOptions = { enter: 'weak', leave: 'weak', pass: 'weak' }): LiveModel<Ring> {
  const each = Array.from({ length: k }, (_, i) => ({ i }));
  const set = (pc: readonly number[], i: number, v: number) => pc.map((x, j) => (j === i ? v : x));
  return {
    name: `token-ring(${k})`,
    init: [{ pc: Array(k).fill(IDLE), token: 0 }],
    actions: [
      action<Ring, { i: number }>({
        name: 'request',
        params: () => each,
        guard: (s, { i }) => s.pc[i] === IDLE,
        effect: (s, { i }) => ({ pc: set(s.pc, i, TRYING), token: s.token }),
      }),
      action<Ring, { i: number }>({
        name: 'enter',
        params: () => each,
        ...(options.enter ? { fairness: options.enter } : {}),
        guard: (s, { i }) => s.pc[i] === TRYING && s.token === i,
        effect: (s, { i }) => ({ pc: set(s.pc, i, CRITICAL), token: s.token }),
      }),
      action<Ring, { i: number }>({
        name: 'leave',
        params: () => each,
        ...(options.leave ? { fairness: options.leave } : {}),
        guard: (s, { i }) => s.pc[i] === CRITICAL,
        effect: (s, { i }) => ({ pc: set(s.pc, i, IDLE), token: (i + 1) % k }),
      }),
      action<Ring>({
        name: 'pass',
        ...(options.pass ? { fairness: options.pass } : {}),
        guard: (s) => s.pc[s.token] === IDLE,
        effect: (s) => ({ pc: s.pc, token: (s.token + 1) % k }),
      }),
    ],
    properties: [
      always('mutual-exclusion', 'at most one process is critical', (s) => s.pc.filter((x) => x === CRITICAL).length <= 1),
      leadsTo(
        'p0-served',
        'process 0, once trying, enters its critical section',
        (s) => s.pc[0] === TRYING,
        (s) => s.pc[0] === CRITICAL,
      ),
    ],
    encode: (s, out) => {
      for (const x of s.pc) out.int(x);
      out.int(s.token);
    },
    codec: {
      pack: (s: Ring, out: IntSink) => {
        for (const x of s.pc) out.int(x);
        out.int(s.token);
      },
      unpack: (ints: Int32Array, at: number) => ({ pc: Array.from(ints.subarray(at, at + k)), token: ints[at + k] }),
    },
    deadlockIsError: false,
  };
}

export const model = tokenRing(4);
export default model;
