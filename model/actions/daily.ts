// Daily's side: its presence API catching up with a connect or a leave,
// hiding a connected participant (presence-flap) and showing it again, and
// (where its handler does more than queue a poll) the participant.left
// webhook arriving, getting lost, or coming twice.
import { enqueue } from '../polls.ts';
import { inCall, type State } from '../state.ts';
import { sessionWritten } from './client.ts';
import { presenceAction, type PresenceAction } from './define.ts';
import { BACKEND, DAILY, meetingName as M, slotOf, tabName, WORKER, type Setup, type TabParams } from './setup.ts';

const tabs = (c: Setup) => c.tabs;
const label = (p: TabParams) => tabName(p.user, p.tab);

export const presenceCatchesUp = presenceAction<TabParams>({
  name: 'presenceCatchesUp',
  models:
    'real: "the presence API shows the user after its lag", "presence drops the user after its lag": any time within `lag` ticks ' +
    '(tick waits for it; with slow-join a join may take longer).',
  when: (c) => c.b.lag > 0,
  domain: tabs,
  // presence catches up in the end, for each participant
  fairness: () => 'weak',
  guard: (s, p, c) => {
    const t = s.tab(slotOf(c, p));
    return t.visible !== inCall(t) && !t.hidden;
  },
  effect: (d, p, c) => {
    const t = d.tab(slotOf(c, p));
    t.visible = inCall(t);
    t.lag = 0;
  },
  describe: (from, to, p, c) => {
    // the meeting from before: a closed tab that presence no longer shows may have freed its slot (tidy.ts)
    const t = to.tab(slotOf(c, p));
    return `Daily presence ${t.visible ? 'now shows' : 'no longer shows'} ${label(p)} in ${M(from.tab(slotOf(c, p)).meeting)}`;
  },
  explain: (s, p, c) => {
    const t = s.tab(slotOf(c, p));
    if (t.meeting === 0) return `${label(p)} is a free slot: no tab, so nothing for Daily presence to catch up with`;
    if (t.hidden) return `presence hides ${label(p)} (a flap): it shows it again with presenceShowsAgain`;
    if (t.visible !== inCall(t)) return null;
    return `Daily presence already agrees with ${label(p)}: ${inCall(t) ? `it is in ${M(t.meeting)}'s call and shown` : `it is ${t.phase}, not in a call, and not shown`}`;
  },
  arrow: () => ({ from: DAILY, to: WORKER, style: 'reply' }),
});

/** whether presence may hide this tab's participant now (presence-flap) */
function mayHide(s: State, p: TabParams, c: Setup): boolean {
  const t = s.tab(slotOf(c, p));
  if (!inCall(t) || !t.visible || t.hidden) return false;
  const m = s.meeting(t.meeting);
  if (m === null || !m.active) return false;
  return c.faultBounds.flaps === null || t.flaps < c.faultBounds.flaps;
}

export const presenceHides = presenceAction<TabParams>({
  name: 'presenceHides',
  models:
    'fault presence-flap, real: "Daily\'s presence can stop showing a connected participant during a network blip or a reconnect." ' +
    '"Nothing bounds how long a reconnecting participant is hidden, nor how often; an incident that answers 200 with an empty list hides ' +
    'everyone at once." At any time, any number of times a connection (unless --flaps bounds it); the flap has no deadline (unless ' +
    '--flap-ticks bounds it) and time passes meanwhile, at every lag.',
  when: (c) => c.fault('presence-flap'),
  domain: tabs,
  fairness: () => 'environment',
  guard: mayHide,
  effect: (d, p, c) => {
    const t = d.tab(slotOf(c, p));
    t.visible = false;
    t.hidden = true;
    t.hiddenFor = 0;
    if (c.faultBounds.flaps !== null) t.flaps = t.flaps + 1;
  },
  describe: (_from, to, p, c) => {
    const bound = c.faultBounds.flapTicks === null ? 'for as long as it likes' : `for up to ${c.faultBounds.flapTicks} ticks`;
    return `Daily presence stops showing ${label(p)}, still in ${M(to.tab(slotOf(c, p)).meeting)}'s call (a blip or a reconnect, ${bound})`;
  },
  explain: (s, p, c) => {
    const t = s.tab(slotOf(c, p));
    if (!inCall(t)) return `${label(p)} is not in a call`;
    if (t.hidden) return `presence hides ${label(p)} already`;
    if (!t.visible) return `presence does not show ${label(p)} yet`;
    if (c.faultBounds.flaps !== null && t.flaps >= c.faultBounds.flaps)
      return `presence has hidden ${label(p)} ${t.flaps} times on this connection (--flaps ${c.faultBounds.flaps})`;
    return mayHide(s, p, c) ? null : `${M(t.meeting)} is inactive: nothing reads its presence any more`;
  },
  arrow: () => ({ over: DAILY }),
});

export const presenceShowsAgain = presenceAction<TabParams>({
  name: 'presenceShowsAgain',
  models:
    'The end of a presence flap: presence shows the connected participant again. Any time (with --flap-ticks N, within N ticks); a flap ' +
    'ends in the end (weak fairness: the participant is connected, and a reconnect finishes or fails), so a liveness verdict does not ' +
    'rest on presence staying blind forever; how long it stays blind is unbounded.',
  when: (c) => c.fault('presence-flap'),
  domain: tabs,
  fairness: () => 'weak',
  guard: (s, p, c) => s.tab(slotOf(c, p)).hidden,
  effect: (d, p, c) => {
    const t = d.tab(slotOf(c, p));
    t.hidden = false;
    t.hiddenFor = 0;
    t.visible = true;
  },
  describe: (_from, to, p, c) => `Daily presence shows ${label(p)} in ${M(to.tab(slotOf(c, p)).meeting)} again`,
  explain: (s, p, c) => (s.tab(slotOf(c, p)).hidden ? null : `presence does not hide ${label(p)}`),
  arrow: () => ({ over: DAILY }),
});

const noHook = (s: State, p: TabParams, c: Setup) =>
  s.tab(slotOf(c, p)).leftHooks > 0 ? null : `no participant.left webhook for ${label(p)} is in flight`;
const hookText = (s: State, p: TabParams, c: Setup) => `participant.left for ${label(p)} (${M(s.tab(slotOf(c, p)).meeting)})`;

export const webhookDelivered = presenceAction<TabParams>({
  name: 'webhookDelivered',
  models:
    'real: "webhooks participant.joined / participant.left that arrive late, can be lost, and can be reordered"; participant.left ' +
    '"shipped fix: close the session directly, then poll 5 s later". (Elsewhere both handlers only queue a poll, and the webhook is that ' +
    'poll: see connect and closeTab.)',
  when: (c) => c.design.leaveClosesSession,
  domain: tabs,
  // a webhook in flight is delivered in the end, unless it is lost first (webhookLost is not forced)
  fairness: () => 'weak',
  guard: (s, p, c) => s.tab(slotOf(c, p)).leftHooks > 0,
  effect: (d, p, c, s) => {
    const i = slotOf(c, p);
    const before = s.tab(i);
    const t = d.tab(i);
    t.leftHooks = t.leftHooks - 1;
    t.sessionOpen = false;
    const m = s.meeting(before.meeting)!;
    if (m.active || m.closing) {
      const dm = d.meeting(before.meeting);
      if (before.sessionOpen) sessionWritten(dm, c);
      dm.polls = enqueue(dm.polls, c.b.leftPollDelay);
    }
  },
  describe: (from, _to, p, c) =>
    `webhook ${hookText(from, p, c)} delivered: closes its session, queues poll(${M(from.tab(slotOf(c, p)).meeting)}) in ${c.b.leftPollDelay}`,
  explain: noHook,
  arrow: () => ({ from: DAILY, to: BACKEND, style: 'request' }),
});

export const webhookLost = presenceAction<TabParams>({
  name: 'webhookLost',
  models: 'real: webhooks "can be lost"',
  when: (c) => c.design.leaveClosesSession,
  domain: tabs,
  fairness: () => null,
  guard: (s, p, c) => s.tab(slotOf(c, p)).leftHooks > 0,
  effect: (d, p, c) => {
    const t = d.tab(slotOf(c, p));
    t.leftHooks = t.leftHooks - 1;
  },
  describe: (from, _to, p, c) => `Daily webhook ${hookText(from, p, c)} is lost`,
  explain: noHook,
  arrow: () => ({ from: DAILY, to: BACKEND, style: 'lost' }),
});

export const leftWebhookDuplicated = presenceAction<TabParams>({
  name: 'leftWebhookDuplicated',
  models: 'fault webhook-dup: Daily sends a participant.left webhook twice (each copy is then delivered or lost on its own)',
  when: (c) => c.design.leaveClosesSession && c.fault('webhook-dup'),
  domain: tabs,
  fairness: () => 'environment',
  guard: (s, p, c) => s.tab(slotOf(c, p)).leftHooks === 1,
  effect: (d, p, c) => {
    d.tab(slotOf(c, p)).leftHooks = 2;
  },
  describe: (from, _to, p, c) => `Daily sends ${hookText(from, p, c)} a second time`,
  explain: (s, p, c) => (s.tab(slotOf(c, p)).leftHooks === 1 ? null : `no single participant.left webhook for ${label(p)} is in flight`),
  arrow: () => ({ over: DAILY }),
});

export const DAILY_ACTIONS: readonly PresenceAction<TabParams>[] = [
  presenceCatchesUp,
  presenceHides,
  presenceShowsAgain,
  webhookDelivered,
  webhookLost,
  leftWebhookDuplicated,
];
