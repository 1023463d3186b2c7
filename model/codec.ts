// A lossless packing of a state into a few integers, and back: the checker
// keeps its BFS frontier packed (a few dozen bytes a state instead of a tree
// of objects) and sends packed states to its worker threads. Unlike the
// symmetric encoding (encoding.ts), nothing is sorted or renamed: unpacking
// gives back a state equal to the one packed, so traces replay exactly.
//
// Layout: one int per tab slot (its fields, then its meeting id above bit
// 22), then the number of meeting ids, then per meeting either -1 (forgotten)
// or two ints (its fields, its poll queue as an unsigned 32-bit number).
import { List } from 'immutable';
import type { IntSink, StateCodec } from '../checker/index.ts';
import { EMPTY_TAB, INACTIVE_MEETING, Meeting, NEW_MEETING, PHASES, State, Tab } from './state.ts';
import { meetingBits, tabBits } from './encoding.ts';

const MEETING_SHIFT = 22;
const FORGOTTEN = -1;

export function packState(s: State, out: IntSink): void {
  // indexed reads: a List's iterator allocates, and this runs for every new state
  const { tabs, meetings } = s;
  for (let i = 0; i < tabs.size; i++) out.int(packTab(tabs.get(i)!));
  out.int(meetings.size);
  for (let k = 0; k < meetings.size; k++) {
    const m = meetings.get(k)!;
    if (m === null) out.int(FORGOTTEN);
    else {
      out.int(meetingBits(m));
      out.int(m.polls | 0);
    }
  }
}

function tabFrom(word: number): Tab {
  return EMPTY_TAB.merge({
    phase: PHASES[word & 7],
    handshake: (word >>> 3) & 15,
    visible: ((word >>> 7) & 1) === 1,
    lag: (word >>> 8) & 7,
    sessionOpen: ((word >>> 11) & 1) === 1,
    leftHook: ((word >>> 14) & 1) === 1,
    pendingJoin: ((word >>> 15) & 63) - 1,
    seenByPoll: ((word >>> 21) & 1) === 1,
    meeting: word >>> MEETING_SHIFT,
  });
}

function meetingFrom(bits: number, polls: number): Meeting {
  return NEW_MEETING.merge({
    active: (bits & 1) === 1,
    hadSessions: ((bits >>> 1) & 1) === 1,
    worker: (bits >>> 2) & 7,
    pollRunning: ((bits >>> 5) & 1) === 1,
    quiet: (bits >>> 6) & 15,
    joinedSinceVersionRead: ((bits >>> 10) & 1) === 1,
    polls,
  });
}

/**
 * The codec for states with `slots` tab slots. Tabs and meetings are
 * interned by their packed form: a search meets few distinct ones, and
 * sharing them saves allocation and keeps the singletons (EMPTY_TAB,
 * INACTIVE_MEETING) that tidy() recognises by identity.
 */
export function stateCodec(slots: number): StateCodec<State> {
  const tabs = new Map<number, Tab>([[packTab(EMPTY_TAB), EMPTY_TAB]]);
  const meetings = new Map<number, Meeting>([
    [meetingKey(meetingBits(NEW_MEETING), NEW_MEETING.polls), NEW_MEETING],
    [meetingKey(meetingBits(INACTIVE_MEETING), INACTIVE_MEETING.polls), INACTIVE_MEETING],
  ]);
  const tabArray: Tab[] = new Array(slots);
  return {
    pack: packState,
    unpack(ints, start) {
      let at = start;
      for (let i = 0; i < slots; i++) {
        const word = ints[at++];
        let t = tabs.get(word);
        if (t === undefined) tabs.set(word, (t = tabFrom(word)));
        tabArray[i] = t;
      }
      const count = ints[at++];
      const ms: (Meeting | null)[] = new Array(count);
      for (let k = 0; k < count; k++) {
        const bits = ints[at++];
        if (bits === FORGOTTEN) {
          ms[k] = null;
          continue;
        }
        const polls = ints[at++] >>> 0;
        const key = meetingKey(bits, polls);
        let m = meetings.get(key);
        if (m === undefined) meetings.set(key, (m = meetingFrom(bits, polls)));
        ms[k] = m;
      }
      return new State().merge({ tabs: List(tabArray), meetings: List(ms) });
    },
  };
}

function packTab(t: Tab): number {
  return tabBits(t) | (t.meeting << MEETING_SHIFT);
}

/** meeting fields (11 bits) and polls (32 bits) as one exact double key */
function meetingKey(bits: number, polls: number): number {
  return bits * 4294967296 + polls;
}
