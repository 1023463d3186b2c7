// The state of one Reflector room: users' tab slots, meetings (each with its
// own Daily room), and what Daily, the DB, Redis and the workers know of them.
// Time is not a clock but the counters below, so the state space is finite.
//
// States are immutable values. A Tab and a Meeting are interned by their
// packed form (layout.ts): two equal tabs are the same object, so updating a
// field is a bit operation and a table lookup, equality is identity, and the
// encoder and the codec read the packed word directly. A State holds its tabs
// and meetings in frozen arrays and implements Immutable.js's value-object
// protocol (equals, hashCode), so it compares by value in Immutable.is and
// Immutable collections.
import { MEETING_BITS, MEETING_SLOTS, read, TAB_BITS, TAB_SLOTS, type Slot } from './layout.ts';
import { NO_POLLS, type PollQueue } from './polls.ts';

/**
 * A tab's place in the client flow (REAL_SYSTEM.md "Client (browser tab) flow").
 * idle: no open tab in this slot (a closed tab's traces may linger).
 * got-meeting: POST /rooms/R/meeting answered; about to POST /joining.
 * joining-checked: /joining found the meeting active; its key write is still to come.
 * refused: /joining answered 400; the tab asks for the meeting again.
 * handshaking: WebRTC handshake with the meeting's Daily room: not in the call, invisible.
 * connected: in the Daily call; /joined not handled yet.
 * joined: in the call, /joined handled.
 */
export type Phase = 'idle' | 'got-meeting' | 'joining-checked' | 'refused' | 'handshaking' | 'connected' | 'joined';
export const PHASES: readonly Phase[] = ['idle', 'got-meeting', 'joining-checked', 'refused', 'handshaking', 'connected', 'joined'];
const PHASE_CODE: Readonly<Record<Phase, number>> = Object.fromEntries(PHASES.map((p, i) => [p, i])) as Record<Phase, number>;

export interface TabFields {
  readonly phase: Phase;
  /** meeting id (1-based), 0 = none */
  readonly meeting: number;
  /** ticks left before the handshake must be over (phase handshaking) */
  readonly handshake: number;
  /** the Daily presence API reports this tab's participant */
  readonly visible: boolean;
  /** ticks left for presence to catch up, while `visible` differs from being in the call */
  readonly lag: number;
  /**
   * The tab's row in daily_participant_sessions is open (left_at null). A
   * closed row and no row read the same to every reader; "had sessions" is
   * kept on the meeting.
   */
  readonly sessionOpen: boolean;
  /**
   * participant.left webhooks sent by Daily for this tab, not yet delivered
   * or lost (0, 1, or 2 with a duplicate: webhook-dup), only where its handler
   * does more than queue a poll (the shipped fix)
   */
  readonly leftHooks: number;
  /** this tab's reservation (a Redis pending_join key, or a DB row): ticks of TTL left, -1 = none */
  readonly pendingJoin: number;
  /** the meeting's running presence poll saw this participant */
  readonly seenByPoll: boolean;
  /** presence-flap: presence has hidden this connected participant once (at most once a connection) */
  readonly flapped: boolean;
}

export interface MeetingFields {
  readonly active: boolean;
  /** "Had sessions" = any row at all in daily_participant_sessions */
  readonly hadSessions: boolean;
  /**
   * process_meetings' progress on this meeting: 0 = not running; k = its
   * first k reads are done (k = all of them: the is_active write is next).
   * Anything but 0 holds the meeting's lock.
   */
  readonly worker: number;
  /** a poll_daily_room_presence holds this meeting's poll lock, between its read and its write */
  readonly pollRunning: boolean;
  /** queued polls, counted per remaining delay (see polls.ts) */
  readonly polls: PollQueue;
  /** grace-period design: ticks since the last session change, capped at the grace bound */
  readonly quiet: number;
  /** version-check design: a join attempt happened since process_meetings read the counter */
  readonly joinedSinceVersionRead: boolean;
  /**
   * second-look designs: ticks since process_meetings first saw the Daily room
   * empty, with no look since that saw someone (capped at lag + 1); -1 = none
   */
  readonly emptyLook: number;
  /**
   * conditional-fenced: a look (a poll's or a run's) has seen someone since
   * the live run went on from its second look (its decision), and since the
   * stale run (lock-lost) did: that run's conditional update does nothing
   */
  readonly seenSinceDecision: boolean;
  readonly staleSeenSinceDecision: boolean;
  /** lock-lost: the progress of a process_meetings run that lost its lock and goes on (0 = none) */
  readonly staleWorker: number;
  /** meeting-rollover: get-or-create no longer hands this meeting out (its end_date passed, or the room's settings changed) */
  readonly expired: boolean;
}

const num = (v: number | boolean | string): number =>
  typeof v === 'boolean' ? (v ? 1 : 0) : typeof v === 'string' ? PHASE_CODE[v as Phase] : v;

/**
 * `bits` (a tab's or a meeting's fields: under 31 bits, layout.ts) with the
 * field at `slot` set to `value`; a value that does not fit is a model bug.
 */
function put(bits: number, slot: Slot, value: number | boolean | string, name: string): number {
  const stored = num(value) + slot.offset;
  if (!(stored >= 0 && stored <= slot.mask)) throw new RangeError(`${name} = ${String(value)} does not fit its field (model/layout.ts)`);
  return (bits & ~(slot.mask << slot.shift)) | (stored << slot.shift);
}

const TAB_KEYS = Object.keys(TAB_SLOTS) as (keyof typeof TAB_SLOTS)[];
const MEETING_KEYS = Object.keys(MEETING_SLOTS) as (keyof typeof MEETING_SLOTS)[];
const MEETING_SHIFT = TAB_BITS;
/** a tab's word is its fields plus its meeting id times this */
export const TAB_SCALE = 2 ** MEETING_SHIFT;

export class Tab implements TabFields {
  readonly phase: Phase;
  readonly meeting: number;
  readonly handshake: number;
  readonly visible: boolean;
  readonly lag: number;
  readonly sessionOpen: boolean;
  readonly leftHooks: number;
  readonly pendingJoin: number;
  readonly seenByPoll: boolean;
  readonly flapped: boolean;
  /** every field but the meeting, packed (layout.ts): what the symmetric encoder sorts tabs by */
  readonly bits: number;
  /** the tab packed in one word: its fields, then its meeting id above them */
  readonly word: number;

  private static readonly interned = new Map<number, Tab>();

  private constructor(word: number) {
    const bits = word % TAB_SCALE;
    this.phase = PHASES[read(bits, TAB_SLOTS.phase)];
    this.meeting = Math.floor(word / TAB_SCALE);
    this.handshake = read(bits, TAB_SLOTS.handshake);
    this.visible = read(bits, TAB_SLOTS.visible) === 1;
    this.lag = read(bits, TAB_SLOTS.lag);
    this.sessionOpen = read(bits, TAB_SLOTS.sessionOpen) === 1;
    this.leftHooks = read(bits, TAB_SLOTS.leftHooks);
    this.pendingJoin = read(bits, TAB_SLOTS.pendingJoin);
    this.seenByPoll = read(bits, TAB_SLOTS.seenByPoll) === 1;
    this.flapped = read(bits, TAB_SLOTS.flapped) === 1;
    this.bits = bits;
    this.word = word;
    Object.freeze(this);
  }

  /** The tab whose packed word is `word` (one object per word). */
  static fromWord(word: number): Tab {
    let t = Tab.interned.get(word);
    if (t === undefined) Tab.interned.set(word, (t = new Tab(word)));
    return t;
  }

  with(patch: Partial<TabFields>): Tab {
    let bits = this.bits;
    let meeting = this.meeting;
    for (const key in patch) {
      const v = patch[key as keyof TabFields]!;
      if (key === 'meeting') meeting = v as number;
      else bits = put(bits, TAB_SLOTS[key as keyof typeof TAB_SLOTS], v, key);
    }
    return Tab.fromWord(bits + meeting * TAB_SCALE);
  }

  set<K extends keyof TabFields>(key: K, value: TabFields[K]): Tab {
    if (key === 'meeting') return Tab.fromWord(this.bits + (value as number) * TAB_SCALE);
    return Tab.fromWord(put(this.bits, TAB_SLOTS[key as keyof typeof TAB_SLOTS], value, key) + this.meeting * TAB_SCALE);
  }

  equals(other: unknown): boolean {
    return this === other;
  }

  hashCode(): number {
    return this.word | 0;
  }

  toJS(): TabFields {
    return { ...Object.fromEntries(TAB_KEYS.map((k) => [k, this[k]])), meeting: this.meeting } as unknown as TabFields;
  }
}
/** a free slot: every field zero (no pending join: -1, stored as 0) */
export const EMPTY_TAB = Tab.fromWord(0);

/** poll queues below this intern by a key under 2^30 (a meeting's fields are MEETING_BITS bits) */
const SMALL_POLLS = 2 ** (30 - MEETING_BITS);
/** bits of Meeting.digest */
export const MEETING_DIGEST_BITS = 22;

export class Meeting implements MeetingFields {
  readonly active: boolean;
  readonly hadSessions: boolean;
  readonly worker: number;
  readonly pollRunning: boolean;
  readonly polls: PollQueue;
  readonly quiet: number;
  readonly joinedSinceVersionRead: boolean;
  readonly emptyLook: number;
  readonly seenSinceDecision: boolean;
  readonly staleSeenSinceDecision: boolean;
  readonly staleWorker: number;
  readonly expired: boolean;
  /** every field but the polls, packed (layout.ts) */
  readonly bits: number;
  /** the meeting's fields and polls as one number (identity-free: no id): what the symmetric encoder orders meetings by */
  readonly signature: number;
  /**
   * a digest of the signature in MEETING_DIGEST_BITS bits, never 0: what the
   * symmetric encoder folds into a tab's sort key (kept here because a
   * meeting is interned, so it is computed once, not once per encoding)
   */
  readonly digest: number;

  private static readonly interned = new Map<number, Meeting>();
  private static readonly internedSmall = new Map<number, Meeting>();

  private constructor(bits: number, polls: PollQueue) {
    this.active = read(bits, MEETING_SLOTS.active) === 1;
    this.hadSessions = read(bits, MEETING_SLOTS.hadSessions) === 1;
    this.worker = read(bits, MEETING_SLOTS.worker);
    this.pollRunning = read(bits, MEETING_SLOTS.pollRunning) === 1;
    this.quiet = read(bits, MEETING_SLOTS.quiet);
    this.joinedSinceVersionRead = read(bits, MEETING_SLOTS.joinedSinceVersionRead) === 1;
    this.emptyLook = read(bits, MEETING_SLOTS.emptyLook);
    this.seenSinceDecision = read(bits, MEETING_SLOTS.seenSinceDecision) === 1;
    this.staleSeenSinceDecision = read(bits, MEETING_SLOTS.staleSeenSinceDecision) === 1;
    this.staleWorker = read(bits, MEETING_SLOTS.staleWorker);
    this.expired = read(bits, MEETING_SLOTS.expired) === 1;
    this.polls = polls;
    this.bits = bits;
    this.signature = bits * 4294967296 + polls;
    this.digest = (this.signature % (2 ** MEETING_DIGEST_BITS - 1)) + 1;
    Object.freeze(this);
  }

  /** The meeting with these packed fields and poll queue (one object per pair). */
  static of(bits: number, polls: PollQueue): Meeting {
    // most poll queues are short: then the key is a small integer, which a Map hashes faster than a wider number
    const small = polls < SMALL_POLLS;
    const table = small ? Meeting.internedSmall : Meeting.interned;
    const key = small ? bits * SMALL_POLLS + polls : bits * 4294967296 + polls;
    let m = table.get(key);
    if (m === undefined) table.set(key, (m = new Meeting(bits, polls)));
    return m;
  }

  with(patch: Partial<MeetingFields>): Meeting {
    let bits = this.bits;
    let polls = this.polls;
    for (const key in patch) {
      const v = patch[key as keyof MeetingFields]!;
      if (key === 'polls') polls = v as number;
      else bits = put(bits, MEETING_SLOTS[key as keyof typeof MEETING_SLOTS], v, key);
    }
    return Meeting.of(bits, polls);
  }

  set<K extends keyof MeetingFields>(key: K, value: MeetingFields[K]): Meeting {
    if (key === 'polls') return Meeting.of(this.bits, value as number);
    return Meeting.of(put(this.bits, MEETING_SLOTS[key as keyof typeof MEETING_SLOTS], value, key), this.polls);
  }

  equals(other: unknown): boolean {
    return this === other;
  }

  hashCode(): number {
    return (Math.imul(this.bits, 31) + this.polls) | 0;
  }

  toJS(): MeetingFields {
    return { ...Object.fromEntries(MEETING_KEYS.map((k) => [k, this[k]])), polls: this.polls } as unknown as MeetingFields;
  }
}
export const NEW_MEETING = Meeting.of(0, NO_POLLS).with({ active: true });
/** what the model keeps of a deactivated meeting: nothing but that it is inactive */
export const INACTIVE_MEETING = NEW_MEETING.set('active', false);

export class State {
  /** user u (0-based) owns slots u*tabs .. u*tabs+tabs-1 */
  readonly tabs: readonly Tab[];
  /** meeting id k at index k-1; null = forgotten (inactive and referenced by nothing) */
  readonly meetings: readonly (Meeting | null)[];
  private hash = 0;

  /** Takes the arrays as they are: nothing may change them afterwards (every update copies). */
  constructor(tabs: readonly Tab[], meetings: readonly (Meeting | null)[]) {
    this.tabs = tabs;
    this.meetings = meetings;
  }

  /** The meeting with id `id` (1-based), or null when it is forgotten or was never made. */
  meeting(id: number): Meeting | null {
    return this.meetings[id - 1] ?? null;
  }

  withTab(i: number, t: Tab): State {
    if (this.tabs[i] === t) return this;
    const tabs = this.tabs.slice();
    tabs[i] = t;
    return new State(tabs, this.meetings);
  }

  withMeeting(id: number, m: Meeting | null): State {
    if (this.meetings[id - 1] === m) return this;
    const meetings = this.meetings.slice();
    meetings[id - 1] = m;
    return new State(this.tabs, meetings);
  }

  equals(other: unknown): boolean {
    if (this === other) return true;
    if (!(other instanceof State) || other.tabs.length !== this.tabs.length || other.meetings.length !== this.meetings.length) return false;
    for (let i = 0; i < this.tabs.length; i++) if (this.tabs[i] !== other.tabs[i]) return false;
    for (let i = 0; i < this.meetings.length; i++) if (this.meetings[i] !== other.meetings[i]) return false;
    return true;
  }

  hashCode(): number {
    if (this.hash === 0) {
      let h = 17;
      for (const t of this.tabs) h = (Math.imul(h, 31) + t.word) | 0;
      for (const m of this.meetings) h = (Math.imul(h, 31) + (m === null ? -1 : m.hashCode())) | 0;
      this.hash = h === 0 ? 1 : h;
    }
    return this.hash;
  }

  toJS(): { tabs: TabFields[]; meetings: (MeetingFields | null)[] } {
    return { tabs: this.tabs.map((t) => t.toJS()), meetings: this.meetings.map((m) => (m === null ? null : m.toJS())) };
  }
}

export function initialState(users: number, tabsPerUser: number): State {
  return new State(
    Array.from({ length: users * tabsPerUser }, () => EMPTY_TAB),
    [],
  );
}

export function inCall(t: Tab): boolean {
  return t.phase === 'connected' || t.phase === 'joined';
}

export function isOpen(t: Tab): boolean {
  return t.phase !== 'idle';
}

/** Whether some tab slot satisfies `test`. */
export function someTab(s: State, test: (t: Tab) => boolean): boolean {
  for (let i = 0; i < s.tabs.length; i++) if (test(s.tabs[i])) return true;
  return false;
}

/**
 * The meeting get-or-create hands out: the active one whose end_date has not
 * passed (meeting-rollover can leave an older one active too), or 0.
 */
export function activeMeeting(s: State): number {
  for (let i = 0; i < s.meetings.length; i++) {
    const m = s.meetings[i];
    if (m?.active && !m.expired) return i + 1;
  }
  return 0;
}

const slotBits = (slot: Slot): number => slot.mask << slot.shift;
/** what a tab keeps when its meeting is inactive: its phase and handshake (and presence, set to agree with the call) */
const KEPT_ON_INACTIVE = slotBits(TAB_SLOTS.phase) | slotBits(TAB_SLOTS.handshake);
/**
 * the fields of a tab that keep its slot taken: an open tab, or a closed one
 * whose participant Daily, the DB, Redis or the poll still know (all zero, the
 * empty tab's values, once all of them have forgotten it)
 */
const LINGERING =
  slotBits(TAB_SLOTS.phase) |
  slotBits(TAB_SLOTS.visible) |
  slotBits(TAB_SLOTS.sessionOpen) |
  slotBits(TAB_SLOTS.leftHooks) |
  slotBits(TAB_SLOTS.pendingJoin) |
  slotBits(TAB_SLOTS.seenByPoll);
if (TAB_SLOTS.phase.offset !== 0 || PHASES[0] !== 'idle' || TAB_SLOTS.pendingJoin.offset !== 1 || TAB_SLOTS.visible.offset !== 0)
  throw new Error('model/state.ts: tidy reads "idle, forgotten" as zero bits; the layout no longer says so');

/** A tab of an inactive meeting as the model keeps it: its phase, handshake and meeting, and presence agreeing with the call. */
function strippedTab(t: Tab): Tab {
  const bits = (t.bits & KEPT_ON_INACTIVE) | ((inCall(t) ? 1 : 0) << TAB_SLOTS.visible.shift);
  return bits === t.bits ? t : Tab.fromWord(bits + t.meeting * TAB_SCALE);
}

/**
 * Drops what can no longer influence anything, so that states differing only
 * there are one state:
 * - an inactive meeting is never read again (process_meetings only looks at
 *   active meetings, get-or-create only returns an active one, no property
 *   reads its sessions or presence): its polls, sessions, presence, webhooks
 *   and pending joins are forgotten; its tabs keep only their phase;
 * - a closed tab whose participant Daily, the DB, Redis and the poll have all
 *   forgotten frees its slot (this keeps quick rejoins unbounded);
 * - an inactive meeting that no tab refers to is forgotten.
 */
export function tidy(s: State): State {
  let tabs: Tab[] | null = null;
  let meetings: (Meeting | null)[] | null = null;
  const ms = s.meetings;
  for (let i = 0; i < ms.length; i++) {
    const m = ms[i];
    if (m == null || m.active || m === INACTIVE_MEETING) continue;
    (meetings ??= ms.slice())[i] = INACTIVE_MEETING;
  }
  const meetingsNow = meetings ?? ms;
  for (let i = 0; i < s.tabs.length; i++) {
    const was = s.tabs[i];
    if (was.meeting === 0) continue;
    let t = meetingsNow[was.meeting - 1]!.active ? was : strippedTab(was);
    if ((t.bits & LINGERING) === 0) t = EMPTY_TAB;
    if (t !== was) (tabs ??= s.tabs.slice())[i] = t;
  }
  const tabsNow = tabs ?? s.tabs;
  for (let i = 0; i < (meetings ?? ms).length; i++) {
    if ((meetings ?? ms)[i] !== INACTIVE_MEETING) continue;
    let used = false;
    for (let j = 0; j < tabsNow.length && !used; j++) used = tabsNow[j].meeting === i + 1;
    if (!used) (meetings ??= ms.slice())[i] = null;
  }
  if (meetings !== null) while (meetings.length > 0 && meetings[meetings.length - 1] === null) meetings.pop();
  if (tabs === null && meetings === null) return s;
  return new State(tabsNow, meetings ?? ms);
}
