// The packed state's one field table (model/fields.ts) and the packing each
// run takes from it (model/state.ts Layout): a field's width is the bits of
// its largest value in the run, fields sit side by side without overlap, a
// field the run does not use takes no bits and reads as its resting value,
// every field holds its whole range and refuses what does not fit, a state at
// rest is all zero words, and bounds whose fields do not fit a word are
// refused in one line.
import { describe, expect, it } from 'vitest';
import {
  BOUND_SPECS,
  DEFAULT_BOUNDS,
  DESIGN_NAMES,
  FAULT_BOUND_SPECS,
  FAULT_NAMES,
  presenceModel,
  type Bounds,
  type FaultName,
} from '../../model/index.ts';
import { MEETING_FIELDS, readSlot, TAB_FIELDS, writeSlot, type FieldSpec, type Slot } from '../../model/fields.ts';
import { PHASES, type Layout } from '../../model/state.ts';

const layoutOf = (design: string, bounds: Partial<Bounds>, faults: readonly FaultName[] = [], reduce = true): Layout =>
  presenceModel(design, bounds, { faults, reduce, faultBounds: { flapTicks: 2, flaps: 2 } }).init[0].layout;

/** Every design, without faults and with every fault, at the default bounds. */
const RUNS = DESIGN_NAMES.flatMap((design) =>
  [[], FAULT_NAMES].map((faults) => ({
    name: `${design}${faults.length > 0 ? ' + every fault' : ''}`,
    layout: layoutOf(design, {}, faults),
  })),
);

const resting = (slot: Slot) => (slot.type === 'bool' ? false : typeof slot.type === 'string' ? -slot.offset : slot.type[0]);
const largest = (slot: Slot) => (slot.type === 'bool' ? slot.max === 1 : typeof slot.type === 'string' ? slot.max : slot.type[slot.max]);

describe('the field table', () => {
  it('lists each field once, and a tab at rest first (phase idle, reservation -1: what tidy reads as zero bits)', () => {
    for (const fields of [TAB_FIELDS, MEETING_FIELDS] as readonly (readonly FieldSpec[])[]) {
      const names = fields.map((f) => f.name);
      expect(new Set(names).size).toBe(names.length);
    }
    expect(PHASES[0]).toBe('idle');
    expect(TAB_FIELDS.find((f) => f.name === 'reservation')).toMatchObject({ min: -1 });
  });
});

describe.each(RUNS)('$name: the packing', ({ layout }) => {
  it("gives each field the bits of its largest value in this run, side by side, the tab's meeting id above them", () => {
    for (const [words, fields] of [
      [layout.tab, TAB_FIELDS],
      [layout.meeting, MEETING_FIELDS],
    ] as const) {
      let shift = 0;
      for (const [k, f] of (fields as readonly FieldSpec[]).entries()) {
        const slot = words.slots[k];
        const min = f.min ?? 0;
        const max = slot.dropped ? min : f.max(layout.run);
        const width = max <= min ? 0 : Math.ceil(Math.log2(max - min + 1));
        expect([slot.name, slot.shift, slot.mask, slot.offset], f.name).toEqual([f.name, shift, 2 ** width - 1, -min]);
        expect(slot.max, f.name).toBe(width === 0 ? min : max);
        shift += width;
      }
      expect(words.bits).toBe(shift);
    }
    expect(layout.tabScale).toBe(2 ** layout.tab.bits);
    expect(layout.tab.bits + Math.ceil(Math.log2(layout.meetingIds + 1))).toBeLessThanOrEqual(31);
    expect(layout.meeting.bits).toBeLessThanOrEqual(31);
  });

  it('starts at rest: every word zero, every tab idle with no reservation, no meeting in use', () => {
    const s = layout.initial();
    expect([...s.w].every((x) => x === 0)).toBe(true);
    expect(s.w.length).toBe(layout.slots + 2 * layout.meetingIds);
    for (let i = 0; i < layout.slots; i++) {
      const t = s.tab(i);
      for (const slot of layout.tab.slots) expect((t as unknown as Record<string, unknown>)[slot.name], slot.name).toBe(resting(slot));
      expect(t.meeting).toBe(0);
    }
    for (let id = 1; id <= layout.meetingIds; id++) expect(s.meeting(id)).toBeNull();
    expect(s.topMeeting()).toBe(0);
  });

  it('reads back a tab and a meeting with every field at its largest, and the largest meeting id', () => {
    const d = layout.initial().draft();
    const last = layout.slots - 1;
    const id = d.newMeeting();
    expect(id).toBe(1);
    for (let k = 1; k < layout.meetingIds; k++) d.newMeeting();
    expect(d.newMeeting()).toBe(0); // every id in use
    const t = d.tab(last) as unknown as Record<string, unknown>;
    const m = d.meeting(layout.meetingIds) as unknown as Record<string, unknown>;
    for (const slot of layout.tab.slots) t[slot.name] = largest(slot);
    for (const slot of layout.meeting.slots) m[slot.name] = largest(slot);
    d.tab(last).meeting = layout.meetingIds;
    d.meeting(layout.meetingIds).polls = 2 ** 32 - 1;
    const s = d.view;
    const back = s.tab(last) as unknown as Record<string, unknown>;
    for (const slot of layout.tab.slots) expect(back[slot.name], slot.name).toBe(slot.dropped ? resting(slot) : largest(slot));
    expect(s.tab(last).meeting).toBe(layout.meetingIds);
    const mb = s.meeting(layout.meetingIds) as unknown as Record<string, unknown>;
    for (const slot of layout.meeting.slots) expect(mb[slot.name], slot.name).toBe(slot.dropped ? resting(slot) : largest(slot));
    expect(s.meeting(layout.meetingIds)!.polls).toBe(2 ** 32 - 1);
    // the other slots and meetings are untouched
    for (let i = 0; i < last; i++) expect(s.w[i]).toBe(0);
    for (let k = 1; k < layout.meetingIds; k++) expect(s.meeting(k)!.active).toBe(true);
    // and each field, set alone at its largest, leaves every other field at rest
    for (const slot of layout.tab.slots) {
      if (slot.mask === 0) continue;
      const word = writeSlot(0, slot, slot.max);
      for (const other of layout.tab.slots)
        expect(readSlot(word, other), `${slot.name} -> ${other.name}`).toBe(other === slot ? slot.max : -other.offset);
    }
  });

  it('refuses a value that does not fit its field, and a field the run does not use (a model bug, never a silent wrap-around)', () => {
    const d = layout.initial().draft();
    const t = d.tab(0) as unknown as Record<string, unknown>;
    for (const slot of layout.tab.slots) {
      if (slot.dropped || typeof slot.type !== 'string') continue;
      if (slot.mask === 0) expect(() => (t[slot.name] = slot.max + 1), slot.name).toThrow(new RegExp(`this run does not use ${slot.name}`));
      else expect(() => (t[slot.name] = slot.max + 1), slot.name).toThrow(new RegExp(`${slot.name} = ${slot.max + 1} does not fit`));
      expect(() => (t[slot.name] = -slot.offset - 1), slot.name).toThrow(RangeError);
    }
    expect(() => (t.phase = 'nowhere')).toThrow(/phase = 'nowhere' is not one of its values/);
    expect([...d.w].every((x) => x === 0)).toBe(true);
  });

  it('drops the writes of a field the run does not read (it takes no bits)', () => {
    const dropped = layout.tab.slots.filter((s) => s.dropped);
    const d = layout.initial().draft();
    const t = d.tab(0) as unknown as Record<string, unknown>;
    for (const slot of dropped) {
      expect(slot.mask).toBe(0);
      t[slot.name] = true;
      expect(t[slot.name]).toBe(resting(slot));
    }
    expect([...d.w].every((x) => x === 0)).toBe(true);
  });
});

describe('one set of classes for every run', () => {
  it("a state, a tab and a meeting of any run are instances of the same classes: what differs is the state's layout, and a state's only own property is its words", () => {
    const a = layoutOf('fixed', {}).initial();
    const b = layoutOf('shipped', { users: 3, tabs: 1 }, FAULT_NAMES).initial();
    expect(a.layout).not.toBe(b.layout);
    expect(a.layout.tab.bits).not.toBe(b.layout.tab.bits);
    expect(Object.getPrototypeOf(a)).toBe(Object.getPrototypeOf(b));
    expect(Object.getPrototypeOf(a.tab(0))).toBe(Object.getPrototypeOf(b.tab(0)));
    const [da, db] = [a.draft(), b.draft()];
    const [ma, mb] = [da.newMeeting(), db.newMeeting()];
    expect(Object.getPrototypeOf(da.meeting(ma))).toBe(Object.getPrototypeOf(db.meeting(mb)));
    expect(Object.keys(a)).toEqual(['w']);
    // (each reads its own run's packing: the tests above run every design's, one after another, in one process)
  });
});

describe('which fields a run uses', () => {
  it('every field takes bits in some design with some faults (none is dead weight in the table)', () => {
    const used = new Set(
      RUNS.flatMap(({ layout }) => [...layout.tab.slots, ...layout.meeting.slots].filter((s) => s.mask > 0).map((s) => s.name)),
    );
    expect([...TAB_FIELDS, ...MEETING_FIELDS].map((f) => f.name).filter((n) => !used.has(n))).toEqual([]);
  });

  it('a bound sets its field: lag 0 takes no bits, lag 7 three; a TTL of 30 and "none" take five', () => {
    expect(layoutOf('fixed', { lag: 0 }).tab.byName.lag.mask).toBe(0);
    expect(layoutOf('fixed', { lag: 7 }).tab.byName.lag.mask).toBe(7);
    expect(layoutOf('fixed', { ttl: 30 }).tab.byName.reservation).toMatchObject({ mask: 31, offset: 1, max: 30 });
    expect(layoutOf('fixed', { ttl: 1 }).tab.byName.reservation).toMatchObject({ mask: 3, offset: 1, max: 1 });
    // a field that can be -1 ("none") takes no bits where the run never sets it: no reservation, no second look
    expect(layoutOf('current', { ttl: 30 }).tab.byName.reservation).toMatchObject({ mask: 0, max: -1 });
    expect(layoutOf('current', { lag: 7 }).meeting.byName.emptyLook).toMatchObject({ mask: 0, max: -1 });
    expect(layoutOf('two-looks', { lag: 5 }).meeting.byName.emptyLook).toMatchObject({ mask: 7, offset: 1, max: 6 });
    expect(layoutOf('two-looks', { lag: 6 }).meeting.byName.emptyLook).toMatchObject({ mask: 15, offset: 1, max: 7 });
  });

  it('sessionOpen takes bits only where the design reads open sessions, or the reductions are off', () => {
    expect(layoutOf('fixed', {}).tab.byName.sessionOpen).toMatchObject({ mask: 0, dropped: true });
    expect(layoutOf('fixed', {}, [], false).tab.byName.sessionOpen).toMatchObject({ mask: 1, dropped: false });
    expect(layoutOf('current', {}).tab.byName.sessionOpen).toMatchObject({ mask: 1, dropped: false });
  });
});

describe('bounds at their largest', () => {
  const max = Object.fromEntries(BOUND_SPECS.map((b) => [b.name, b.max])) as unknown as Bounds;
  const faultMax = Object.fromEntries(FAULT_BOUND_SPECS.map((b) => [b.name, b.max]));

  it.each(DESIGN_NAMES)(
    '%s: every bound at its largest fits a word without faults, and every fault bound at its largest does at the default bounds',
    (design) => {
      expect(() => presenceModel(design, max)).not.toThrow();
      expect(() => presenceModel(design, DEFAULT_BOUNDS, { faults: FAULT_NAMES, faultBounds: faultMax })).not.toThrow();
    },
  );

  it('bounds whose tab does not fit a word are refused in one line, never packed into a wrong state', () => {
    expect(() => presenceModel('fixed', max, { faults: FAULT_NAMES, faultBounds: faultMax })).toThrow(
      /^a tab slot needs \d+ bits at these bounds; at most 31 fit its word \(smaller bounds\)$/,
    );
  });
});
