// What must hold (invariants) and what must be seen at least once
// (witnesses: without them a "holds" could come from a model that never
// gets anywhere interesting).
import { always, sometimes, type Property } from '../checker/index.ts';
import type { Bounds } from './bounds.ts';
import type { Design } from './designs.ts';
import { activeMeeting, inCall, isOpen, type State } from './state.ts';

/** The users in a Daily call, as [user (1-based), meeting] pairs. */
export function callers(s: State, tabsPerUser: number): [number, number][] {
  const out: [number, number][] = [];
  s.tabs.forEach((t, i) => {
    if (inCall(t)) out.push([Math.floor(i / tabsPerUser) + 1, t.meeting]);
  });
  return out;
}

export const SAME_DAILY_ROOM = 'same-daily-room';
export const NO_ORPHANED_CALL = 'no-orphaned-call';
export const ONE_ACTIVE_MEETING = 'one-active-meeting';

export function buildProperties(design: Design, b: Bounds): Property<State>[] {
  const props: Property<State>[] = [
    // real: "No two users of the same Reflector room are in different Daily
    // rooms at the same time (connected = in the Daily call)."
    // (the invariants are tested on every state the search meets: plain
    // loops, no allocation)
    always(SAME_DAILY_ROOM, 'no two users are in different Daily rooms', (s) => {
      let room = 0;
      for (let i = 0; i < s.tabs.size; i++) {
        const t = s.tabs.get(i)!;
        if (!inCall(t)) continue;
        if (room === 0) room = t.meeting;
        else if (t.meeting !== room) return false;
      }
      return true;
    }),
    // real: "A user alone in a deactivated meeting's Daily room, while the
    // room's active meeting is another, is the same split seen from one side."
    always(NO_ORPHANED_CALL, "nobody is in a deactivated meeting's Daily room while another meeting is active", (s) => {
      const active = activeMeeting(s);
      if (active === 0) return true;
      for (let i = 0; i < s.tabs.size; i++) {
        const t = s.tabs.get(i)!;
        if (inCall(t) && t.meeting !== active) return false;
      }
      return true;
    }),
    // real: "At most one active meeting per Reflector room is intended."
    always(ONE_ACTIVE_MEETING, 'at most one meeting is active', (s) => {
      let active = 0;
      for (let i = 0; i < s.meetings.size; i++) if (s.meetings.get(i)?.active === true) active++;
      return active <= 1;
    }),

    sometimes('meeting-deactivated', 'process_meetings deactivates a meeting', (s, step) =>
      step?.action === 'pmDeactivates' && activeMeeting(s) === 0 && activeMeeting(step.from) !== 0),
  ];
  if (b.users >= 2) {
    props.push(sometimes('users-connected-together', 'two users are in the same Daily call', (s) => {
      const c = callers(s, b.tabs);
      return c.some(([u, m]) => c.some(([v, n]) => v !== u && n === m));
    }));
  }
  if (b.tabs >= 2) {
    props.push(sometimes('quick-rejoin',
      "a user's new tab gets the meeting while its closed tab is still shown by presence or has an open session",
      (s) => s.tabs.some((t, i) => {
        if (!isOpen(t) || t.meeting === 0) return false;
        const first = i - (i % b.tabs);
        for (let j = first; j < first + b.tabs; j++) {
          const old = s.tabs.get(j)!;
          if (j !== i && !isOpen(old) && old.meeting === t.meeting && (old.visible || old.sessionOpen)) return true;
        }
        return false;
      })));
  }
  if (design.reservation) {
    props.push(sometimes('pending-join-expires', 'a pending-join key expires by its TTL', (_s, step) =>
      step?.action === 'pendingJoinExpires'));
  }
  return props;
}
