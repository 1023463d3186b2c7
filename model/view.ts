// How a state reads to a person: a plain projection, tabs named u1#1 and
// meetings M1, with only what matters for each (what each step did is each
// action's own `describe`, in actions/).
import type { Bounds } from './bounds.ts';
import type { Design } from './designs.ts';
import { describePolls } from './polls.ts';
import { inCall, type State, type Tab } from './state.ts';
import { meetingName, tabName } from './actions/index.ts';

function tabView(t: Tab, meetingActive: boolean): Record<string, unknown> {
  const v: Record<string, unknown> = { phase: t.phase, meeting: meetingName(t.meeting) };
  if (t.phase === 'handshaking') v.handshakeTicksLeft = t.handshake;
  // the model forgets what nobody reads again (see tidy)
  if (!meetingActive) return v;
  v.presence = t.visible ? 'shown' : 'hidden';
  if (t.visible !== inCall(t)) v.presenceCatchesUpWithin = t.lag;
  v.session = t.sessionOpen ? 'open' : 'none';
  if (t.leftHooks > 0) v.webhookInFlight = t.leftHooks === 1 ? 'participant.left' : 'participant.left (twice)';
  if (t.flapped) v.flapped = true;
  if (t.pendingJoin >= 0) v.pendingJoinTtl = t.pendingJoin;
  if (t.seenByPoll) v.seenByRunningPoll = true;
  return v;
}

export function viewState(s: State, design: Design, b: Bounds): Record<string, unknown> {
  const tabs: Record<string, unknown> = {};
  s.tabs.forEach((t, i) => {
    if (t.meeting !== 0) tabs[tabName(Math.floor(i / b.tabs) + 1, (i % b.tabs) + 1)] = tabView(t, s.meeting(t.meeting)!.active);
  });
  const meetings: Record<string, unknown> = {};
  const reads = design.processMeetings.length;
  s.meetings.forEach((m, i) => {
    if (m === null) return;
    if (!m.active) {
      meetings[meetingName(i + 1)] = { active: false };
      return;
    }
    const v: Record<string, unknown> = {
      active: m.active,
      hadSessions: m.hadSessions,
      processMeetings: m.worker === 0 ? 'idle' : m.worker === reads ? 'about to deactivate' : `read ${m.worker} of ${reads} done`,
    };
    if (m.pollRunning) v.pollRunning = true;
    v.queuedPolls = describePolls(m.polls);
    if (m.quiet !== 0) v.quietTicks = m.quiet;
    if (m.joinedSinceVersionRead) v.joinedSinceVersionRead = true;
    if (m.emptyLook >= 0) v.seenEmptyTicksAgo = m.emptyLook;
    if (m.seenSinceDecision) v.someoneSeenSinceRunDecided = true;
    if (m.staleSeenSinceDecision) v.someoneSeenSinceStaleRunDecided = true;
    if (m.staleWorker !== 0)
      v.runThatLostItsLock = m.staleWorker === reads ? 'about to deactivate' : `read ${m.staleWorker} of ${reads} done`;
    if (m.expired) v.handedOut = false;
    meetings[meetingName(i + 1)] = v;
  });
  return { tabs, meetings };
}
