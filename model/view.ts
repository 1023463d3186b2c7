// How a state reads to a person: a plain projection, tabs named u1#1 and
// meetings M1, each field under its own name (fields.ts), shown when it is
// away from its resting value (false, 0, -1 for "none"), and only the fields
// this run uses. What each step did is each action's own `describe`.
import { fromNumber, readSlot } from './fields.ts';
import { describePolls } from './polls.ts';
import type { State } from './state.ts';
import { meetingName, tabName } from './actions/setup.ts';

export function viewState(s: State): Record<string, unknown> {
  const { layout, w } = s;
  const tabs: Record<string, unknown> = {};
  for (let i = 0; i < layout.slots; i++) {
    const word = w[i];
    if (word === 0) continue;
    const meeting = Math.floor(word / layout.tabScale);
    const v: Record<string, unknown> = {};
    for (const slot of layout.tab.slots) {
      const stored = (word >>> slot.shift) & slot.mask;
      if (slot.name !== 'phase' && stored === 0) continue;
      v[slot.name] = fromNumber(slot, readSlot(word, slot));
      if (slot.name === 'phase') v.meeting = meeting === 0 ? null : meetingName(meeting);
    }
    tabs[tabName(Math.floor(i / layout.tabsPerUser) + 1, (i % layout.tabsPerUser) + 1)] = v;
  }
  const meetings: Record<string, unknown> = {};
  for (let id = 1; id <= layout.meetingIds; id++) {
    const at = layout.meetingAt(id);
    const word = w[at];
    if (word === 0) continue;
    const v: Record<string, unknown> = {};
    for (const slot of layout.meeting.slots) {
      if (slot.name === 'exists') continue;
      const stored = (word >>> slot.shift) & slot.mask;
      if (slot.name !== 'active' && stored === 0) continue;
      v[slot.name] = fromNumber(slot, readSlot(word, slot));
    }
    const polls = describePolls(w[at + 1] >>> 0);
    if (polls.length > 0) v.polls = polls;
    meetings[meetingName(id)] = v;
  }
  return { tabs, meetings };
}
