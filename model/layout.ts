// The one table of the packed state: every field of a tab and of a meeting,
// with its width in bits. Packing (codec.ts), the encoding (encoding.ts) and
// the largest value each bound may take (bounds.ts) are all derived from it,
// so a field added here is packed, encoded and range-checked everywhere, and
// a table that does not fit its words fails at load time.
//
// A tab is one 32-bit word: its fields from the least significant bit up,
// then its meeting id. A meeting is two words: its fields, and its queue of
// polls (polls.ts, 2 bits per delay). The order of the fields matters: the
// symmetric encoder sorts tabs by their fields as a number, so the last field
// weighs most.

export interface Field<N extends string = string> {
  readonly name: N;
  readonly bits: number;
  /** stored as value + offset (a field that can be -1 has offset 1) */
  readonly offset?: number;
}

export const TAB_FIELDS = [
  { name: 'phase', bits: 3 },
  { name: 'handshake', bits: 4 },
  { name: 'visible', bits: 1 },
  { name: 'lag', bits: 3 },
  { name: 'sessionOpen', bits: 1 },
  { name: 'leftHooks', bits: 2 },
  { name: 'pendingJoin', bits: 6, offset: 1 },
  { name: 'seenByPoll', bits: 1 },
  // fields that only faults set (zero without them: the states of a run without faults are unchanged)
  { name: 'flapped', bits: 1 },
] as const satisfies readonly Field[];

export const MEETING_FIELDS = [
  { name: 'active', bits: 1 },
  { name: 'hadSessions', bits: 1 },
  { name: 'worker', bits: 3 },
  { name: 'pollRunning', bits: 1 },
  { name: 'quiet', bits: 4 },
  { name: 'joinedSinceVersionRead', bits: 1 },
  { name: 'emptyLook', bits: 4, offset: 1 },
  // conditional-fenced: a look has seen someone since the run (the live one, the stale one) went on from its second look
  { name: 'seenSinceDecision', bits: 1 },
  { name: 'staleSeenSinceDecision', bits: 1 },
  // fields that only faults set
  { name: 'staleWorker', bits: 3 },
  { name: 'expired', bits: 1 },
] as const satisfies readonly Field[];

export type TabField = (typeof TAB_FIELDS)[number]['name'];
export type MeetingField = (typeof MEETING_FIELDS)[number]['name'];

/** Where each field sits: its shift, mask and offset. */
export interface Slot {
  readonly shift: number;
  readonly mask: number;
  readonly offset: number;
  /** the largest value the field can hold */
  readonly max: number;
}

function slotsOf<N extends string>(fields: readonly Field<N>[]): { slots: Record<N, Slot>; bits: number } {
  let shift = 0;
  const slots = {} as Record<N, Slot>;
  for (const f of fields) {
    const offset = f.offset ?? 0;
    slots[f.name] = { shift, mask: 2 ** f.bits - 1, offset, max: 2 ** f.bits - 1 - offset };
    shift += f.bits;
  }
  return { slots, bits: shift };
}

const tabLayout = slotsOf<TabField>(TAB_FIELDS);
const meetingLayout = slotsOf<MeetingField>(MEETING_FIELDS);
export const TAB_SLOTS = tabLayout.slots;
export const MEETING_SLOTS = meetingLayout.slots;
/** bits of a tab's fields; its meeting id sits above them */
export const TAB_BITS = tabLayout.bits;
export const MEETING_BITS = meetingLayout.bits;
/** the largest meeting id a tab word can hold (31 bits in all: the word stays a non-negative int32) */
export const MAX_MEETING_ID = 2 ** (31 - TAB_BITS) - 1;

if (TAB_BITS > 26) throw new Error(`model/layout.ts: a tab's fields take ${TAB_BITS} bits; at most 26 leave room for its meeting id`);
if (MEETING_BITS > 31) throw new Error(`model/layout.ts: a meeting's fields take ${MEETING_BITS} bits; at most 31 fit its word`);

/** Reads field `slot` of a packed word. */
export const read = (word: number, slot: Slot): number => ((word >>> slot.shift) & slot.mask) - slot.offset;

/** Packs `values` (one per field, by name) into a word; a value out of its field's range is an error. */
export function pack<N extends string>(slots: Record<N, Slot>, values: Readonly<Record<N, number>>): number {
  let word = 0;
  for (const name in slots) {
    const slot = slots[name];
    const v = values[name];
    if (!(v >= -slot.offset && v <= slot.max))
      throw new RangeError(`model/layout.ts: ${name} = ${v} does not fit its ${Math.log2(slot.mask + 1)} bits`);
    word += (v + slot.offset) * 2 ** slot.shift;
  }
  return word;
}
