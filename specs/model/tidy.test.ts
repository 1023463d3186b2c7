// tidy (model/state.ts) works on a tab's packed bits for speed; here it is
// held against its definition field by field: a tab of an inactive meeting
// keeps only its phase, its handshake and its meeting, with presence agreeing
// with the call; a closed tab nothing remembers (idle, not in presence, no
// session, no left webhook, no pending join, not seen by a poll) frees its
// slot; an inactive meeting no tab refers to is forgotten.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { TAB_SLOTS, type Slot } from '../../model/layout.ts';
import { EMPTY_TAB, INACTIVE_MEETING, NEW_MEETING, PHASES, State, TAB_SCALE, Tab, inCall, tidy, type Meeting } from '../../model/state.ts';

/** The definition, field by field (as tidy was written before it read bits). */
function tidyByFields(s: State): { tabs: Tab[]; meetings: (Meeting | null)[] } {
  const meetings = s.meetings.map((m) => (m === null || m.active ? m : INACTIVE_MEETING));
  const tabs = s.tabs.map((was) => {
    if (was.meeting === 0) return was;
    let t = was;
    if (!meetings[t.meeting - 1]!.active)
      t = EMPTY_TAB.with({ phase: t.phase, meeting: t.meeting, handshake: t.handshake, visible: inCall(t) });
    if (t.phase === 'idle' && !t.visible && !t.sessionOpen && t.leftHooks === 0 && t.pendingJoin < 0 && !t.seenByPoll) return EMPTY_TAB;
    return t;
  });
  const kept = meetings.map((m, i) => (m === INACTIVE_MEETING && !tabs.some((t) => t.meeting === i + 1) ? null : m));
  while (kept.length > 0 && kept[kept.length - 1] === null) kept.pop();
  return { tabs, meetings: kept };
}

/** a field's value: half the time its empty tab's value (what tidy tests for), else any it can hold */
const field = (slot: Slot) => fc.oneof(fc.constant(-slot.offset), fc.integer({ min: -slot.offset, max: slot.max }));
/** any tab word the layout can hold, on meeting 1 or 2 */
const tabArb = fc
  .record({
    phase: fc.oneof(fc.constant(PHASES[0]), fc.constantFrom(...PHASES)),
    handshake: field(TAB_SLOTS.handshake),
    visible: fc.boolean(),
    lag: field(TAB_SLOTS.lag),
    sessionOpen: fc.boolean(),
    leftHooks: field(TAB_SLOTS.leftHooks),
    pendingJoin: field(TAB_SLOTS.pendingJoin),
    seenByPoll: fc.boolean(),
    flapped: fc.boolean(),
    meeting: fc.constantFrom(0, 1, 2),
  })
  .map((f) => (f.meeting === 0 ? EMPTY_TAB : EMPTY_TAB.with(f)));
const meetingArb = fc.constantFrom<Meeting>(
  NEW_MEETING,
  NEW_MEETING.set('active', false),
  NEW_MEETING.with({ active: false, hadSessions: true, quiet: 3 }),
);

describe('tidy on packed bits', () => {
  it('is its field-by-field definition, on any tabs of active, inactive and forgotten meetings', () => {
    fc.assert(
      fc.property(fc.array(tabArb, { minLength: 1, maxLength: 4 }), meetingArb, meetingArb, (tabs, m1, m2) => {
        const s = new State(tabs, [m1, m2]);
        const tidied = tidy(s);
        const expected = tidyByFields(s);
        expect(tidied.tabs).toEqual(expected.tabs);
        expect(tidied.meetings).toEqual(expected.meetings);
        // a state tidy leaves alone is returned as is (the checker reads that as a self-loop)
        expect(tidy(tidied)).toBe(tidied);
      }),
      { numRuns: 20_000, seed: 20261202 },
    );
  });

  it('is its definition on tab words of an active meeting, where it frees the forgotten ones', () => {
    // field combinations of a tab on meeting 1: a stride through its 2^22 words
    let freed = 0;
    for (let bits = 0; bits < TAB_SCALE; bits += 61) {
      const phase = bits & TAB_SLOTS.phase.mask;
      if (phase >= PHASES.length) continue;
      const t = Tab.fromWord(bits + TAB_SCALE);
      const after = tidy(new State([t], [NEW_MEETING])).tabs[0];
      expect(after).toBe(tidyByFields(new State([t], [NEW_MEETING])).tabs[0]);
      if (after === EMPTY_TAB) freed++;
    }
    expect(freed).toBeGreaterThan(0);
  });
});
