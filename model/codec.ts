// A lossless packing of a state into a few integers, and back: the checker
// keeps its BFS frontier packed (a few dozen bytes a state instead of a tree
// of objects) and sends packed states to its worker threads. Unlike the
// symmetric encoding (encoding.ts), nothing is sorted or renamed: unpacking
// gives back a state equal to the one packed, so traces replay exactly.
//
// Layout (layout.ts): one word per tab slot (its fields, then its meeting
// id), then the number of meeting ids, then per meeting either -1 (forgotten)
// or two words (its fields, its poll queue as an unsigned 32-bit number).
// Tabs and meetings are interned (state.ts), so unpacking allocates only the
// state and its two arrays.
import type { IntSink, StateCodec } from '../checker/index.ts';
import { Meeting, State, Tab } from './state.ts';

const FORGOTTEN = -1;

export function packState(s: State, out: IntSink): void {
  const { tabs, meetings } = s;
  for (let i = 0; i < tabs.length; i++) out.int(tabs[i].word);
  out.int(meetings.length);
  for (let k = 0; k < meetings.length; k++) {
    const m = meetings[k];
    if (m === null) out.int(FORGOTTEN);
    else {
      out.int(m.bits);
      out.int(m.polls | 0);
    }
  }
}

/** The codec for states with `slots` tab slots. */
export function stateCodec(slots: number): StateCodec<State> {
  return {
    pack: packState,
    unpack(ints, start) {
      let at = start;
      const tabs: Tab[] = new Array(slots);
      for (let i = 0; i < slots; i++) tabs[i] = Tab.fromWord(ints[at++]);
      const count = ints[at++];
      const ms: (Meeting | null)[] = new Array(count);
      for (let k = 0; k < count; k++) {
        const bits = ints[at++];
        ms[k] = bits === FORGOTTEN ? null : Meeting.of(bits, ints[at++] >>> 0);
      }
      return new State(tabs, ms);
    },
  };
}
