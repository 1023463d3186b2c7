// Time: a reservation expiring, Redis losing a key, and the tick of the
// discrete clock, which cannot pass a deadline.
import { tickPolls } from '../polls.ts';
import { inCall, isOpen, type ReadTab, type State } from '../state.ts';
import { reservationName } from './client.ts';
import { presenceAction, type PresenceAction } from './define.ts';
import { labelOf, meetingName as M, slotOf, STORE, tabName, type Setup, type TabParams } from './setup.ts';

const tabs = (c: Setup) => c.tabs;

/**
 * Whether the tab's reservation is kept at its full TTL by the open tab's
 * heartbeat: a design whose open tab refreshes it, without refresh-fails
 * (the refresh always lands in time: the guarantee that fault lifts). The
 * model then needs no step for the refreshes themselves; with refresh-fails
 * they are steps of their own (client.ts refreshesReservation).
 */
export function keptFresh(c: Setup, t: ReadTab): boolean {
  return c.res?.refresh === true && !c.fault('refresh-fails') && isOpen(t) && !t.direct;
}

/**
 * With refresh, a reservation not kept fresh may expire at any moment of
 * its TTL, not only at its end: its last refresh may have come any time
 * before the tab closed (or, with refresh-fails, before the refreshes
 * stopped landing).
 */
const expiresAnyTime = (c: Setup) => c.res?.refresh === true;

/**
 * Whether a reservation counts its TTL down tick by tick. Where it may expire
 * at any moment of its TTL anyway (refresh), the countdown only adds a last
 * moment, and the reduction drops it: a reservation may then live on past its
 * TTL, until it expires (weak fairness: in the end). That is more behaviours,
 * not fewer: a verdict that holds without the countdown holds with it
 * (docs/checker.md, "Reductions"; specs/model/reductions.test.ts checks it).
 */
export const countsDown = (c: Setup) => !(c.layout.run.reduce && expiresAnyTime(c));

/** A refreshed reservation of an open tab lapses only by the fault refresh-fails (reservationLapses), never by its TTL. */
const refreshedByOpenTab = (c: Setup, t: ReadTab) => c.res?.refresh === true && isOpen(t) && !t.direct;

export const reservationExpires = presenceAction<TabParams>({
  name: 'reservationExpires',
  models:
    'doc: "Redis with TTL (30s expiry)"; real: "the pending join only expires by TTL". A DB reservation is the same with an expiry column ' +
    '(`expires_at > now()` is what every reader asks). A reservation an open tab refreshes does not expire (reservationLapses is the fault ' +
    'where its refreshes stop landing).',
  when: (c) => c.res !== null,
  domain: tabs,
  fairness: () => 'weak',
  guard: (s, p, c) => {
    const t = s.tab(slotOf(c, p));
    if (t.reservation < 0 || refreshedByOpenTab(c, t)) return false;
    return expiresAnyTime(c) || t.reservation === 0;
  },
  effect: (d, p, c) => {
    d.tab(slotOf(c, p)).reservation = -1;
  },
  describe: (from, _to, p, c) => {
    const i = slotOf(c, p);
    return `${reservationName(c, from.tab(i).meeting, i)} expires`;
  },
  explain: (s, p, c) => {
    const t = s.tab(slotOf(c, p));
    const label = tabName(p.user, p.tab);
    if (t.reservation < 0) return `${label} has no reservation`;
    if (refreshedByOpenTab(c, t))
      return `${label} is open: it refreshes its reservation before it expires (reservationLapses is the fault where it does not)`;
    if (t.reservation > 0 && !expiresAnyTime(c))
      return `${label}'s reservation has ${t.reservation} ${t.reservation === 1 ? 'tick' : 'ticks'} of its TTL left (it expires at 0: tick first)`;
    return null;
  },
  arrow: () => ({ from: STORE, to: STORE, style: 'request' }),
});

export const reservationLapses = presenceAction<TabParams>({
  name: 'reservationLapses',
  models:
    'fault refresh-fails: an open tab\'s refreshes stop landing (real: "The frontend refreshes anything periodic with browser timers, ' +
    'which background tabs throttle (to once a minute or less)"; the tab offline to Reflector but not to Daily; the API down for longer ' +
    'than the TTL), so its reservation expires while the tab is open or joining. Any time: its last refresh may have come any time before.',
  when: (c) => c.res?.refresh === true && c.fault('refresh-fails'),
  domain: tabs,
  fairness: () => 'environment',
  guard: (s, p, c) => {
    const t = s.tab(slotOf(c, p));
    return t.reservation >= 0 && refreshedByOpenTab(c, t);
  },
  effect: (d, p, c) => {
    d.tab(slotOf(c, p)).reservation = -1;
  },
  describe: (from, _to, p, c) => {
    const i = slotOf(c, p);
    return `${reservationName(c, from.tab(i).meeting, i)} expires while ${labelOf(c, i)} is open: its refreshes did not land`;
  },
  explain: (s, p, c) => {
    const t = s.tab(slotOf(c, p));
    const label = tabName(p.user, p.tab);
    if (t.reservation < 0) return `${label} has no reservation`;
    return refreshedByOpenTab(c, t) ? null : `${label} is not an open tab that refreshes its reservation (reservationExpires)`;
  },
  arrow: () => ({ over: STORE }),
});

export const reservationLost = presenceAction<TabParams>({
  name: 'reservationLost',
  models:
    'fault key-lost, real: "Redis keys can vanish early: restart without persistence, failover with asynchronous replication, ' +
    '`volatile-*` eviction (keys with a TTL first)."',
  when: (c) => c.res?.store === 'redis' && c.fault('key-lost'),
  domain: tabs,
  fairness: () => 'environment',
  guard: (s, p, c) => s.tab(slotOf(c, p)).reservation >= 0,
  effect: (d, p, c) => {
    d.tab(slotOf(c, p)).reservation = -1;
  },
  describe: (from, _to, p, c) => {
    const i = slotOf(c, p);
    const t = from.tab(i);
    return `Redis loses ${reservationName(c, t.meeting, i)} before its TTL (${t.reservation} ticks left)`;
  },
  explain: (s, p, c) => (s.tab(slotOf(c, p)).reservation >= 0 ? null : `${tabName(p.user, p.tab)} has no reservation`),
  arrow: () => ({ over: STORE }),
});

/** a join outlasting its bound: the handshake, or presence's catch-up after a connect (not a flap) */
export const joinPastBound = (t: ReadTab) =>
  (t.phase === 'handshaking' && t.handshake === 0) || (inCall(t) && !t.visible && !t.hidden && t.lag === 0);

/** What holds the clock back in this tab: a deadline some actor must meet first (with slow-join, a join has none). */
function deadline(c: Setup, t: ReadTab): string | null {
  const slowJoin = c.fault('slow-join');
  if (!slowJoin && t.phase === 'handshaking' && t.handshake === 0) return 'its handshake is at its longest (connect or closeTab first)';
  if (t.visible !== inCall(t) && !t.hidden && t.lag === 0 && !(slowJoin && joinPastBound(t)))
    return 'Daily presence must catch up with it (presenceCatchesUp first)';
  if (t.reservation === 0 && !keptFresh(c, t) && countsDown(c))
    return 'its reservation is at the end of its TTL (reservationExpires first)';
  if (t.hidden && c.faultBounds.flapTicks !== null && t.hiddenFor >= c.faultBounds.flapTicks)
    return `presence has hidden it for ${t.hiddenFor} ticks, the longest a flap lasts (--flap-ticks; presenceShowsAgain first)`;
  return null;
}

function blocked(c: Setup, s: State): boolean {
  for (let i = 0; i < s.layout.slots; i++) {
    const t = s.tab(i);
    if (t.meeting !== 0 && deadline(c, t) !== null) return true;
  }
  return false;
}

export const tick = presenceAction({
  name: 'tick',
  models:
    'Discrete time. A tick cannot pass a deadline: a handshake at its longest, presence at its largest lag, a key at the end of its TTL ' +
    '(and, with --flap-ticks, a flap at its longest) must act first. Queued polls count down to due; the grace-period quiet counter and ' +
    "the second look's empty count count up; a flap's length counts up.",
  domain: () => [{}],
  clock: true,
  // time advances
  fairness: () => 'weak',
  guard: (s, _p, c) => !blocked(c, s),
  effect: (d, _p, c, s) => {
    for (let i = 0; i < s.layout.slots; i++) {
      const t = s.tab(i);
      if (t.meeting === 0) continue;
      const dt = d.tab(i);
      // (with slow-join a join's counters stay at 0 past their bound)
      if (t.phase === 'handshaking' && t.handshake > 0) dt.handshake = t.handshake - 1;
      if (t.visible !== inCall(t) && !t.hidden && t.lag > 0) dt.lag = t.lag - 1;
      if (t.reservation > 0 && !keptFresh(c, t) && countsDown(c)) dt.reservation = t.reservation - 1;
      if (t.hidden && c.faultBounds.flapTicks !== null) dt.hiddenFor = t.hiddenFor + 1;
    }
    for (let id = 1; id <= s.layout.meetingIds; id++) {
      const m = s.meeting(id);
      if (m === null || !m.active) continue;
      const dm = d.meeting(id);
      dm.polls = tickPolls(m.polls);
      if (c.design.processMeetings.includes('recent-activity')) dm.quiet = Math.min(c.b.grace, m.quiet + 1);
      if (c.secondLook && m.emptyLook >= 0) dm.emptyLook = Math.min(c.b.lag + 1, m.emptyLook + 1);
      dm.decidedNow = false;
      dm.staleDecidedNow = false;
    }
  },
  describe: () => 'one tick passes',
  explain: (s, _p, c) => {
    const blockers: string[] = [];
    for (let i = 0; i < s.layout.slots; i++) {
      const t = s.tab(i);
      const why = t.meeting === 0 ? null : deadline(c, t);
      if (why !== null) blockers.push(`${labelOf(c, i)}: ${why}`);
    }
    return blockers.length === 0 ? null : `time cannot pass a deadline: ${blockers.join('; ')}`;
  },
  arrow: () => ({ across: true }),
});

export const TIME_ACTIONS: readonly PresenceAction<TabParams>[] = [
  reservationExpires,
  reservationLapses,
  reservationLost,
  tick as unknown as PresenceAction<TabParams>,
];

export { M };
