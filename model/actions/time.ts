// Time: Redis expiring a pending-join key at the end of its TTL, and the tick
// of the discrete clock, which cannot pass a deadline.
import { tracksActivity } from '../designs.ts';
import { tickPolls } from '../polls.ts';
import { inCall, isOpen, someTab, State, type Tab } from '../state.ts';
import type { Context, Act, TabParams } from './context.ts';
import { meetingName as M, STORE, tabName } from './context.ts';
import type { Params } from '../../checker/index.ts';

export function timeActions(c: Context): Act<Params>[] {
  const { b, design, res } = c;
  const actions: Act<Params>[] = [];
  // With refresh, the open tab refreshes its reservation's expiry (one UPDATE
  // of its row) before it runs out: the design's timing assumption. So an
  // open tab's reservation stays at its full TTL (no step of the model needs
  // the refreshes themselves), and only a closed tab's counts down; and since
  // the last refresh may have come any time before the close, a closed tab's
  // reservation may expire at any moment of its TTL, not only at its end.
  const refreshes = (t: Tab) => res?.refresh === true && isOpen(t);
  const expiresAnyTime = res?.refresh === true;
  if (res) {
    // doc: "Redis with TTL (30s expiry)"; real: "the pending join only expires by TTL".
    actions.push({
      name: 'pendingJoinExpires',
      params: () => c.tabs,
      domain: c.tabs,
      fairness: { kind: 'weak', per: ['user'] },
      guard: (s, p) => {
        const t = c.tabOf(s, c.slot(p as TabParams));
        return expiresAnyTime ? t.pendingJoin >= 0 && !refreshes(t) : t.pendingJoin === 0;
      },
      effect: (s, p) => c.setTab(s, c.slot(p as TabParams), (t) => t.set('pendingJoin', -1)),
      describe: ({ from, params }) => {
        const p = params as TabParams;
        const id = c.tabOf(from, c.slot(p)).meeting;
        return res.store === 'db'
          ? `${c.keyName(id, c.slot(p))} expires`
          : `Redis expires ${tabName(p.user, p.tab)}'s pending join on ${M(id)}`;
      },
      explain: (trace, params) => {
        const p = params as TabParams;
        const t = c.tabOf(c.last(trace), c.slot(p));
        const label = tabName(p.user, p.tab);
        if (t.pendingJoin < 0) return `${label} has no pending-join key`;
        if (refreshes(t)) return `${label} is open: it refreshes its reservation before it expires`;
        if (t.pendingJoin > 0 && !expiresAnyTime)
          return `${label}'s pending join has ${t.pendingJoin} ${t.pendingJoin === 1 ? 'tick' : 'ticks'} of its TTL left (it expires at 0: tick first)`;
        return null;
      },
      arrow: () => ({ from: STORE, to: STORE, style: 'request' }),
    });
  }
  if (res?.store === 'redis' && c.fault('key-lost')) {
    // fault key-lost, real: "Redis keys can vanish early: restart without
    // persistence, failover with asynchronous replication, `volatile-*`
    // eviction (keys with a TTL first)."
    actions.push({
      name: 'pendingJoinLost',
      params: () => c.tabs,
      domain: c.tabs,
      ...c.environment,
      guard: (s, p) => c.tabOf(s, c.slot(p as TabParams)).pendingJoin >= 0,
      effect: (s, p) => c.setTab(s, c.slot(p as TabParams), (t) => t.set('pendingJoin', -1)),
      describe: ({ from, params }) => {
        const p = params as TabParams;
        return `Redis loses ${c.keyName(c.tabOf(from, c.slot(p)).meeting, c.slot(p))} before its TTL (${c.tabOf(from, c.slot(p)).pendingJoin} ticks left)`;
      },
      explain: (trace, params) => {
        const p = params as TabParams;
        return c.tabOf(c.last(trace), c.slot(p)).pendingJoin >= 0 ? null : `${tabName(p.user, p.tab)} has no pending-join key`;
      },
      arrow: () => ({ over: STORE }),
    });
  }

  const slowJoin = c.fault('slow-join');
  /** a join outlasting its bound: the handshake, or presence's catch-up after a connect (not a flap: that is bounded) */
  const joinDeadline = (t: Tab) =>
    (t.phase === 'handshaking' && t.handshake === 0) || (inCall(t) && !t.visible && !t.flapped && t.lag === 0);
  /** what holds the clock back: a deadline some actor must meet first (with slow-join, a join has none) */
  const deadline = (t: Tab) =>
    (slowJoin ? false : joinDeadline(t)) ||
    (t.visible !== inCall(t) && t.lag === 0 && !(slowJoin && joinDeadline(t))) ||
    t.pendingJoin === 0;
  const secondLook = design.processMeetings.includes('presence-second-look');

  // Discrete time. A tick cannot pass a deadline: a handshake at its longest,
  // presence at its largest lag, a key at the end of its TTL must act first.
  // Queued polls count down to due; the grace-period quiet counter counts up.
  actions.push({
    name: 'tick',
    clock: true,
    // time advances
    fairness: 'weak',
    guard: (s) => !someTab(s, deadline),
    effect: (s) => {
      const tabs = s.tabs.map((t) => {
        if (t.meeting === 0) return t;
        return t.with({
          // (with slow-join a join's counters stay at 0 past their bound)
          handshake: t.phase === 'handshaking' && t.handshake > 0 ? t.handshake - 1 : t.handshake,
          lag: t.visible !== inCall(t) && t.lag > 0 ? t.lag - 1 : t.lag,
          pendingJoin: t.pendingJoin > 0 && !refreshes(t) ? t.pendingJoin - 1 : t.pendingJoin,
        });
      });
      const meetings = s.meetings.map((m) => {
        if (m === null) return m;
        return m.with({
          polls: tickPolls(m.polls),
          quiet: tracksActivity(design) ? Math.min(b.grace, m.quiet + 1) : m.quiet,
          emptyLook: secondLook && m.emptyLook >= 0 ? Math.min(b.lag + 1, m.emptyLook + 1) : m.emptyLook,
        });
      });
      return new State(tabs, meetings);
    },
    describe: () => 'one tick passes',
    explain: (trace) => {
      const blockers: string[] = [];
      c.last(trace).tabs.forEach((t, i) => {
        if (t.meeting === 0) return;
        const label = c.labelOf(i);
        if (!deadline(t)) return;
        if (!slowJoin && t.phase === 'handshaking' && t.handshake === 0)
          blockers.push(`${label}'s handshake is at its longest (connect or closeTab first)`);
        if (t.visible !== inCall(t) && t.lag === 0 && !(slowJoin && joinDeadline(t)))
          blockers.push(`Daily presence must catch up with ${label} (presenceCatchesUp first)`);
        if (t.pendingJoin === 0) blockers.push(`${label}'s pending join is at the end of its TTL (pendingJoinExpires first)`);
      });
      return blockers.length === 0 ? null : `time cannot pass a deadline: ${blockers.join('; ')}`;
    },
    arrow: () => ({ across: true }),
  });
  return actions;
}
