// A model whose effect throws at state 2 (specs/checker/soundness.test.ts): a
// module export, so that worker threads can build it too. It has a codec, so
// the parallel search really runs on workers.
import { action, type Model } from '../../checker/index.ts';

export const boomModel: Model<number> = {
  name: 'boom',
  init: [0],
  actions: [
    action<number, { by: number }>({
      name: 'inc',
      params: () => [{ by: 1 }, { by: 2 }],
      guard: (s) => s < 9,
      effect: (s, { by }) => {
        if (s === 2) throw new TypeError('Cannot read properties of undefined');
        return s + by;
      },
    }),
  ],
  properties: [],
  codec: { pack: (s, out) => out.int(s), unpack: (ints, at) => ints[at] },
  deadlockIsError: false,
};
