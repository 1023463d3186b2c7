// tidy (model/tidy.ts) works on packed words for speed; here it is held
// against its definition written field by field through the accessors:
// - an inactive meeting keeps only that it exists, whether it is closing,
//   whether its room is gone and who ended it (its queue of polls emptied);
// - where a meeting's polls can change nothing read once it had sessions
//   (fields.ts pollsIdleOnceHad), an active meeting that had them keeps no
//   running poll and no queue, and its tabs forget what a poll saw;
// - a tab of an inactive meeting keeps only its phase, its handshake, its
//   meeting, whether it joined directly and whether a deletion cut its call,
//   with presence agreeing with the call;
// - a closed tab nothing remembers (idle, not in presence, no open session,
//   no left webhook, no reservation, not seen by a poll) frees its slot;
// - an inactive meeting no tab refers to is forgotten, unless it is closing
//   and get-or-create waits for its room's deletion.
// And a step that changes nothing after tidying is the state itself (the
// checker reads it as a self-loop).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { settle } from '../../model/actions/define.ts';
import { DESIGN_NAMES, FAULT_NAMES, presenceModel, type FaultName } from '../../model/index.ts';
import { pollsIdleOnceHad, writeSlot, type Slot } from '../../model/fields.ts';
import { inCall, PHASES, type Layout, type State } from '../../model/state.ts';
import { tidy } from '../../model/tidy.ts';

type Fields = Record<string, unknown>;

const resting = (slot: Slot) => (slot.type === 'bool' ? false : typeof slot.type === 'string' ? -slot.offset : slot.type[0]);

/** The definition, field by field (the comment at the top). */
function tidyByFields(s: State): Int32Array {
  const L = s.layout;
  const d = s.draft();
  const pollsIdle = pollsIdleOnceHad(L.run);
  const keepClosing = L.run.design.roomDeletion === 'before-next-meeting';
  const active = (id: number) => s.meeting(id)?.active === true;
  for (let id = 1; id <= L.meetingIds; id++) {
    const was = s.meeting(id);
    if (was === null) continue;
    const m = d.meeting(id) as unknown as Fields;
    if (!was.active) {
      for (const slot of L.meeting.slots)
        if (!['exists', 'closing', 'roomGone', 'endedByOwner'].includes(slot.name)) m[slot.name] = resting(slot);
      d.meeting(id).polls = 0;
    } else if (pollsIdle && was.hadSessions) {
      m.pollStep = 0;
      d.meeting(id).polls = 0;
    }
  }
  for (let i = 0; i < L.slots; i++) {
    const was = s.tab(i);
    if (was.meeting === 0) continue;
    const t = d.tab(i) as unknown as Fields;
    if (!active(was.meeting)) {
      for (const slot of L.tab.slots) if (!['phase', 'handshake', 'direct', 'cut'].includes(slot.name)) t[slot.name] = resting(slot);
      t.visible = inCall(was);
    } else if (pollsIdle && s.meeting(was.meeting)!.hadSessions) t.seenByPoll = false;
    const now = d.tab(i);
    if (now.phase === 'idle' && !now.visible && !now.sessionOpen && now.leftHooks === 0 && now.reservation === -1 && !now.seenByPoll) {
      for (const slot of L.tab.slots) t[slot.name] = resting(slot);
      now.meeting = 0;
    }
  }
  for (let id = 1; id <= L.meetingIds; id++) {
    const m = s.meeting(id);
    if (m === null || m.active || (keepClosing && m.closing)) continue;
    let used = false;
    for (let i = 0; i < L.slots; i++) used ||= d.tab(i).meeting === id;
    if (!used) d.w[L.meetingAt(id)] = 0; // (its polls are already none)
  }
  return d.w;
}

const tidied = (s: State): Int32Array => {
  const d = s.draft();
  tidy(d);
  return d.w;
};

/** a field's value: half the time its resting value (what tidy tests for), else any it can hold */
const fieldArb = (slot: Slot): fc.Arbitrary<number> =>
  slot.mask === 0 ? fc.constant(-slot.offset) : fc.oneof(fc.constant(-slot.offset), fc.integer({ min: -slot.offset, max: slot.max }));
const wordArb = (slots: readonly Slot[]): fc.Arbitrary<number> =>
  fc.tuple(...slots.map(fieldArb)).map((values) => values.reduce((w, v, k) => writeSlot(w, slots[k], v), 0));

/**
 * Any state the layout can hold: each meeting id in use or not (in use: it
 * exists, any other fields, any queue), each tab slot at rest or any word on
 * a meeting in use (a tab never refers to a forgotten meeting).
 */
function stateArb(L: Layout): fc.Arbitrary<State> {
  const exists = L.meeting.byName.exists;
  const meetingArb = fc.option(fc.tuple(wordArb(L.meeting.slots), fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 })), { freq: 3 });
  return fc
    .tuple(
      fc.array(meetingArb, { minLength: L.meetingIds, maxLength: L.meetingIds }),
      fc.array(fc.tuple(wordArb(L.tab.slots), fc.nat()), { minLength: L.slots, maxLength: L.slots }),
    )
    .map(([meetings, tabs]) => {
      const w = new Int32Array(L.words);
      const inUse: number[] = [];
      for (const [k, m] of meetings.entries()) {
        if (m === null) continue;
        w[L.meetingAt(k + 1)] = writeSlot(m[0], exists, 1);
        w[L.meetingAt(k + 1) + 1] = m[1];
        inUse.push(k + 1);
      }
      for (const [i, [bits, pick]] of tabs.entries()) {
        if (inUse.length === 0 || pick % 5 === 0) continue;
        w[i] = bits + inUse[pick % inUse.length] * L.tabScale;
      }
      return L.state(w);
    });
}

const layoutOf = (design: string, faults: readonly FaultName[], users: number, tabs: number): Layout =>
  presenceModel(design, { users, tabs, lag: 1 }, { faults, faultBounds: { flapTicks: 2, flaps: 2 } }).init[0].layout;

/** Every design, without faults and with every fault (every field a run can have, every pollsIdle and keepClosing). */
const RUNS = DESIGN_NAMES.flatMap((design) =>
  [[], FAULT_NAMES].map((faults) => ({
    name: `${design}${faults.length > 0 ? ' + every fault' : ''}`,
    layout: layoutOf(design, faults, 2, 2),
  })),
);

describe('tidy on packed words', () => {
  it('covers both sides of each of its switches across the runs below', () => {
    const idle = RUNS.map(({ layout }) => pollsIdleOnceHad(layout.run));
    const waits = RUNS.map(({ layout }) => layout.run.design.roomDeletion === 'before-next-meeting');
    expect([idle.includes(true), idle.includes(false), waits.includes(true), waits.includes(false)]).toEqual([true, true, true, true]);
  });

  it.each(RUNS)('$name: is its field-by-field definition on any state of 2 users × 2 tabs, and tidies once for all', ({ layout }) => {
    const counts = { freed: 0, forgotten: 0, stripped: 0 };
    fc.assert(
      fc.property(stateArb(layout), (s) => {
        const after = tidied(s);
        expect([...after]).toEqual([...tidyByFields(s)]);
        const t = layout.state(after);
        expect([...tidied(t)]).toEqual([...after]);
        // a state tidy leaves alone is returned as is by a step that changes nothing
        expect(settle(t, t.draft())).toBe(t);
        for (let i = 0; i < layout.slots; i++) if (s.w[i] !== 0 && after[i] === 0) counts.freed++;
        for (let id = 1; id <= layout.meetingIds; id++) {
          const at = layout.meetingAt(id);
          if (s.w[at] !== 0 && after[at] === 0) counts.forgotten++;
          if (after[at] !== 0 && after[at] !== s.w[at]) counts.stripped++;
        }
      }),
      { numRuns: 200, seed: 20261206 },
    );
    // the runs exercised each rule, not only the states tidy leaves alone
    expect(counts.freed).toBeGreaterThan(0);
    expect(counts.forgotten).toBeGreaterThan(0);
    expect(counts.stripped).toBeGreaterThan(0);
  });

  it.each(RUNS)(
    '$name: is its definition on every tab word of an active and of an inactive meeting (a stride through them)',
    ({ layout }) => {
      let freed = 0;
      const stride = Math.max(1, Math.floor(layout.tabScale / 2000)) | 1;
      for (const active of [true, false]) {
        for (let bits = 0; bits < layout.tabScale; bits += stride) {
          // only words whose fields are in range (an enumeration's index, a counter up to its largest)
          if (!layout.tab.slots.every((slot) => ((bits >>> slot.shift) & slot.mask) - slot.offset <= slot.max)) continue;
          if ((PHASES as readonly string[]).length <= ((bits >>> layout.tab.byName.phase.shift) & layout.tab.byName.phase.mask)) continue;
          const d = layout.initial().draft();
          d.newMeeting();
          d.meeting(1).active = active;
          d.w[0] = bits + layout.tabScale;
          const s = d.view;
          const after = tidied(s);
          expect([...after]).toEqual([...tidyByFields(s)]);
          if (after[0] === 0) freed++;
        }
      }
      expect(freed).toBeGreaterThan(0);
    },
  );
});
