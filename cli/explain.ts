// Why a presence action is not enabled, in words: what its guard needs and
// what the state has instead ("u1 has no tab handshaking (its open tab u1#1
// is got-meeting: its next step is postJoining)"). It mirrors the guards of
// model/actions.ts; when it finds nothing wrong (a guard it does not know,
// or one that changed) it returns null and the caller falls back to "its
// guard is false". Used by `replay` for a step that cannot be taken.
import type { Params } from '../checker/index.ts';
import type { Bounds, Design, State } from '../model/index.ts';
import type { PmRead } from '../model/designs.ts';
import { describePolls, due, SEVERAL } from '../model/polls.ts';
import { inCall, isOpen, type Meeting, type Phase, type Tab } from '../model/state.ts';
import { meetingName, tabName, userName } from '../model/view.ts';

/** The steps taken so far: their action, parameters, the state after each, and the model's sentence for it. */
export interface ExplainStep {
  readonly action: string | null;
  readonly params: Params;
  readonly state: State;
  readonly description: string;
}

/** process_meetings' actions for each read, in the order actions.ts declares them. */
export const PM_ACTIONS: Readonly<Record<PmRead, readonly string[]>> = {
  'sessions': ['pmReadsSessions'],
  'presence-else-sessions': ['pmReadsPresence', 'pmPresenceApiFails'],
  'presence-else-skip': ['pmReadsPresence', 'pmPresenceApiFails'],
  'pending-joins': ['pmReadsPendingJoins'],
  'recent-activity': ['pmReadsRecentActivity'],
  'join-counter': ['pmReadsVersion'],
};

const USER_ACTIONS = new Set(['getOrCreateMeeting', 'postJoining', 'joiningChecksMeeting', 'joiningWritesKey', 'connect', 'postJoined', 'closeTab']);
const TAB_ACTIONS = new Set(['presenceCatchesUp', 'webhookDelivered', 'webhookLost', 'pendingJoinExpires']);
const POLL_ACTIONS = new Set(['pollReadsPresence', 'pollApiFails', 'pollSkipsLocked', 'duplicatePollDropped', 'pollWritesSessions']);

/**
 * Why `action(params)` is not enabled after the last of `steps` (the first
 * is the initial state), or null when this explainer sees no reason.
 */
export function explainPresence(design: Design, b: Bounds, steps: readonly ExplainStep[], action: string, params: Params): string | null {
  const s = steps[steps.length - 1].state;
  const slotOf = (user: number, tab: number) => (user - 1) * b.tabs + (tab - 1);
  const tabAt = (i: number): Tab => s.tabs.get(i)!;
  const labelOf = (i: number) => tabName(Math.floor(i / b.tabs) + 1, (i % b.tabs) + 1);
  const res = design.reservation;
  const reads = design.processMeetings;

  if (USER_ACTIONS.has(action)) {
    const user = Number(params.user);
    const u = userName(user);
    let open = -1;
    for (let t = 1; t <= b.tabs; t++) if (isOpen(tabAt(slotOf(user, t)))) open = slotOf(user, t);
    const nextOf = (phase: Phase): string => {
      const m = meetingName(tabAt(open).meeting);
      switch (phase) {
        case 'got-meeting': return `its next step is ${res?.checksActive === 'then-write' ? 'joiningChecksMeeting' : 'postJoining'}`;
        case 'joining-checked': return 'its next step is joiningWritesKey';
        case 'refused': return '/joining refused it, so its next step is getOrCreateMeeting';
        case 'handshaking': return `it is in its WebRTC handshake with ${m}'s Daily room; its next step is connect`;
        case 'connected': return `it is in ${m}'s call; its next step is postJoined`;
        case 'joined': return `it is in ${m}'s call and has POSTed /joined`;
        case 'idle': return 'it is closed';
      }
    };
    /** the guard wants the user's open tab in `phase` */
    const needPhase = (phase: Phase): string | null => {
      if (open < 0) return `${u} has no tab ${phase} (${u} has no open tab; getOrCreateMeeting opens one)`;
      const t = tabAt(open);
      if (t.phase === phase) return null;
      return `${u} has no tab ${phase} (its open tab ${labelOf(open)} is ${t.phase}; ${nextOf(t.phase)})`;
    };
    switch (action) {
      case 'getOrCreateMeeting': {
        if (open >= 0) {
          const t = tabAt(open);
          if (t.phase === 'refused') return null;
          return `${u} already has an open tab, ${labelOf(open)} (${t.phase}; ${nextOf(t.phase)}): `
            + 'a user opens a new tab after closing the old one (closeTab), or asks again when /joining refused it';
        }
        const lingering: string[] = [];
        for (let t = 1; t <= b.tabs; t++) {
          const i = slotOf(user, t);
          const tab = tabAt(i);
          if (tab.meeting === 0) return null;
          const why = [
            tab.visible ? 'Daily presence still shows it' : null,
            tab.sessionOpen ? 'its DB session is open' : null,
            tab.pendingJoin >= 0 ? 'its pending join lives' : null,
            tab.leftHook ? 'its participant.left webhook is in flight' : null,
            tab.seenByPoll ? 'a running poll saw it' : null,
          ].filter(Boolean);
          lingering.push(`${labelOf(i)} (${why.length > 0 ? why.join(', ') : tab.phase})`);
        }
        return `${u} has no free tab slot (--tabs ${b.tabs}): closed tabs linger until Daily, the DB and Redis forget them: ${lingering.join('; ')}`;
      }
      case 'postJoining': {
        const wrong = needPhase('got-meeting');
        if (wrong !== null) return wrong;
        const id = tabAt(open).meeting;
        const m = s.meetings.get(id - 1);
        if (res?.checksActive === 'under-meeting-lock' && m != null && m.worker !== 0) {
          return `process_meetings holds ${meetingName(id)}'s lock (${pmProgress(m.worker, reads.length)}): `
            + `/joining checks is_active under that lock, so it waits until the run ends (next: ${pmNext(m.worker, reads)} ${meetingName(id)})`;
        }
        return null;
      }
      case 'joiningChecksMeeting': return needPhase('got-meeting');
      case 'joiningWritesKey': return needPhase('joining-checked');
      case 'connect': return needPhase('handshaking');
      case 'postJoined': return needPhase('connected');
      case 'closeTab': return open < 0 ? `${u} has no open tab` : null;
    }
  }

  if (TAB_ACTIONS.has(action)) {
    const i = slotOf(Number(params.user), Number(params.tab));
    const t = tabAt(i);
    const label = labelOf(i);
    switch (action) {
      case 'presenceCatchesUp':
        if (t.meeting === 0) return `${label} is a free slot: no tab, so nothing for Daily presence to catch up with`;
        if (t.visible !== inCall(t)) return null;
        return `Daily presence already agrees with ${label}: `
          + (inCall(t) ? `it is in ${meetingName(t.meeting)}'s call and shown` : `it is ${t.phase}, not in a call, and not shown`);
      case 'webhookDelivered':
      case 'webhookLost':
        return t.leftHook ? null : `no participant.left webhook for ${label} is in flight`;
      case 'pendingJoinExpires':
        if (t.pendingJoin < 0) return `${label} has no pending-join key`;
        if (t.pendingJoin > 0) return `${label}'s pending join has ${t.pendingJoin} ${t.pendingJoin === 1 ? 'tick' : 'ticks'} of its TTL left (it expires at 0: tick first)`;
        return null;
    }
  }

  const meetingProblem = (id: number): string | null => {
    const all = s.meetings.toArray().flatMap((m, k) => (m !== null ? [meetingName(k + 1)] : []));
    if (id <= s.meetings.size && s.meetings.get(id - 1) !== null) return null;
    const existed = steps.some((step) => step.state.meetings.size >= id && step.state.meetings.get(id - 1) != null);
    if (existed) {
      return `${meetingName(id)} is gone: it was deactivated and no tab refers to it any more (a new meeting would reuse its id)`;
    }
    return `${meetingName(id)} does not exist yet (${all.length === 0 ? 'no meeting exists' : `meetings: ${all.join(', ')}`}; getOrCreateMeeting creates the next one)`;
  };

  if (POLL_ACTIONS.has(action)) {
    const id = Number(params.meeting);
    const M = meetingName(id);
    const gone = meetingProblem(id);
    if (gone !== null) return gone;
    const m = s.meetings.get(id - 1)!;
    if (!m.active) return `${M} is inactive: nothing polls it any more (its queued polls are forgotten)`;
    const queued = describePolls(m.polls);
    const noneDue = `no poll of ${M} is due (${queued.length === 0 ? 'none queued' : `queued: ${queued.join(', ')}; a tick brings them closer`})`;
    switch (action) {
      case 'pollReadsPresence':
      case 'pollApiFails':
        if (due(m.polls) === 0) return noneDue;
        if (m.pollRunning) return `another poll of ${M} holds its lock (it read presence and has not written yet: pollWritesSessions ${M}); a due poll now skips (pollSkipsLocked)`;
        return null;
      case 'pollSkipsLocked':
        if (due(m.polls) === 0) return noneDue;
        return m.pollRunning ? null : `no poll of ${M} holds its lock (a due poll runs: pollReadsPresence ${M})`;
      case 'duplicatePollDropped':
        return due(m.polls) === SEVERAL ? null : `${M} does not have several due polls (${queued.length === 0 ? 'none queued' : `queued: ${queued.join(', ')}`})`;
      case 'pollWritesSessions':
        return m.pollRunning ? null : `no poll of ${M} has read presence (pollReadsPresence ${M} comes first)`;
    }
  }

  const k = action === 'pmDeactivates' ? reads.length : reads.findIndex((r) => PM_ACTIONS[r].includes(action));
  if (k >= 0) {
    const id = Number(params.meeting);
    const M = meetingName(id);
    const gone = meetingProblem(id);
    if (gone !== null) return gone;
    const m: Meeting = s.meetings.get(id - 1)!;
    const w = m.worker;
    if (k === 0) {
      if (!m.active) return `${M} is inactive: process_meetings only runs on active meetings`;
      if (w === 0) return null;
      return `process_meetings is already running on ${M} (${pmProgress(w, reads.length)}): its next step is ${pmNext(w, reads)} ${M}`;
    }
    if (w === k) return null;
    const what = k === reads.length ? `about to deactivate ${M}` : `at its read ${k + 1} of ${reads.length} (${action}) on ${M}`;
    if (w === 0) return `process_meetings is not ${what} (it is idle${pmHistory(steps, id, design)})`;
    return `process_meetings is not ${what} (${pmProgress(w, reads.length)}: its next step is ${pmNext(w, reads)} ${M})`;
  }

  if (action === 'tick') {
    const blockers: string[] = [];
    s.tabs.forEach((t, i) => {
      if (t.meeting === 0) return;
      if (t.phase === 'handshaking' && t.handshake === 0) blockers.push(`${labelOf(i)}'s handshake is at its longest (connect or closeTab first)`);
      if (t.visible !== inCall(t) && t.lag === 0) blockers.push(`Daily presence must catch up with ${labelOf(i)} (presenceCatchesUp first)`);
      if (t.pendingJoin === 0) blockers.push(`${labelOf(i)}'s pending join is at the end of its TTL (pendingJoinExpires first)`);
    });
    return blockers.length === 0 ? null : `time cannot pass a deadline: ${blockers.join('; ')}`;
  }
  return null;
}

function pmProgress(worker: number, reads: number): string {
  if (worker === 0) return 'idle';
  return worker === reads ? 'about to deactivate' : `read ${worker} of ${reads} done`;
}

function pmNext(worker: number, reads: readonly PmRead[]): string {
  return worker === reads.length ? 'pmDeactivates' : PM_ACTIONS[reads[worker]].join(' or ');
}

/** "; its last run ended at step 14: process_meetings(M1) reads pending joins: some pending: keeps it" */
function pmHistory(steps: readonly ExplainStep[], meeting: number, design: Design): string {
  const names = new Set([...design.processMeetings.flatMap((r) => PM_ACTIONS[r]), 'pmDeactivates']);
  for (let i = steps.length - 1; i >= 1; i--) {
    const step = steps[i];
    if (step.action === null || !names.has(step.action) || Number(step.params.meeting) !== meeting) continue;
    return `; its last run on ${meetingName(meeting)} ended at step ${i}: ${step.description}`;
  }
  const first = PM_ACTIONS[design.processMeetings[0]].join(' or ');
  return `; no run on ${meetingName(meeting)} has started: ${first} starts one`;
}
