// The packed state's one field table (model/layout.ts): every field holds
// its whole range and refuses what does not fit, and each bound's largest
// value is what its field can hold.
import { describe, expect, it } from 'vitest';
import { MEETING_SLOTS, TAB_BITS, TAB_SLOTS } from '../../model/layout.ts';
import { EMPTY_TAB, NEW_MEETING, PHASES, Tab } from '../../model/state.ts';
import { BOUND_SPECS } from '../../model/index.ts';

describe('the field table', () => {
  it('gives each field its own bits: a tab with every field at its largest reads back whole', () => {
    const full = EMPTY_TAB.with({
      phase: PHASES[PHASES.length - 1],
      handshake: TAB_SLOTS.handshake.max,
      visible: true,
      lag: TAB_SLOTS.lag.max,
      sessionOpen: true,
      leftHooks: TAB_SLOTS.leftHooks.max,
      pendingJoin: TAB_SLOTS.pendingJoin.max,
      seenByPoll: true,
      flapped: true,
      meeting: 19,
    });
    expect(full.toJS()).toEqual({
      phase: 'joined',
      meeting: 19,
      handshake: 15,
      visible: true,
      lag: 7,
      sessionOpen: true,
      leftHooks: 3,
      pendingJoin: 62,
      seenByPoll: true,
      flapped: true,
    });
    expect(Tab.fromWord(full.word)).toBe(full);
    // fields below the meeting id, all of them
    expect(full.bits).toBe(2 ** TAB_BITS - 1 - (7 - PHASES.length + 1));
  });

  it('refuses a value that does not fit its field (a model bug, never a silent wrap-around)', () => {
    expect(() => EMPTY_TAB.set('lag', TAB_SLOTS.lag.max + 1)).toThrow(/lag = 8 does not fit/);
    expect(() => EMPTY_TAB.set('pendingJoin', -2)).toThrow(/pendingJoin = -2 does not fit/);
    expect(() => NEW_MEETING.set('worker', MEETING_SLOTS.worker.max + 1)).toThrow(/worker = 8 does not fit/);
  });

  it('bounds a bound by its field: lag, handshake and grace by their widths, ttl by 30 (a search limit) within its field', () => {
    const max = Object.fromEntries(BOUND_SPECS.map((b) => [b.name, b.max]));
    expect(max).toMatchObject({ lag: TAB_SLOTS.lag.max, handshake: TAB_SLOTS.handshake.max, grace: MEETING_SLOTS.quiet.max, ttl: 30 });
    expect(TAB_SLOTS.pendingJoin.max).toBeGreaterThanOrEqual(30);
  });
});
