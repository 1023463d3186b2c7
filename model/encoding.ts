// The state's integer encoding for the checker's visited set. With symmetry
// on, users are interchangeable, so are a user's tab slots, and meeting ids
// are only names: the encoding sorts users and slots and renumbers meetings by
// first use, so that states equal up to those renamings encode alike. It
// always writes every field, so two states encode alike only if they are such
// renamings of each other (the reduction is sound: equivalence.ts says when,
// and the checker tests the two against each other); ties it cannot break
// only cost extra states.
import type { IntSink } from '../checker/index.ts';
import type { Bounds } from './bounds.ts';
import { TAB_BITS } from './layout.ts';
import { MEETING_DIGEST_BITS, TAB_SCALE, type Meeting, type State } from './state.ts';

function writeMeeting(m: Meeting, out: IntSink): void {
  out.int(m.bits);
  out.int(m.polls);
}

/** The plain encoding: slots and meeting ids as they are. */
export function encodeExact(s: State, out: IntSink): void {
  for (const t of s.tabs) {
    out.int(t.word);
  }
  out.int(s.meetings.length);
  for (const m of s.meetings) {
    if (m === null) out.int(-1);
    else writeMeeting(m, out);
  }
}

/** A tab's sort key: its fields, then its meeting's digest (fits a double exactly). */
const KEY_SCALE = 2 ** MEETING_DIGEST_BITS;
if (TAB_BITS + MEETING_DIGEST_BITS > 53) throw new Error("model/encoding.ts: a tab's fields and a meeting digest do not fit a sort key");

/**
 * The symmetric encoding. With `users: false` users keep their places (only
 * a user's tab slots and the meeting ids are interchangeable): the reduction
 * liveness checking uses, under which each user's own properties and
 * fairness stay what they are.
 */
export function symmetricEncoder(b: Bounds, options: { readonly users: boolean } = { users: true }): (s: State, out: IntSink) => void {
  const permuteUsers = options.users;
  const slots = b.users * b.tabs;
  const maxMeetings = slots + 1;
  // scratch arrays, reused: the encoder runs once per generated state, so it
  // allocates nothing and sorts the tiny arrays by insertion
  const keys = new Float64Array(slots);
  const order = new Int32Array(b.users);
  const slotOrder = new Int32Array(slots); // user u's slots, sorted, at u*tabs ..
  const sig = new Float64Array(maxMeetings + 1);
  const canon = new Int32Array(maxMeetings + 1);
  const byCanon = new Int32Array(maxMeetings + 1);

  const compareUsers = (x: number, y: number): number => {
    for (let k = 0; k < b.tabs; k++) {
      const d = keys[slotOrder[x * b.tabs + k]] - keys[slotOrder[y * b.tabs + k]];
      if (d !== 0) return d;
    }
    return 0;
  };

  return (s, out) => {
    const meetings = s.meetings;
    const tabs = s.tabs;
    const n = meetings.length;
    // 1. a tab's sort key: its own fields and its meeting's identity-free signature
    for (let m = 1; m <= n; m++) {
      const mt = meetings[m - 1];
      sig[m] = mt == null ? -1 : mt.signature;
    }
    for (let i = 0; i < slots; i++) {
      const t = tabs[i];
      keys[i] = t.bits * KEY_SCALE + (t.meeting === 0 ? 0 : (meetings[t.meeting - 1]?.digest ?? 0));
    }
    // 2. sort each user's slots, then the users
    for (let u = 0; u < b.users; u++) {
      const base = u * b.tabs;
      for (let k = 0; k < b.tabs; k++) {
        const x = base + k;
        let j = k;
        while (j > 0 && keys[slotOrder[base + j - 1]] > keys[x]) {
          slotOrder[base + j] = slotOrder[base + j - 1];
          j--;
        }
        slotOrder[base + j] = x;
      }
    }
    for (let u = 0; u < b.users; u++) {
      let j = u;
      while (permuteUsers && j > 0 && compareUsers(order[j - 1], u) > 0) {
        order[j] = order[j - 1];
        j--;
      }
      order[j] = u;
    }
    // 3. renumber meetings by first use in that order, then the unreferenced ones by signature
    for (let m = 0; m <= n; m++) canon[m] = 0; // (a loop: fill() costs more than it saves on arrays this small)
    let next = 0;
    for (let k = 0; k < b.users; k++) {
      const base = order[k] * b.tabs;
      for (let j = 0; j < b.tabs; j++) {
        const m = tabs[slotOrder[base + j]].meeting;
        if (m !== 0 && canon[m] === 0) {
          canon[m] = ++next;
          byCanon[next] = m;
        }
      }
    }
    const referenced = next;
    for (let m = 1; m <= n; m++) {
      if (sig[m] < 0 || canon[m] !== 0) continue;
      let j = ++next;
      while (j > referenced + 1 && sig[byCanon[j - 1]] > sig[m]) {
        byCanon[j] = byCanon[j - 1];
        j--;
      }
      byCanon[j] = m;
    }
    for (let c = referenced + 1; c <= next; c++) canon[byCanon[c]] = c;
    // 4. write users, slots and meetings in canonical order
    for (let k = 0; k < b.users; k++) {
      const base = order[k] * b.tabs;
      for (let j = 0; j < b.tabs; j++) {
        const t = tabs[slotOrder[base + j]];
        // one word, as a Tab packs itself: its fields, then the meeting's canonical id above them
        out.int(t.bits + (t.meeting === 0 ? 0 : canon[t.meeting]) * TAB_SCALE);
      }
    }
    out.int(next);
    for (let c = 1; c <= next; c++) writeMeeting(meetings[byCanon[c] - 1]!, out);
  };
}
