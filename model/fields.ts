// The one table of the state: every field of a tab slot and of a meeting,
// its values, what it means, and when a run uses it. The names here are the
// names traces print (view.ts), the accessors the actions read and write
// (state.ts), and the packing the checker hashes; nothing else lists them.
//
// A field's width is worked out per run from its largest value there (the
// bounds, the design's switches, the faults in force), and a field the run
// never uses takes no bits at all and always reads as its resting value: a
// write of anything else is a model bug, caught at once. A tab slot is one
// 32-bit word (its fields, then its meeting id above them); a meeting is two
// words (its fields; its queue of polls, polls.ts).
import type { Bounds } from './bounds.ts';
import type { Switches } from './designs.ts';
import type { FaultName } from './faults.ts';

/**
 * A tab's place in the client flow (REAL_SYSTEM.md "Client (browser tab) flow").
 * idle: no open tab in this slot (a closed tab's traces may linger).
 * got-meeting: POST /rooms/R/meeting answered; about to POST /joining.
 * creating: get-or-create found no meeting and is creating one (its Daily room, then the DB row) with its lock lease lapsed (create-lock-lost).
 * joining-checked: /joining found the meeting active; its key write is still to come.
 * refused: the tab asks for the meeting again (/joining refused it, get-or-create answered 503, or its call was dropped).
 * handshaking: WebRTC handshake with the meeting's Daily room: not in the call, invisible.
 * connected: in the Daily call; /joined not handled yet.
 * joined: in the call, /joined handled.
 */
export const PHASES = ['idle', 'got-meeting', 'creating', 'joining-checked', 'refused', 'handshaking', 'connected', 'joined'] as const;
export type Phase = (typeof PHASES)[number];

/** What a run is: the bounds, the design's switches, the faults in force and their own bounds. */
export interface RunShape {
  readonly bounds: Bounds;
  readonly design: Switches;
  readonly faults: ReadonlySet<FaultName>;
  /** presence-flap's bounds, when given (--flap-ticks, --flaps): null = unbounded */
  readonly flapTicks: number | null;
  readonly flaps: number | null;
  /** steps of a process_meetings run (the reads and the final write: process-meetings.ts) */
  readonly pmSteps: number;
  /** steps of a poll after its read (1: one transaction; 3: sessions, reservations, sighting apart) */
  readonly pollWrites: number;
  /**
   * Whether the state keeps what only some designs read (the reductions of
   * docs/checker.md, "Reductions"); false keeps everything, for the
   * differential tests that check the reductions.
   */
  readonly reduce: boolean;
}

/**
 * Whether a design reads whether a session row is open (not only that one
 * was ever written): process_meetings' session reads and the grace period's
 * activity. Elsewhere a session write matters only through "had sessions"
 * (an open row implies it: every write that opens one sets it).
 */
export const readsOpenSessions = (d: Switches): boolean =>
  d.processMeetings.includes('sessions') ||
  d.processMeetings.includes('presence-else-sessions') ||
  d.processMeetings.includes('recent-activity');

export type FieldValue = number | boolean | string;

export interface FieldSpec {
  readonly name: string;
  /** what the field means, in a line (docs/model.md prints the table) */
  readonly doc: string;
  /** 'bool', an enumeration (stored as its index), or an integer from `min` */
  readonly type: 'bool' | 'int' | readonly string[];
  /** the smallest value (int fields; default 0): a field that can be -1 ("none") has min -1 */
  readonly min?: number;
  /** the largest value in this run (0 for a field the run does not use: it takes no bits) */
  readonly max: (run: RunShape) => number;
  /**
   * Whether the run reads the field (default: whenever it uses it). A field
   * the actions write but nothing in the run reads takes no bits and drops
   * its writes: states that differ only there are one state.
   */
  readonly read?: (run: RunShape) => boolean;
}

const uses = (yes: boolean, max: number) => (yes ? max : 0);
const has = (run: RunShape, f: FaultName) => run.faults.has(f);
const secondLook = (d: Switches) => d.processMeetings.includes('presence-second-look');

export const TAB_FIELDS = [
  { name: 'phase', type: PHASES, doc: "the tab's place in the client flow", max: () => PHASES.length - 1 },
  { name: 'handshake', type: 'int', doc: 'ticks left before the WebRTC handshake must be over', max: (r) => r.bounds.handshake },
  { name: 'visible', type: 'bool', doc: "Daily's presence API reports this tab's participant", max: () => 1 },
  {
    name: 'lag',
    type: 'int',
    doc: "ticks left for presence to catch up, while it disagrees with the tab's call",
    max: (r) => r.bounds.lag,
  },
  {
    name: 'hidden',
    type: 'bool',
    doc: 'presence-flap: presence hides this connected participant (a blip or a reconnect; no deadline)',
    max: (r) => uses(has(r, 'presence-flap'), 1),
  },
  {
    name: 'hiddenFor',
    type: 'int',
    doc: 'presence-flap with --flap-ticks: ticks the current flap has lasted',
    max: (r) => uses(has(r, 'presence-flap') && r.flapTicks !== null, r.flapTicks ?? 0),
  },
  {
    name: 'flaps',
    type: 'int',
    doc: 'presence-flap with --flaps: flaps on this connection so far',
    max: (r) => uses(has(r, 'presence-flap') && r.flaps !== null, r.flaps ?? 0),
  },
  {
    name: 'sessionOpen',
    type: 'bool',
    doc: "the tab's row in daily_participant_sessions is open (left_at null); a closed row and no row read alike",
    max: () => 1,
    // (where nothing reads it, a session write matters only through the meeting's hadSessions)
    read: (r) => !r.reduce || readsOpenSessions(r.design),
  },
  {
    name: 'leftHooks',
    type: 'int',
    doc: 'participant.left webhooks in flight, where the handler does more than queue a poll (shipped)',
    max: (r) => uses(r.design.leaveClosesSession, has(r, 'webhook-dup') ? 2 : 1),
  },
  {
    name: 'reservation',
    type: 'int',
    min: -1,
    doc: "the tab's reservation (a Redis pending_join key, or a DB row): ticks of TTL left, -1 = none",
    // unused: -1 always (uses' 0 would leave it a bit and let a stray 0 through)
    max: (r) => (r.design.reservation !== null ? r.bounds.ttl : -1),
  },
  {
    name: 'seenByPoll',
    type: 'bool',
    doc: "the meeting's running presence poll saw this participant",
    max: () => 1,
  },
  {
    name: 'bound',
    type: 'bool',
    doc: '/joined recorded the Daily participant id of this tab, so a poll that sees the participant knows the tab',
    max: (r) => uses(r.design.joinedBindsParticipant, 1),
  },
  {
    name: 'direct',
    type: 'bool',
    doc: 'direct-join: the tab joined the Daily room without /joining (no reservation, no refresh)',
    max: (r) => uses(has(r, 'direct-join'), 1),
  },
  {
    name: 'cut',
    type: 'bool',
    doc: "process_meetings' deletion of the Daily room dropped this tab from its call (it asks for the meeting again)",
    max: (r) => uses(r.design.roomDeletion !== 'never', 1),
  },
] as const satisfies readonly FieldSpec[];

export const MEETING_FIELDS = [
  { name: 'exists', type: 'bool', doc: 'the meeting id is in use (0: never made, or forgotten)', max: () => 1 },
  { name: 'active', type: 'bool', doc: 'is_active', max: () => 1 },
  {
    name: 'closing',
    type: 'bool',
    doc: 'deactivated, its Daily room not deleted yet (designs that delete it)',
    max: (r) => uses(r.design.roomDeletion !== 'never', 1),
  },
  {
    name: 'roomGone',
    type: 'bool',
    doc: 'its Daily room has been deleted: no handshake gets in, nobody is in its call',
    max: (r) => uses(r.design.roomDeletion !== 'never' || r.design.ownerDeactivate === 'ends-call', 1),
  },
  { name: 'hadSessions', type: 'bool', doc: '"had sessions": any row at all in daily_participant_sessions', max: () => 1 },
  {
    name: 'worker',
    type: 'int',
    doc: "process_meetings' progress on it: 0 = not running, k = its first k steps are done (holds the meeting's lock)",
    max: (r) => r.pmSteps,
  },
  {
    name: 'workerSaw',
    type: 'bool',
    doc: "statement grain: the live run's last presence read saw someone (its DB write comes next)",
    max: (r) => uses(r.design.look === 'statements' && secondLook(r.design), 1),
  },
  {
    name: 'staleWorker',
    type: 'int',
    doc: 'lock-lost: the progress of a process_meetings run that lost its lock and goes on (0 = none)',
    max: (r) => uses(has(r, 'lock-lost'), r.pmSteps),
  },
  {
    name: 'staleWorkerSaw',
    type: 'bool',
    doc: "statement grain: the stale run's last presence read saw someone",
    max: (r) => uses(has(r, 'lock-lost') && r.design.look === 'statements' && secondLook(r.design), 1),
  },
  {
    name: 'pollStep',
    type: 'int',
    doc: "a poll holds the meeting's poll lock: 0 = none, 1 = it has read presence, k > 1 = its first k - 1 writes are done",
    max: (r) => r.pollWrites,
  },
  {
    name: 'quiet',
    type: 'int',
    doc: 'grace-period: ticks since the last session change, capped at the grace bound',
    max: (r) => uses(r.design.processMeetings.includes('recent-activity'), r.bounds.grace),
  },
  {
    name: 'joinedSinceVersionRead',
    type: 'bool',
    doc: 'version-check: a join attempt happened since process_meetings read the counter',
    max: (r) => uses(r.design.processMeetings.includes('join-counter'), 1),
  },
  {
    name: 'emptyLook',
    type: 'int',
    min: -1,
    doc: 'second look: ticks since a look first found the Daily room empty (empty_since), capped at lag + 1; -1 = none',
    max: (r) => (secondLook(r.design) ? r.bounds.lag + 1 : -1),
  },
  {
    name: 'seenSinceDecision',
    type: 'int',
    doc:
      'conditional-fenced: a look has seen someone since the live run decided (last_seen_at > :decided_at): 0 no; with clock-skew, 1 only ' +
      'in the tick of the decision (the clocks may order it either way), 2 later; without, 1 yes',
    max: (r) => uses(r.design.deactivation === 'conditional-fenced', has(r, 'clock-skew') ? 2 : 1),
  },
  {
    name: 'staleSeenSinceDecision',
    type: 'int',
    doc: 'conditional-fenced, lock-lost: the same for the run that lost its lock',
    max: (r) => uses(r.design.deactivation === 'conditional-fenced' && has(r, 'lock-lost'), has(r, 'clock-skew') ? 2 : 1),
  },
  {
    name: 'decidedNow',
    type: 'bool',
    doc: "clock-skew: the live run decided in this tick (the worker's and the DB's clocks may order a sighting in it either way)",
    max: (r) => uses(r.design.deactivation === 'conditional-fenced' && has(r, 'clock-skew'), 1),
  },
  {
    name: 'staleDecidedNow',
    type: 'bool',
    doc: 'clock-skew, lock-lost: the stale run decided in this tick',
    max: (r) => uses(r.design.deactivation === 'conditional-fenced' && has(r, 'clock-skew') && has(r, 'lock-lost'), 1),
  },
  {
    name: 'ownerEnding',
    type: 'bool',
    doc: "the owner's end-meeting has made its Daily call (eject, or delete the room) and its UPDATE is next",
    max: (r) => uses(has(r, 'owner-deactivate') && (r.design.ownerDeactivate === 'ejects' || r.design.ownerDeactivate === 'ends-call'), 1),
  },
  {
    name: 'endedByOwner',
    type: 'bool',
    doc: 'the owner ended this meeting (so dropping its calls is what was asked for)',
    max: (r) => uses(has(r, 'owner-deactivate') && r.design.roomDeletion !== 'never', 1),
  },
  {
    name: 'expired',
    type: 'bool',
    doc: "meeting-rollover: get-or-create no longer hands it out (its end_date passed, or the room's settings changed)",
    max: (r) => uses(has(r, 'meeting-rollover') && r.design.getOrCreate === 'by-end-date', 1),
  },
] as const satisfies readonly FieldSpec[];

export type TabFieldName = (typeof TAB_FIELDS)[number]['name'];
export type MeetingFieldName = (typeof MEETING_FIELDS)[number]['name'];

type ValueOf<F> = F extends { type: 'bool' } ? boolean : F extends { type: readonly (infer E)[] } ? E : number;
/** A tab slot's fields, by name, with their types (and its meeting id). */
export type TabFields = { -readonly [F in (typeof TAB_FIELDS)[number] as F['name']]: ValueOf<F> } & { meeting: number };
/** A meeting's fields, by name, with their types (and its queue of polls). */
export type MeetingFields = { -readonly [F in (typeof MEETING_FIELDS)[number] as F['name']]: ValueOf<F> } & { polls: number };

/** Where one field sits in its word, in this run. */
export interface Slot {
  readonly name: string;
  readonly shift: number;
  readonly mask: number;
  /** value = stored - offset (a field with min -1 stores -1 as 0) */
  readonly offset: number;
  readonly max: number;
  readonly type: FieldSpec['type'];
  /** the run does not read this field: it takes no bits and its writes are dropped */
  readonly dropped: boolean;
}

/** The packing of a word's fields in one run: each field's slot, and the bits they take. */
export interface WordLayout {
  readonly slots: readonly Slot[];
  readonly byName: Readonly<Record<string, Slot>>;
  readonly bits: number;
}

const bitsFor = (n: number) => (n <= 0 ? 0 : Math.ceil(Math.log2(n + 1)));

export function wordLayout(fields: readonly FieldSpec[], run: RunShape): WordLayout {
  let shift = 0;
  const slots: Slot[] = [];
  for (const f of fields) {
    const offset = -(f.min ?? 0);
    const dropped = f.read !== undefined && !f.read(run);
    const max = dropped ? (f.min ?? 0) : f.max(run);
    const width = max <= (f.min ?? 0) ? 0 : bitsFor(max + offset);
    slots.push({ name: f.name, shift, mask: 2 ** width - 1, offset, max: width === 0 ? (f.min ?? 0) : max, type: f.type, dropped });
    shift += width;
  }
  return { slots, byName: Object.fromEntries(slots.map((s) => [s.name, s])), bits: shift };
}

/** A field's value from its word. */
export function readSlot(word: number, slot: Slot): number {
  return ((word >>> slot.shift) & slot.mask) - slot.offset;
}

/** `word` with field `slot` set to `value` (a number: a boolean as 0/1, an enumeration as its index). */
export function writeSlot(word: number, slot: Slot, value: number): number {
  const stored = value + slot.offset;
  if (!(stored >= 0 && stored <= slot.mask) || value > slot.max) {
    throw new RangeError(
      slot.mask === 0
        ? `${slot.name} = ${value}: this run does not use ${slot.name} (model/fields.ts says when it does)`
        : `${slot.name} = ${value} does not fit its field (largest ${slot.max}: model/fields.ts)`,
    );
  }
  return (word & ~(slot.mask << slot.shift)) | (stored << slot.shift);
}

/** A field's stored number as the value the model reads (boolean, enumeration member, or number). */
export function fromNumber(slot: Slot, n: number): FieldValue {
  if (slot.type === 'bool') return n === 1;
  if (typeof slot.type !== 'string') return slot.type[n];
  return n;
}

export function toNumber(slot: Slot, v: FieldValue): number {
  if (typeof v === 'boolean') return v ? 1 : 0;
  if (typeof v === 'string') {
    const i = (slot.type as readonly string[]).indexOf(v);
    if (i < 0) throw new RangeError(`${slot.name} = '${v}' is not one of its values`);
    return i;
  }
  return v;
}

/**
 * Whether a meeting's polls can change nothing the run reads once the
 * meeting "had sessions": they write only sessions (no reservation to clear,
 * no sighting to record), nothing reads whether a session is open, and "had
 * sessions" only ever goes from false to true. Then, once it is true, the
 * queued and running polls are forgotten (tidy.ts): their steps would leave
 * every field the run reads as it is.
 */
export const pollsIdleOnceHad = (r: RunShape): boolean =>
  r.reduce &&
  !readsOpenSessions(r.design) &&
  (r.design.reservation === null || r.design.reservation.pollClears === 'none') &&
  !r.design.processMeetings.includes('presence-second-look');
