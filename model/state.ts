// The state of one Reflector room, packed: one 32-bit word per tab slot,
// two per meeting id, in one Int32Array (fields.ts says what each word
// holds). The actions never touch the words: they read a State through its
// accessors (s.tab(i).phase, s.meeting(id).active) and write a Draft, a
// copy of the words, through the same names; the draft becomes the next
// State. So a step allocates one small typed array, comparing two states is
// comparing words, and the codec and the encoding read the words directly.
//
// Tab slots: user u (1-based) owns slots (u-1)*tabs .. u*tabs-1. Meeting ids
// are 1-based; id k's words sit after the tabs, at 2*(k-1) and 2*(k-1)+1.
import {
  fromNumber,
  MEETING_FIELDS,
  readSlot,
  TAB_FIELDS,
  toNumber,
  wordLayout,
  writeSlot,
  type FieldSpec,
  type FieldValue,
  type MeetingFields,
  type Phase,
  type RunShape,
  type Slot,
  type TabFields,
  type WordLayout,
} from './fields.ts';

export type { Phase, TabFields, MeetingFields } from './fields.ts';
export { PHASES } from './fields.ts';

/** A tab slot as the guards read it. */
export type ReadTab = Readonly<TabFields> & { readonly slot: number };
/** A meeting as the guards read it. */
export type ReadMeeting = Readonly<MeetingFields> & { readonly id: number };
/** A tab slot of a draft: the same fields, writable. */
export type Tab = TabFields & { readonly slot: number };
export type Meeting = MeetingFields & { readonly id: number };

interface RefBase {
  readonly w: Int32Array;
  readonly at: number;
  readonly layout: Layout;
  /** the run's places of the word's fields (layout.tab.slots or layout.meeting.slots) */
  readonly places: readonly Slot[];
}

// The accessor classes below, and State, are the same classes in every run:
// what differs between runs (where a field sits in its word, whether its
// writes are dropped) is read from the run's Layout. The model's code is
// shared by every run of a process (a test file's, a prove file's, or a
// script's that checks several designs through the library; the CLI gives
// each check a worker of its own), and a class made per run gave each of
// its property reads one more hidden class to tell apart: by the fifth
// model a process made, the same search ran twice as long as in its first
// (measured: fixed, 2 × 2 × lag 1, five searches in one process: 5.6, 8.3,
// 11.4, 13.3, 11.3 s; with these classes 6.7-7.3 s each).

/**
 * A class whose instances read (and write) the fields of one word of `w` at
 * `at`, by name, its prototype defining them: made twice, for tab slots and
 * for meetings (two classes, not a base class with two subclasses: that
 * made the search of fixed at 2 × 2 × lag 1 a third slower, 8.0 s for 6.0).
 */
function refClass() {
  return class Ref implements RefBase {
    constructor(
      readonly w: Int32Array,
      readonly at: number,
      readonly layout: Layout,
      readonly places: readonly Slot[],
    ) {}
  };
}

/** A tab slot's word (`at` is the slot). */
const TabRef = refClass();
/** A meeting's words (`at` is the first). */
const MeetingRef = refClass();

/** Defines field `spec`, number `k` of its table, on `proto`: a ref finds the field's place in its run's word at `places[k]` (wordLayout keeps the table's order). */
function defineField(proto: object, spec: FieldSpec, k: number): void {
  const type = spec.type;
  const get =
    type === 'bool'
      ? function (this: RefBase) {
          const slot = this.places[k];
          return ((this.w[this.at] >>> slot.shift) & slot.mask) === 1;
        }
      : typeof type === 'string'
        ? function (this: RefBase) {
            const slot = this.places[k];
            return ((this.w[this.at] >>> slot.shift) & slot.mask) - slot.offset;
          }
        : function (this: RefBase) {
            const slot = this.places[k];
            return type[(this.w[this.at] >>> slot.shift) & slot.mask];
          };
  // one setter per kind of field, so that a write is a lookup and a mask (toNumber's general path searches the names)
  const indexOf = new Map<FieldValue, number>(typeof type === 'string' ? [] : type.map((name, i) => [name, i] as const));
  const set =
    type === 'bool'
      ? function (this: RefBase, v: FieldValue) {
          const slot = this.places[k];
          if (slot.dropped) return;
          this.w[this.at] = writeSlot(this.w[this.at], slot, typeof v === 'boolean' ? (v ? 1 : 0) : toNumber(slot, v));
        }
      : typeof type === 'string'
        ? function (this: RefBase, v: FieldValue) {
            const slot = this.places[k];
            if (slot.dropped) return;
            this.w[this.at] = writeSlot(this.w[this.at], slot, toNumber(slot, v));
          }
        : function (this: RefBase, v: FieldValue) {
            const slot = this.places[k];
            if (slot.dropped) return;
            const i = indexOf.get(v);
            this.w[this.at] = writeSlot(this.w[this.at], slot, i === undefined ? toNumber(slot, v) : i);
          };
  Object.defineProperty(proto, spec.name, { get, set, enumerable: true, configurable: false });
}

for (const [k, spec] of TAB_FIELDS.entries()) defineField(TabRef.prototype, spec, k);
for (const [k, spec] of MEETING_FIELDS.entries()) defineField(MeetingRef.prototype, spec, k);
Object.defineProperty(TabRef.prototype, 'meeting', {
  get(this: RefBase) {
    return this.w[this.at] >>> this.layout.tab.bits;
  },
  set(this: RefBase, id: number) {
    const scale = this.layout.tabScale;
    this.w[this.at] = (this.w[this.at] % scale) + id * scale;
  },
  enumerable: true,
});
Object.defineProperty(TabRef.prototype, 'slot', {
  get(this: RefBase) {
    return this.at;
  },
});
Object.defineProperty(MeetingRef.prototype, 'polls', {
  get(this: RefBase) {
    return this.w[this.at + 1] >>> 0;
  },
  set(this: RefBase, q: number) {
    this.w[this.at + 1] = q | 0;
  },
  enumerable: true,
});
Object.defineProperty(MeetingRef.prototype, 'id', {
  get(this: RefBase) {
    return (this.at - this.layout.slots) / 2 + 1;
  },
});

/**
 * Meeting ids beyond one per tab slot and one more: the meetings no tab
 * refers to that a run can keep at once. Without faults that is one (the
 * active meeting, or the one closing before the next); a second active
 * meeting needs a fault (meeting-rollover, or create-lock-lost without the
 * unique index: one more per user creating at once). Running out of ids is a
 * loud error (client.ts createMeeting), never a silent stop.
 */
function extraMeetingIds(run: RunShape): number {
  const d = run.design;
  const lostCreates = run.faults.has('create-lock-lost') && !d.oneActiveIndex ? run.bounds.users : 0;
  const rollover = run.faults.has('meeting-rollover') ? 1 : 0;
  return lostCreates + rollover;
}

/** Everything about the packing of one run's states: the words, the fields' places, the accessors. */
export class Layout {
  readonly users: number;
  readonly tabsPerUser: number;
  /** tab slots: users × tabs */
  readonly slots: number;
  /** meeting ids a state can use: one more than the tab slots (a new one while each slot holds another) */
  readonly meetingIds: number;
  readonly words: number;
  readonly tab: WordLayout;
  readonly meeting: WordLayout;
  /** a tab word is its fields plus its meeting id times this */
  readonly tabScale: number;
  constructor(readonly run: RunShape) {
    const b = run.bounds;
    this.users = b.users;
    this.tabsPerUser = b.tabs;
    this.slots = b.users * b.tabs;
    this.meetingIds = this.slots + 1 + extraMeetingIds(run);
    this.words = this.slots + 2 * this.meetingIds;
    this.tab = wordLayout(TAB_FIELDS, run);
    this.meeting = wordLayout(MEETING_FIELDS, run);
    this.tabScale = 2 ** this.tab.bits;
    const idBits = Math.ceil(Math.log2(this.meetingIds + 1));
    if (this.tab.bits + idBits > 31)
      throw new RangeError(`a tab slot needs ${this.tab.bits + idBits} bits at these bounds; at most 31 fit its word (smaller bounds)`);
    if (this.meeting.bits > 31) throw new RangeError(`a meeting needs ${this.meeting.bits} bits at these bounds; at most 31 fit its word`);
  }

  tabRef(w: Int32Array, slot: number): Tab {
    return new TabRef(w, slot, this, this.tab.slots) as unknown as Tab;
  }

  meetingRef(w: Int32Array, id: number): Meeting {
    return new MeetingRef(w, this.slots + 2 * (id - 1), this, this.meeting.slots) as unknown as Meeting;
  }

  /** where meeting id `id`'s first word sits */
  meetingAt(id: number): number {
    return this.slots + 2 * (id - 1);
  }

  /** A field's value in a word, by slot name (for the encoding, view and tests). */
  readTab(word: number, name: keyof TabFields): FieldValue {
    if (name === 'meeting') return word >>> this.tab.bits;
    const slot = this.tab.byName[name];
    return fromNumber(slot, readSlot(word, slot));
  }

  readMeeting(word: number, name: keyof MeetingFields): FieldValue {
    const slot = this.meeting.byName[name];
    return fromNumber(slot, readSlot(word, slot));
  }

  /** The state with these words (they must not change afterwards). */
  state(w: Int32Array): State {
    return new State(w, this);
  }

  initial(): State {
    return this.state(new Int32Array(this.words));
  }
}

/**
 * A state: its words, never changed once made (every step writes a Draft, a
 * copy). Made by its run's Layout (layout.state(w)). The layout is a private
 * field, so that a state's only own property is its words: a deep comparison
 * of two states compares their words.
 */
export class State {
  readonly #layout: Layout;

  constructor(
    readonly w: Int32Array,
    layout: Layout,
  ) {
    this.#layout = layout;
  }

  get layout(): Layout {
    return this.#layout;
  }

  tab(slot: number): ReadTab {
    return this.layout.tabRef(this.w, slot);
  }

  /** The meeting with id `id`, or null when the id is not in use (never made, or forgotten). */
  meeting(id: number): ReadMeeting | null {
    if (id < 1 || id > this.layout.meetingIds) return null;
    const at = this.layout.meetingAt(id);
    return this.w[at] === 0 ? null : this.layout.meetingRef(this.w, id);
  }

  /** The highest meeting id in use (0: none). */
  topMeeting(): number {
    const { w, layout } = this;
    for (let id = layout.meetingIds; id >= 1; id--) if (w[layout.meetingAt(id)] !== 0) return id;
    return 0;
  }

  draft(): Draft {
    // the copy constructor: a plain copy, cheaper than slice() (no species lookup)
    return new Draft(this.layout, new Int32Array(this.w));
  }

  equals(other: unknown): boolean {
    if (this === other) return true;
    if (!(other instanceof State) || other.w.length !== this.w.length) return false;
    for (let i = 0; i < this.w.length; i++) if (this.w[i] !== other.w[i]) return false;
    return true;
  }

  /** (not cached: a state is only its words, so that two equal states are equal objects to a deep comparison too) */
  hashCode(): number {
    let h = 17;
    for (let i = 0; i < this.w.length; i++) h = (Math.imul(h, 31) + this.w[i]) | 0;
    return h;
  }

  /** The state as plain data (tab slots and meetings by field name), for tests and debugging; traces use view.ts. */
  toJS(): { tabs: Record<string, FieldValue>[]; meetings: (Record<string, FieldValue> | null)[] } {
    const fields = (ref: object) =>
      Object.fromEntries(
        Object.keys(Object.getOwnPropertyDescriptors(Object.getPrototypeOf(ref)))
          .filter((k) => k !== 'constructor' && k !== 'slot' && k !== 'id')
          .map((k) => [k, (ref as Record<string, FieldValue>)[k]]),
      );
    const tabs = Array.from({ length: this.layout.slots }, (_, i) => fields(this.tab(i)));
    const meetings = Array.from({ length: this.layout.meetingIds }, (_, k) => {
      const m = this.meeting(k + 1);
      return m === null ? null : fields(m);
    });
    return { tabs, meetings };
  }
}

/** A state being made by a step: a copy of its source's words, written through the same field names. */
export class Draft {
  constructor(
    readonly layout: Layout,
    readonly w: Int32Array,
  ) {}

  tab(slot: number): Tab {
    return this.layout.tabRef(this.w, slot);
  }

  /** The meeting with id `id`; it must be in use (the actions write only meetings that exist). */
  meeting(id: number): Meeting {
    const at = this.layout.meetingAt(id);
    if (id < 1 || id > this.layout.meetingIds || this.w[at] === 0) throw new RangeError(`meeting ${id} is not in use`);
    return this.layout.meetingRef(this.w, id);
  }

  /** Reads the draft as a State (the guards' helpers take either). */
  get view(): State {
    return this.layout.state(this.w);
  }

  /** Makes a new meeting in the first free id: exists, active, with these fields. Returns its id, or 0 when every id is in use. */
  newMeeting(): number {
    for (let id = 1; id <= this.layout.meetingIds; id++) {
      const at = this.layout.meetingAt(id);
      if (this.w[at] !== 0) continue;
      const m = this.layout.meetingRef(this.w, id);
      m.exists = true;
      m.active = true;
      return id;
    }
    return 0;
  }
}

export function inCall(t: { readonly phase: Phase }): boolean {
  return t.phase === 'connected' || t.phase === 'joined';
}

export function isOpen(t: { readonly phase: Phase }): boolean {
  return t.phase !== 'idle';
}

/**
 * The meeting get-or-create hands out: the active one whose end_date has not
 * passed (meeting-rollover can leave an older one active too), or 0.
 */
export function activeMeeting(s: State): number {
  const { w, layout } = s;
  const active = layout.meeting.byName.active;
  const expired = layout.meeting.byName.expired;
  for (let id = 1; id <= layout.meetingIds; id++) {
    const word = w[layout.meetingAt(id)];
    if (word !== 0 && readSlot(word, active) === 1 && readSlot(word, expired) !== 1) return id;
  }
  return 0;
}
