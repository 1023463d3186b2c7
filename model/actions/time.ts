// Time: Redis expiring a pending-join key at the end of its TTL, and the tick
// of the discrete clock, which cannot pass a deadline.
import { tracksActivity } from '../designs.ts';
import { tickPolls } from '../polls.ts';
import { inCall, someTab, State } from '../state.ts';
import type { Context, Act, TabParams } from './context.ts';
import { meetingName as M, STORE, tabName } from './context.ts';
import type { Params } from '../../checker/index.ts';

export function timeActions(c: Context): Act<Params>[] {
  const { b, design, res } = c;
  const actions: Act<Params>[] = [];
  if (res) {
    // doc: "Redis with TTL (30s expiry)"; real: "the pending join only expires by TTL".
    actions.push({
      name: 'pendingJoinExpires',
      params: () => c.tabs,
      domain: c.tabs,
      guard: (s, p) => c.tabOf(s, c.slot(p as TabParams)).pendingJoin === 0,
      effect: (s, p) => c.setTab(s, c.slot(p as TabParams), (t) => t.set('pendingJoin', -1)),
      describe: ({ from, params }) => {
        const p = params as TabParams;
        return `Redis expires ${tabName(p.user, p.tab)}'s pending join on ${M(c.tabOf(from, c.slot(p)).meeting)}`;
      },
      explain: (trace, params) => {
        const p = params as TabParams;
        const t = c.tabOf(c.last(trace), c.slot(p));
        const label = tabName(p.user, p.tab);
        if (t.pendingJoin < 0) return `${label} has no pending-join key`;
        if (t.pendingJoin > 0) return `${label}'s pending join has ${t.pendingJoin} ${t.pendingJoin === 1 ? 'tick' : 'ticks'} of its TTL left (it expires at 0: tick first)`;
        return null;
      },
      arrow: () => ({ from: STORE, to: STORE, style: 'request' }),
    });
  }

  /** what holds the clock back: a deadline some actor must meet first */
  const deadline = (t: State['tabs'][number]) =>
    (t.phase === 'handshaking' && t.handshake === 0) || (t.visible !== inCall(t) && t.lag === 0) || t.pendingJoin === 0;

  // Discrete time. A tick cannot pass a deadline: a handshake at its longest,
  // presence at its largest lag, a key at the end of its TTL must act first.
  // Queued polls count down to due; the grace-period quiet counter counts up.
  actions.push({
    name: 'tick',
    clock: true,
    guard: (s) => !someTab(s, deadline),
    effect: (s) => {
      const tabs = s.tabs.map((t) => {
        if (t.meeting === 0) return t;
        return t.with({
          handshake: t.phase === 'handshaking' ? t.handshake - 1 : t.handshake,
          lag: t.visible !== inCall(t) ? t.lag - 1 : t.lag,
          pendingJoin: t.pendingJoin > 0 ? t.pendingJoin - 1 : t.pendingJoin,
        });
      });
      const meetings = s.meetings.map((m) => {
        if (m === null) return m;
        return m.with({ polls: tickPolls(m.polls), quiet: tracksActivity(design) ? Math.min(b.grace, m.quiet + 1) : m.quiet });
      });
      return new State(tabs, meetings);
    },
    describe: () => 'one tick passes',
    explain: (trace) => {
      const blockers: string[] = [];
      c.last(trace).tabs.forEach((t, i) => {
        if (t.meeting === 0) return;
        const label = c.labelOf(i);
        if (t.phase === 'handshaking' && t.handshake === 0) blockers.push(`${label}'s handshake is at its longest (connect or closeTab first)`);
        if (t.visible !== inCall(t) && t.lag === 0) blockers.push(`Daily presence must catch up with ${label} (presenceCatchesUp first)`);
        if (t.pendingJoin === 0) blockers.push(`${label}'s pending join is at the end of its TTL (pendingJoinExpires first)`);
      });
      return blockers.length === 0 ? null : `time cannot pass a deadline: ${blockers.join('; ')}`;
    },
    arrow: () => ({ across: true }),
  });
  return actions;
}
