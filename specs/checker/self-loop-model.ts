// A counter 0 -> 1 -> 2 -> 3 whose `wait` step returns the state it is given
// (the same object): a self-loop, which the checker neither encodes nor looks
// up again. States are objects, packed by a codec, so the parallel search
// runs them on worker threads. "0 leads to 3" holds when `inc` is weakly
// fair; with only `wait` fair, waiting at 0 forever is a fair behaviour that
// violates it (stem 0, cycle: wait).
import { action, leadsTo, type Fairness, type IntSink, type LiveModel } from '../../checker/index.ts';

export interface Count {
  readonly n: number;
}

const of = (n: number): Count => Object.freeze({ n });

export function selfLoopModel(fairness: { readonly inc?: Fairness; readonly wait?: Fairness }): LiveModel<Count> {
  return {
    name: 'self-loop counter',
    init: [of(0)],
    deadlockIsError: false,
    actions: [
      action<Count>({
        name: 'inc',
        guard: (s) => s.n < 3,
        effect: (s) => of(s.n + 1),
        ...(fairness.inc ? { fairness: fairness.inc } : {}),
      }),
      action<Count>({ name: 'wait', guard: () => true, effect: (s) => s, ...(fairness.wait ? { fairness: fairness.wait } : {}) }),
    ],
    properties: [
      leadsTo<Count>(
        'reaches-3',
        '0 leads to 3',
        (s) => s.n === 0,
        (s) => s.n === 3,
      ),
    ],
    encode: (s: Count, out: IntSink) => out.int(s.n),
    codec: { pack: (s: Count, out: IntSink) => out.int(s.n), unpack: (ints: Int32Array, at: number) => of(ints[at]) },
  };
}
