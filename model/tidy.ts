// Forgetting what can no longer influence anything, so that states that
// differ only there are one state:
// - an inactive meeting (closed, or closing: waiting for its Daily room to
//   be deleted) is never read again, but for whether its Daily room still
//   exists (a handshake may still land there, a direct join may still reach
//   it), whether it is closing and who ended it: its polls, sessions,
//   presence, webhooks, reservations and runs are forgotten, and its tabs
//   keep only their phase, handshake, meeting, whether they joined directly
//   and whether a deletion cut their call (presence agreeing with the call);
// - a closed tab whose participant Daily, the DB, Redis and the poll have all
//   forgotten frees its slot (this keeps quick rejoins unbounded);
// - a closed meeting that no tab refers to is forgotten (its id is reused);
//   so is a closing one (its room's deletion would drop nobody, and nobody
//   knows its room), unless get-or-create waits for it (roomDeletion
//   'before-next-meeting').
// Each rule is argued by what reads what: process_meetings, the polls and
// get-or-create only look at active (or closing) meetings, and no property
// reads a closed meeting's sessions, presence or reservations.
import { PHASES, pollsIdleOnceHad, readSlot, type Slot } from './fields.ts';
import type { Draft, Layout } from './state.ts';

interface Masks {
  /** an inactive meeting's word: exists, closing, whether its room is gone, who ended it */
  readonly closedKeeps: number;
  readonly exists: Slot;
  readonly active: Slot;
  readonly closing: Slot;
  /** what a tab of an inactive meeting keeps of its fields */
  readonly keptOnClosed: number;
  /** the fields that keep a closed tab's slot taken: all at their resting value (zero bits) once everyone forgot it */
  readonly lingering: number;
  readonly visibleShift: number;
  readonly visibleMask: number;
  readonly phaseSlot: Slot;
  /** fields.ts pollsIdleOnceHad: a meeting that had sessions keeps no polls */
  readonly pollsIdle: boolean;
  readonly hadSessions: Slot;
  /** an unreferenced closing meeting is kept: get-or-create waits for its room's deletion */
  readonly keepClosing: boolean;
  /** a meeting's word without its running poll */
  readonly noPoll: number;
  /** a tab's word without what a poll saw */
  readonly unseen: number;
}

const cache = new WeakMap<Layout, Masks>();

const bitsOf = (slot: Slot) => slot.mask << slot.shift;

// the last layout asked about: a search runs one layout, so this spares the WeakMap lookup on every step
let lastLayout: Layout | null = null;
let lastMasks: Masks | null = null;

function masksOf(layout: Layout): Masks {
  if (layout === lastLayout) return lastMasks!;
  let m = cache.get(layout);
  if (m === undefined) {
    m = masksFor(layout);
    cache.set(layout, m);
  }
  lastLayout = layout;
  lastMasks = m;
  return m;
}

function masksFor(layout: Layout): Masks {
  const t = layout.tab.byName;
  const g = layout.meeting.byName;
  // a resting tab is all zero bits: phase idle first, reservation -1 stored as 0
  if (t.phase.offset !== 0 || t.reservation.offset !== 1 || t.visible.offset !== 0)
    throw new Error('model/tidy.ts reads "idle, forgotten" as zero bits; model/fields.ts no longer says so');
  return {
    closedKeeps: bitsOf(g.exists) | bitsOf(g.closing) | bitsOf(g.roomGone) | bitsOf(g.endedByOwner),
    exists: g.exists,
    active: g.active,
    closing: g.closing,
    keptOnClosed: bitsOf(t.phase) | bitsOf(t.handshake) | bitsOf(t.direct) | bitsOf(t.cut),
    lingering:
      bitsOf(t.phase) | bitsOf(t.visible) | bitsOf(t.sessionOpen) | bitsOf(t.leftHooks) | bitsOf(t.reservation) | bitsOf(t.seenByPoll),
    visibleShift: t.visible.shift,
    visibleMask: t.visible.mask,
    phaseSlot: t.phase,
    pollsIdle: pollsIdleOnceHad(layout.run),
    keepClosing: layout.run.design.roomDeletion === 'before-next-meeting',
    hadSessions: g.hadSessions,
    noPoll: ~bitsOf(g.pollStep),
    unseen: ~bitsOf(t.seenByPoll),
  };
}

const CONNECTED = PHASES.indexOf('connected');
const JOINED = PHASES.indexOf('joined');

/** Tidies a draft in place (see the top of this file). */
export function tidy(d: Draft): void {
  const { layout, w } = d;
  const m = masksOf(layout);
  const slots = layout.slots;
  const ids = layout.meetingIds;
  // a tab word is its fields, then its meeting id above them (tab.bits + id bits <= 31: never negative)
  const tabBits = layout.tab.bits;
  const fieldMask = layout.tabScale - 1;
  // 1. inactive meetings keep only that they exist, whether they are closing, whether their room is gone and who ended them
  let anyClosed = false;
  for (let id = 1; id <= ids; id++) {
    const at = slots + 2 * (id - 1);
    const word = w[at];
    if (word === 0 || readSlot(word, m.active) === 1) continue;
    anyClosed = true;
    w[at] = word & m.closedKeeps;
    w[at + 1] = 0;
  }
  // 1b. where polls only mark "had sessions", a meeting that had them keeps none
  let idlePolls = 0;
  if (m.pollsIdle) {
    for (let id = 1; id <= ids; id++) {
      const at = slots + 2 * (id - 1);
      const word = w[at];
      if (word === 0 || readSlot(word, m.active) === 0 || readSlot(word, m.hadSessions) === 0) continue;
      w[at] = word & m.noPoll;
      w[at + 1] = 0;
      idlePolls++;
    }
  }
  // 2. tabs: of closed meetings, stripped; closed and forgotten, freed
  for (let i = 0; i < slots; i++) {
    const word = w[i];
    if (word === 0) continue;
    const id = word >>> tabBits;
    if (id === 0) continue;
    let bits = word & fieldMask;
    if (idlePolls > 0) {
      const mw = w[slots + 2 * (id - 1)];
      if (readSlot(mw, m.active) === 1 && readSlot(mw, m.hadSessions) === 1) bits &= m.unseen;
    }
    if (anyClosed) {
      const mw = w[slots + 2 * (id - 1)];
      if (readSlot(mw, m.active) === 0) {
        const phase = readSlot(bits, m.phaseSlot);
        const inCall = phase === CONNECTED || phase === JOINED ? 1 : 0;
        bits = (bits & m.keptOnClosed) | ((inCall & m.visibleMask) << m.visibleShift);
      }
    }
    if ((bits & m.lingering) === 0) w[i] = 0;
    else if (bits !== (word & fieldMask)) w[i] = bits | (id << tabBits);
  }
  // 3. closed meetings no tab refers to are forgotten (closing ones too, unless get-or-create waits for them)
  if (!anyClosed) return;
  for (let id = 1; id <= ids; id++) {
    const at = slots + 2 * (id - 1);
    const word = w[at];
    if (word === 0 || readSlot(word, m.active) === 1 || (m.keepClosing && readSlot(word, m.closing) === 1)) continue;
    let used = false;
    for (let i = 0; i < slots && !used; i++) used = w[i] >>> tabBits === id;
    if (!used) w[at] = 0;
  }
}
