// A lossless packing of a state into integers, and back: the checker keeps
// its BFS frontier packed and sends packed states to its worker threads. A
// state is its words (state.ts), so the packing is those words as they are:
// nothing is sorted or renamed, and unpacking gives back a state equal to
// the one packed, so traces replay exactly.
import type { StateCodec } from '../checker/index.ts';
import type { Layout, State } from './state.ts';

export function stateCodec(layout: Layout): StateCodec<State> {
  const n = layout.words;
  return {
    pack(s, out) {
      const w = s.w;
      for (let i = 0; i < n; i++) out.int(w[i]);
    },
    unpack(ints, start) {
      return layout.state(ints.slice(start, start + n));
    },
  };
}
