// The state's integer encoding for the checker's visited set. With symmetry
// on, users are interchangeable, so are a user's tab slots, and meeting ids
// are only names: the encoding sorts users and slots and renumbers meetings by
// first use, so that states equal up to those renamings encode alike. It
// always writes every field, so two states encode alike only if they are such
// renamings of each other (the reduction is sound); ties it cannot break only
// cost extra states.
import type { IntSink } from '../checker/index.ts';
import type { Bounds } from './bounds.ts';
import { PHASES, SESSIONS, WORKER_STAGES, type Meeting, type State, type Tab } from './state.ts';

const PHASE_CODE = new Map(PHASES.map((p, i) => [p, i]));
const SESSION_CODE = new Map(SESSIONS.map((p, i) => [p, i]));
const WORKER_CODE = new Map(WORKER_STAGES.map((p, i) => [p, i]));

/** Every field of a tab but its meeting, in 22 bits (the bounds' maxima keep each field in its width). */
export function tabBits(t: Tab): number {
  return PHASE_CODE.get(t.phase)!
    | (t.handshake << 3)
    | ((t.visible ? 1 : 0) << 7)
    | (t.lag << 8)
    | (SESSION_CODE.get(t.session)! << 11)
    | ((t.joinedHook ? 1 : 0) << 13)
    | ((t.leftHook ? 1 : 0) << 14)
    | ((t.pendingJoin + 1) << 15)
    | ((t.seenByPoll ? 1 : 0) << 21);
}

/** Every field of a meeting but its queued polls, in 11 bits. */
export function meetingBits(m: Meeting): number {
  return (m.active ? 1 : 0)
    | ((m.hadSessions ? 1 : 0) << 1)
    | (WORKER_CODE.get(m.worker)! << 2)
    | ((m.pollRunning ? 1 : 0) << 5)
    | (m.quiet << 6)
    | ((m.joinedSinceVersionRead ? 1 : 0) << 10);
}

function writeMeeting(m: Meeting, out: IntSink): void {
  out.int(meetingBits(m));
  out.int(m.polls.size);
  for (const d of m.polls) out.int(d);
}

/** The plain encoding: slots and meeting ids as they are. */
export function encodeExact(s: State, out: IntSink): void {
  for (const t of s.tabs) {
    out.int(tabBits(t));
    out.int(t.meeting);
  }
  out.int(s.meetings.size);
  for (const m of s.meetings) {
    if (m === null) out.int(-1);
    else writeMeeting(m, out);
  }
}

/** A meeting's identity-free signature, as one number (polls folded in; only used to order). */
function meetingSignature(m: Meeting): number {
  let sig = meetingBits(m) * 31 + m.polls.size;
  for (const d of m.polls) sig = sig * 17 + d;
  return sig;
}

export function symmetricEncoder(b: Bounds): (s: State, out: IntSink) => void {
  const slots = b.users * b.tabs;
  // scratch arrays, reused: the encoder runs once per generated state
  const keys = new Float64Array(slots);
  const order = Array.from({ length: b.users }, (_, u) => u);
  const userTabs: number[][] = Array.from({ length: b.users }, () => new Array<number>(b.tabs));
  const rank = new Float64Array(slots + 2);
  const canon = new Int32Array(slots + 2);

  const compareUsers = (x: number, y: number): number => {
    const a = userTabs[x], c = userTabs[y];
    for (let k = 0; k < b.tabs; k++) if (a[k] !== c[k]) return keys[a[k]] - keys[c[k]];
    return 0;
  };

  return (s, out) => {
    const meetings = s.meetings;
    // 1. order meetings by signature; a tab's sort key is its bits and its meeting's signature
    for (let m = 0; m < meetings.size; m++) {
      const mt = meetings.get(m);
      rank[m + 1] = mt == null ? -1 : meetingSignature(mt);
    }
    for (let i = 0; i < slots; i++) {
      const t = s.tabs.get(i)!;
      keys[i] = tabBits(t) * 4194304 + (t.meeting === 0 ? 0 : (rank[t.meeting] % 4194303) + 1);
    }
    // 2. sort each user's slots, then the users
    for (let u = 0; u < b.users; u++) {
      const ts = userTabs[u];
      for (let k = 0; k < b.tabs; k++) ts[k] = u * b.tabs + k;
      ts.sort((x, y) => keys[x] - keys[y]);
      order[u] = u;
    }
    order.sort(compareUsers);
    // 3. renumber meetings by first use in that order, then the unreferenced ones by signature
    canon.fill(0);
    let next = 0;
    for (const u of order) {
      for (const i of userTabs[u]) {
        const m = s.tabs.get(i)!.meeting;
        if (m !== 0 && canon[m] === 0) canon[m] = ++next;
      }
    }
    const unreferenced: number[] = [];
    for (let m = 1; m <= meetings.size; m++) if (meetings.get(m - 1) != null && canon[m] === 0) unreferenced.push(m);
    unreferenced.sort((x, y) => rank[x] - rank[y]);
    for (const m of unreferenced) canon[m] = ++next;
    // 4. write users, slots and meetings in canonical order
    for (const u of order) {
      for (const i of userTabs[u]) {
        const t = s.tabs.get(i)!;
        out.int(tabBits(t));
        out.int(t.meeting === 0 ? 0 : canon[t.meeting]);
      }
    }
    out.int(next);
    const byCanon = new Array<number>(next);
    for (let m = 1; m <= meetings.size; m++) if (canon[m] > 0) byCanon[canon[m] - 1] = m;
    for (const m of byCanon) writeMeeting(meetings.get(m - 1)!, out);
  };
}
