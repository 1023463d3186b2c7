// How a state and a step read to a person: a plain projection (tabs named
// u1#1, meetings M1) and one sentence per step in the protocol's words.
import type { Step } from '../checker/index.ts';
import type { Bounds } from './bounds.ts';
import type { Design } from './designs.ts';
import { describePolls } from './polls.ts';
import { activeMeeting, inCall, type State, type Tab } from './state.ts';

export const userName = (u: number) => `u${u}`;
export const meetingName = (m: number) => `M${m}`;
export const tabName = (user: number, tab: number) => `u${user}#${tab}`;

function tabView(t: Tab, meetingActive: boolean): Record<string, unknown> {
  const v: Record<string, unknown> = { phase: t.phase, meeting: meetingName(t.meeting) };
  if (!meetingActive) {
    // the model forgets what nobody reads again (see tidy)
    if (t.phase === 'handshaking') v.handshakeTicksLeft = t.handshake;
    return v;
  }
  if (t.phase === 'handshaking') v.handshakeTicksLeft = t.handshake;
  v.presence = t.visible ? 'shown' : 'hidden';
  if (t.visible !== inCall(t)) v.presenceCatchesUpWithin = t.lag;
  v.session = t.sessionOpen ? 'open' : 'none';
  if (t.leftHook) v.webhookInFlight = 'participant.left';
  if (t.pendingJoin >= 0) v.pendingJoinTtl = t.pendingJoin;
  if (t.seenByPoll) v.seenByRunningPoll = true;
  return v;
}

export function viewState(s: State, design: Design, b: Bounds): Record<string, unknown> {
  const tabs: Record<string, unknown> = {};
  s.tabs.forEach((t, i) => {
    if (t.meeting !== 0) {
      tabs[tabName(Math.floor(i / b.tabs) + 1, (i % b.tabs) + 1)] = tabView(t, s.meetings.get(t.meeting - 1)!.active);
    }
  });
  const meetings: Record<string, unknown> = {};
  s.meetings.forEach((m, i) => {
    if (m === null) return;
    if (!m.active) {
      meetings[meetingName(i + 1)] = { active: false };
      return;
    }
    const v: Record<string, unknown> = {
      active: m.active, hadSessions: m.hadSessions,
      processMeetings: m.worker === 0 ? 'idle' : m.worker === design.processMeetings.length ? 'about to deactivate' : `read ${m.worker} of ${design.processMeetings.length} done`,
    };
    if (m.pollRunning) v.pollRunning = true;
    v.queuedPolls = describePolls(m.polls);
    if (m.quiet !== 0) v.quietTicks = m.quiet;
    if (m.joinedSinceVersionRead) v.joinedSinceVersionRead = true;
    meetings[meetingName(i + 1)] = v;
  });
  return { tabs, meetings };
}

/** One line per step, e.g. "u1 POST /joining M1 → 200, pending_join:M1:u1 (TTL 6)". */
export function describeStep(step: Step<State>, to: State, design: Design, b: Bounds): string {
  const from = step.from;
  const p = step.params as Record<string, number & string>;
  const slot = p.user !== undefined ? (p.user - 1) * b.tabs + ((p.tab ?? 0) - 1) : -1;
  const openSlot = (s: State) => {
    for (let t = 0; t < b.tabs; t++) {
      const i = (p.user - 1) * b.tabs + t;
      if (s.tabs.get(i)!.phase !== 'idle') return i;
    }
    return -1;
  };
  const tabAt = (s: State, i: number) => s.tabs.get(i)!;
  const userTab = () => {
    const i = p.tab !== undefined ? slot : openSlot(from) >= 0 ? openSlot(from) : openSlot(to);
    return { i, label: tabName(p.user, (i % b.tabs) + 1) };
  };
  const M = (id: number) => meetingName(id);
  const key = (meeting: number) =>
    `pending_join:${M(meeting)}:${design.reservation?.key === 'per-tab' ? userTab().label : userName(p.user)}`;
  const meeting = p.meeting;
  const mFrom = meeting !== undefined ? from.meetings.get(meeting - 1) : undefined;
  const mTo = meeting !== undefined ? to.meetings.get(meeting - 1) : undefined;

  switch (step.action) {
    case 'getOrCreateMeeting': {
      const { i, label } = userTab();
      const id = tabAt(to, i).meeting;
      const created = activeMeeting(from) !== id;
      const again = tabAt(from, i).phase === 'refused';
      const who = again ? `${label} POST /rooms/R/meeting again` : `${userName(p.user)} opens a new tab ${label}: POST /rooms/R/meeting`;
      return `${who} → ${M(id)} (${created ? 'created, new Daily room' : 'active'})`;
    }
    case 'postJoining':
    case 'joiningChecksMeeting': {
      const { i, label } = userTab();
      const id = tabAt(from, i).meeting;
      const after = tabAt(to, i);
      if (step.action === 'joiningChecksMeeting' && after.phase === 'joining-checked') {
        return `${label} POST /joining ${M(id)}: server sees ${M(id)} active`;
      }
      if (after.pendingJoin >= 0) return `${label} POST /joining ${M(id)} → 200, ${key(id)} set (TTL ${after.pendingJoin})`;
      return after.phase === 'refused'
        ? `${label} POST /joining ${M(id)} → 400 (inactive); will ask for the meeting again`
        : `${label} POST /joining ${M(id)} → 400 (inactive); frontend goes on to the Daily room`;
    }
    case 'joiningWritesKey': {
      const { i, label } = userTab();
      return `${label} /joining writes ${key(tabAt(from, i).meeting)} (TTL ${b.ttl}) → 200`;
    }
    case 'connect': {
      const { i, label } = userTab();
      const id = tabAt(to, i).meeting;
      const inactive = !to.meetings.get(id - 1)!.active ? ` (${M(id)} is no longer active)` : '';
      return `${label} WebRTC handshake completes: in ${M(id)}'s Daily call${inactive}; participant.joined → poll(${M(id)}) queued`;
    }
    case 'postJoined': {
      const { i, label } = userTab();
      const id = tabAt(to, i).meeting;
      const effects = [
        design.reservation?.joinedDeletesKey ? `deletes ${key(id)}` : null,
        design.joinedInsertsSession ? 'inserts an open session' : null,
        `queues poll(${M(id)}) in ${b.pollDelay}`,
      ].filter(Boolean);
      return `${label} POST /joined ${M(id)}: ${effects.join(', ')}`;
    }
    case 'closeTab': {
      const { i, label } = userTab();
      const t = tabAt(from, i);
      const where = inCall(t) ? `leaves ${M(t.meeting)}'s call` : `during ${t.phase}`;
      const leave = design.leaveClosesSession && t.phase === 'joined' ? 'closes its session' : `queues poll(${M(t.meeting)}) in ${b.pollDelay}`;
      const hook = !inCall(t) ? '' : design.leaveClosesSession ? '; Daily will send participant.left' : `; participant.left → poll(${M(t.meeting)}) queued`;
      return `${label} tab closes (${where}); sendBeacon /leave ${leave}${hook}`;
    }
    case 'presenceCatchesUp': {
      const t = tabAt(to, slot);
      return `Daily presence ${t.visible ? 'now shows' : 'no longer shows'} ${tabName(p.user, p.tab)} in ${M(t.meeting)}`;
    }
    case 'webhookDelivered':
    case 'webhookLost': {
      const t = tabAt(from, slot);
      const what = `${p.event} for ${tabName(p.user, p.tab)} (${M(t.meeting)})`;
      if (step.action === 'webhookLost') return `Daily webhook ${what} is lost`;
      return `webhook ${what} delivered: closes its session, queues poll(${M(t.meeting)}) in ${b.leftPollDelay}`;
    }
    case 'pollReadsPresence': {
      const seen = to.tabs.toArray().flatMap((t, i) => (t.meeting === meeting && t.seenByPoll
        ? [tabName(Math.floor(i / b.tabs) + 1, (i % b.tabs) + 1)] : []));
      return `poll(${M(meeting)}) reads presence: ${seen.length === 0 ? 'nobody' : seen.join(', ')}`;
    }
    case 'pollApiFails':
      return `poll(${M(meeting)}): presence API fails, no change`;
    case 'duplicatePollDropped':
      return `one of several identical due polls of ${M(meeting)} will never run`;
    case 'pollSkipsLocked':
      return `poll(${M(meeting)}) skipped: another poll holds the lock`;
    case 'pollWritesSessions': {
      const changes = from.tabs.toArray().flatMap((t, i) => {
        const after = to.tabs.get(i)!;
        const open = after.meeting === meeting && after.sessionOpen;
        if (t.meeting !== meeting || t.sessionOpen === open) return [];
        return [`${open ? 'opens' : 'closes'} ${tabName(Math.floor(i / b.tabs) + 1, (i % b.tabs) + 1)}`];
      });
      return `poll(${M(meeting)}) reconciles sessions: ${changes.length === 0 ? 'no change' : changes.join(', ')}`;
    }
    case 'pmReadsVersion':
      return `process_meetings(${M(meeting)}) reads the join counter`;
    case 'pmReadsSessions':
    case 'pmReadsPresence':
    case 'pmPresenceApiFails':
    case 'pmReadsPendingJoins':
    case 'pmReadsRecentActivity': {
      const read = {
        pmReadsSessions: 'reads DB sessions',
        pmReadsPresence: 'reads presence',
        pmPresenceApiFails: design.processMeetings.includes('presence-else-skip') ? 'presence API fails' : 'presence API fails, reads DB sessions',
        pmReadsPendingJoins: 'reads pending joins',
        pmReadsRecentActivity: 'reads recent activity',
      }[step.action];
      const kept = mTo?.worker === 0;
      const why = !kept ? 'go on'
        : step.action === 'pmReadsPendingJoins' ? 'some pending: keeps it'
        : step.action === 'pmReadsRecentActivity' ? 'recent activity: keeps it'
        : step.action === 'pmPresenceApiFails' && design.processMeetings.includes('presence-else-skip') ? 'cannot verify: keeps it'
        : !mFrom!.hadSessions ? 'never had sessions: keeps it' : 'someone is there: keeps it';
      const found = !kept && (step.action === 'pmReadsSessions' || step.action === 'pmReadsPresence' || step.action === 'pmPresenceApiFails')
        ? 'nobody there, had sessions: go on' : why;
      return `process_meetings(${M(meeting)}) ${read}: ${found}`;
    }
    case 'pmDeactivates':
      return mTo?.active === false
        ? `process_meetings deactivates ${M(meeting)} (is_active = false; its Daily room lives on)`
        : `process_meetings(${M(meeting)}): join counter changed, keeps it`;
    case 'pendingJoinExpires':
      return `Redis expires ${tabName(p.user, p.tab)}'s pending join on ${M(tabAt(from, slot).meeting)}`;
    case 'tick':
      return 'one tick passes';
    default:
      return step.action;
  }
}
