// Daily's side: its presence API catching up with a connect or a leave, and
// (where its handler does more than queue a poll) the participant.left
// webhook arriving or getting lost.
import type { Context, Act, HookParams, TabParams } from './context.ts';
import { arrow, BACKEND, DAILY, meetingName as M, tabName, WORKER } from './context.ts';
import { inCall } from '../state.ts';

export function dailyActions(c: Context): Act<TabParams>[] {
  const { b, design } = c;
  const actions: Act<TabParams>[] = [];

  // real: "the presence API shows the user after its lag", "presence drops
  // the user after its lag": any time within `lag` ticks (tick waits for it).
  if (b.lag > 0) {
    actions.push({
      name: 'presenceCatchesUp',
      params: () => c.tabs,
      domain: c.tabs,
      // presence catches up in the end (per user: a user's tab slots are interchangeable)
      fairness: { kind: 'weak', per: ['user'] },
      guard: (s, p) => {
        const t = c.tabOf(s, c.slot(p));
        return t.visible !== inCall(t);
      },
      effect: (s, p) => c.setTab(s, c.slot(p), (t) => t.with({ visible: inCall(t), lag: 0 })),
      describe: ({ params }, to) => {
        const p = params as TabParams;
        const t = c.tabOf(to, c.slot(p));
        return `Daily presence ${t.visible ? 'now shows' : 'no longer shows'} ${tabName(p.user, p.tab)} in ${M(t.meeting)}`;
      },
      explain: (trace, p) => {
        const t = c.tabOf(c.last(trace), c.slot(p));
        const label = tabName(p.user, p.tab);
        if (t.meeting === 0) return `${label} is a free slot: no tab, so nothing for Daily presence to catch up with`;
        if (t.visible !== inCall(t)) return null;
        return (
          `Daily presence already agrees with ${label}: ` +
          (inCall(t) ? `it is in ${M(t.meeting)}'s call and shown` : `it is ${t.phase}, not in a call, and not shown`)
        );
      },
      arrow: () => arrow(DAILY, 'reply', WORKER),
    });
  }

  if (c.fault('presence-flap')) {
    // fault presence-flap, real: "Daily's presence can stop showing a
    // connected participant during a network blip or a reconnect." Once a
    // connection, for up to `lag` ticks: presence catches up again
    // (presenceCatchesUp) before its lag runs out, as after a connect.
    actions.push({
      name: 'presenceFlaps',
      params: () => c.tabs,
      domain: c.tabs,
      ...c.environment,
      guard: (s, p) => {
        const t = c.tabOf(s, c.slot(p));
        return inCall(t) && t.visible && !t.flapped && c.meetingOf(s, t.meeting).active;
      },
      effect: (s, p) => c.setTab(s, c.slot(p), (t) => t.with({ visible: false, lag: b.lag, flapped: true })),
      describe: ({ params }, to) => {
        const p = params as TabParams;
        return `Daily presence stops showing ${tabName(p.user, p.tab)}, still in ${M(c.tabOf(to, c.slot(p)).meeting)}'s call (a blip; back within ${b.lag} ${b.lag === 1 ? 'tick' : 'ticks'})`;
      },
      explain: (trace, p) => {
        const t = c.tabOf(c.last(trace), c.slot(p));
        const label = tabName(p.user, p.tab);
        if (!inCall(t)) return `${label} is not in a call`;
        if (t.flapped) return `presence has already hidden ${label} once on this connection`;
        return t.visible ? null : `presence does not show ${label} yet`;
      },
      arrow: () => ({ over: DAILY }),
    });
  }

  // real: "webhooks participant.joined / participant.left that arrive late,
  // can be lost, and can be reordered"; participant.left "shipped fix: close
  // the session directly, then poll 5 s later". (Elsewhere both handlers only
  // queue a poll, and the webhook is that poll: see connect and closeTab.)
  if (design.leaveClosesSession) {
    const noHook = (trace: Parameters<NonNullable<Act<HookParams>['explain']>>[0], p: HookParams) =>
      c.tabOf(c.last(trace), c.slot(p)).leftHooks > 0 ? null : `no participant.left webhook for ${tabName(p.user, p.tab)} is in flight`;
    const hookText = (from: Parameters<typeof c.tabOf>[0], p: HookParams) =>
      `${p.event} for ${tabName(p.user, p.tab)} (${M(c.tabOf(from, c.slot(p)).meeting)})`;
    actions.push({
      name: 'webhookDelivered',
      params: () => c.hooks,
      domain: c.hooks,
      // a webhook in flight is delivered in the end, unless it is lost first (webhookLost is not forced)
      fairness: { kind: 'weak', per: ['user'] },
      guard: (s, p) => c.tabOf(s, c.slot(p)).leftHooks > 0,
      effect: (s, p) => {
        const i = c.slot(p);
        const tab = c.tabOf(s, i);
        s = c.setTab(s, i, (t) => t.with({ leftHooks: t.leftHooks - 1, sessionOpen: false }));
        return c.setMeeting(s, tab.meeting, (m) => c.queuePoll(tab.sessionOpen ? c.sessionWritten(m) : m, b.leftPollDelay));
      },
      describe: ({ from, params }) =>
        `webhook ${hookText(from, params as HookParams)} delivered: closes its session, queues poll(${M(c.tabOf(from, c.slot(params as HookParams)).meeting)}) in ${b.leftPollDelay}`,
      explain: noHook,
      arrow: () => arrow(DAILY, 'request', BACKEND),
    } satisfies Act<HookParams> as unknown as Act<TabParams>);
    actions.push({
      name: 'webhookLost',
      params: () => c.hooks,
      domain: c.hooks,
      guard: (s, p) => c.tabOf(s, c.slot(p)).leftHooks > 0,
      effect: (s, p) => c.setTab(s, c.slot(p), (t) => t.set('leftHooks', t.leftHooks - 1)),
      describe: ({ from, params }) => `Daily webhook ${hookText(from, params as HookParams)} is lost`,
      explain: noHook,
      arrow: () => arrow(DAILY, 'lost', BACKEND),
    } satisfies Act<HookParams> as unknown as Act<TabParams>);
    if (c.fault('webhook-dup')) {
      // fault webhook-dup: Daily sends a participant.left webhook twice (each
      // copy is then delivered or lost on its own)
      actions.push({
        name: 'leftWebhookDuplicated',
        params: () => c.hooks,
        domain: c.hooks,
        ...c.environment,
        guard: (s, p) => c.tabOf(s, c.slot(p)).leftHooks === 1,
        effect: (s, p) => c.setTab(s, c.slot(p), (t) => t.set('leftHooks', 2)),
        describe: ({ from, params }) => `Daily sends ${hookText(from, params as HookParams)} a second time`,
        explain: (trace, p) =>
          c.tabOf(c.last(trace), c.slot(p)).leftHooks === 1
            ? null
            : `no single participant.left webhook for ${tabName(p.user, p.tab)} is in flight`,
        arrow: () => ({ over: DAILY }),
      } satisfies Act<HookParams> as unknown as Act<TabParams>);
    }
  }
  return actions;
}
