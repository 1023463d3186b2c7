// process_meetings on one meeting, under its per-meeting lock: the reads a
// design does before it deactivates, one await each, then the is_active
// write. Any read can end the run with "keep".
import type { TraceStep } from '../../checker/index.ts';
import { countsJoins, type PmRead } from '../designs.ts';
import { someTab, type State } from '../state.ts';
import type { Context, Act, MeetingParams } from './context.ts';
import { arrow, DAILY, meetingName as M, STORE, WORKER } from './context.ts';

/** process_meetings' actions for each read, in the order they are declared. */
export const PM_ACTIONS: Readonly<Record<PmRead, readonly string[]>> = {
  'sessions': ['pmReadsSessions'],
  'presence-else-sessions': ['pmReadsPresence', 'pmPresenceApiFails'],
  'presence-else-skip': ['pmReadsPresence', 'pmPresenceApiFails'],
  'pending-joins': ['pmReadsPendingJoins'],
  'recent-activity': ['pmReadsRecentActivity'],
  'join-counter': ['pmReadsVersion'],
};

export function pmProgress(worker: number, reads: number): string {
  if (worker === 0) return 'idle';
  return worker === reads ? 'about to deactivate' : `read ${worker} of ${reads} done`;
}

export function pmNext(worker: number, reads: readonly PmRead[]): string {
  return worker === reads.length ? 'pmDeactivates' : PM_ACTIONS[reads[worker]].join(' or ');
}

/** Why meeting `id` cannot be acted on in the trace's last state (gone, or never made), or null. */
export function meetingProblem(trace: readonly TraceStep<State>[], id: number): string | null {
  const s = trace[trace.length - 1].state;
  if (s.meeting(id) !== null) return null;
  const all = s.meetings.flatMap((m, k) => (m !== null ? [M(k + 1)] : []));
  if (trace.some((step) => step.state.meeting(id) !== null)) {
    return `${M(id)} is gone: it was deactivated and no tab refers to it any more (a new meeting would reuse its id)`;
  }
  return `${M(id)} does not exist yet (${all.length === 0 ? 'no meeting exists' : `meetings: ${all.join(', ')}`}; getOrCreateMeeting creates the next one)`;
}

export function processMeetingsActions(c: Context): Act<MeetingParams>[] {
  const { design, b } = c;
  const reads = design.processMeetings;
  const meetingsIn = (s: State) => c.meetings.slice(0, s.meetings.length);
  const skips = reads.includes('presence-else-skip');

  // real: "process_meetings (every 60 s, per active meeting, under a
  // per-meeting lock)": a run may start at any moment, one at a time per
  // meeting; each read and the final write are separate awaits, so anything
  // may happen between them. "If has_active: keep. Else if has_had:
  // deactivate. Else if now > end_date: deactivate. Else keep (not started
  // yet)." end_date is hours after creation, beyond every bound here, so that
  // branch keeps.
  /** the run is at read k (0 = starting: the meeting must be active and unlocked) */
  const at = (s: State, meeting: number, k: number) => {
    const m = s.meeting(meeting);
    return m !== null && m.worker === k && (k > 0 || m.active);
  };
  const proceed = (s: State, meeting: number, k: number, go: boolean): State =>
    c.setMeeting(s, meeting, (m) => m.set('worker', go ? k + 1 : 0));
  const hasOpenSession = (s: State, meeting: number) => someTab(s, (t) => t.meeting === meeting && t.sessionOpen);
  const shownByPresence = (s: State, meeting: number) => someTab(s, (t) => t.meeting === meeting && t.visible);
  /** "If has_active: keep. Else if has_had: deactivate. Else ... keep." */
  const nobodyButHad = (s: State, meeting: number, hasActive: boolean) => !hasActive && c.meetingOf(s, meeting).hadSessions;

  /** The last step of a run on `meeting` in the trace, for "it is idle" explanations. */
  const pmHistory = (trace: readonly TraceStep<State>[], meeting: number): string => {
    const names = new Set([...reads.flatMap((r) => PM_ACTIONS[r]), 'pmDeactivates']);
    for (let i = trace.length - 1; i >= 1; i--) {
      const step = trace[i];
      if (step.action === null || !names.has(step.action) || Number(step.params.meeting) !== meeting) continue;
      const action = actions.find((a) => a.name === step.action)!;
      const said = action.describe!({ from: trace[i - 1].state, action: step.action, params: step.params }, step.state);
      return `; its last run on ${M(meeting)} ended at step ${i}: ${said}`;
    }
    return `; no run on ${M(meeting)} has started: ${PM_ACTIONS[reads[0]].join(' or ')} starts one`;
  };

  /** Why the step of read k (k = reads.length: the write) is not enabled on `meeting`, or null. */
  const explainAt = (k: number, name: string) => (trace: readonly TraceStep<State>[], { meeting }: MeetingParams): string | null => {
    const gone = meetingProblem(trace, meeting);
    if (gone !== null) return gone;
    const m = c.last(trace).meeting(meeting)!;
    const w = m.worker;
    if (k === 0) {
      if (!m.active) return `${M(meeting)} is inactive: process_meetings only runs on active meetings`;
      if (w === 0) return null;
      return `process_meetings is already running on ${M(meeting)} (${pmProgress(w, reads.length)}): its next step is ${pmNext(w, reads)} ${M(meeting)}`;
    }
    if (w === k) return null;
    const what = k === reads.length ? `about to deactivate ${M(meeting)}` : `at its read ${k + 1} of ${reads.length} (${name}) on ${M(meeting)}`;
    if (w === 0) return `process_meetings is not ${what} (it is idle${pmHistory(trace, meeting)})`;
    return `process_meetings is not ${what} (${pmProgress(w, reads.length)}: its next step is ${pmNext(w, reads)} ${M(meeting)})`;
  };

  /** "process_meetings(M1) reads presence: nobody there, had sessions: go on" */
  const readText = (read: string, keptWhy: (from: State, meeting: number) => string, goOn = 'go on'): NonNullable<Act<MeetingParams>['describe']> =>
    ({ from, params }, to) => {
      const meeting = params.meeting as number;
      const kept = to.meeting(meeting)?.worker === 0;
      return `process_meetings(${M(meeting)}) ${read}: ${kept ? keptWhy(from, meeting) : goOn}`;
    };
  /** a read that found nobody goes on; one that found somebody (or a meeting nobody joined yet) keeps it */
  const sawNobody = (read: string) => readText(read,
    (from, meeting) => (from.meeting(meeting)!.hadSessions ? 'someone is there: keeps it' : 'never had sessions: keeps it'),
    'nobody there, had sessions: go on');

  const actions: Act<MeetingParams>[] = [];
  reads.forEach((read: PmRead, k: number) => {
    const step = (name: string, effect: (s: State, meeting: number) => State, describe: NonNullable<Act<MeetingParams>['describe']>,
      to: string): Act<MeetingParams> => ({
      name, params: meetingsIn, domain: c.meetings,
      guard: (s, { meeting }) => at(s, meeting, k), effect: (s, { meeting }) => effect(s, meeting),
      describe, explain: explainAt(k, name), arrow: () => arrow(WORKER, to === DAILY && name === 'pmPresenceApiFails' ? 'lost' : 'request', to),
    });
    switch (read) {
      case 'join-counter':
        // doc option C: "Each join attempt increments a version. Deactivation
        // only proceeds if version hasn't changed since presence check."
        actions.push(step('pmReadsVersion', (s, meeting) => c.setMeeting(s, meeting, (m) => m.with({ worker: k + 1, joinedSinceVersionRead: false })),
          ({ params }) => `process_meetings(${M(params.meeting as number)}) reads the join counter`, STORE));
        break;
      case 'sessions':
        // real: "main branch: reads DB sessions; has_active = any open session, has_had = any session."
        actions.push(step('pmReadsSessions', (s, meeting) => proceed(s, meeting, k, nobodyButHad(s, meeting, hasOpenSession(s, meeting))),
          sawNobody('reads DB sessions'), STORE));
        break;
      case 'presence-else-sessions':
      case 'presence-else-skip':
        // doc: "presence = await client.get_room_presence(...);
        // has_active_sessions = presence.total_count > 0 ... except
        // Exception: ... falling back to DB sessions" (fail loudly:
        // "continue  # Don't deactivate if we can't verify"). The failed call
        // changes nothing, so failing and reading the DB are one step.
        actions.push(step('pmReadsPresence', (s, meeting) => proceed(s, meeting, k, nobodyButHad(s, meeting, shownByPresence(s, meeting))),
          sawNobody('reads presence'), DAILY));
        actions.push(step('pmPresenceApiFails',
          (s, meeting) => proceed(s, meeting, k, read === 'presence-else-sessions' && nobodyButHad(s, meeting, hasOpenSession(s, meeting))),
          skips ? readText('presence API fails', () => 'cannot verify: keeps it') : sawNobody('presence API fails, reads DB sessions'), DAILY));
        break;
      case 'pending-joins':
        // doc: "pending = await pending_joins.get_recent(meeting_id, ...); if
        // pending: ... skipping deactivation"; real: "before deactivating,
        // skip if any pending join exists for it."
        actions.push(step('pmReadsPendingJoins', (s, meeting) => proceed(s, meeting, k, !someTab(s, (t) => t.meeting === meeting && t.pendingJoin >= 0)),
          readText('reads pending joins', () => 'some pending: keeps it'), STORE));
        break;
      case 'recent-activity':
        // doc option A: "recent_activity = await get_recent_activity(meeting_id,
        // within_seconds=GRACE_PERIOD_SECONDS); if recent_activity: continue".
        // Activity = a session row written (joined_at or left_at) in the window.
        actions.push(step('pmReadsRecentActivity', (s, meeting) => proceed(s, meeting, k, c.meetingOf(s, meeting).quiet >= b.grace),
          readText('reads recent activity', () => 'recent activity: keeps it'), STORE));
        break;
    }
  });
  // real: "Deactivation sets is_active = false." (option C: only if the
  // counter is unchanged: a conditional UPDATE, one step.)
  actions.push({
    name: 'pmDeactivates',
    params: meetingsIn,
    domain: c.meetings,
    guard: (s, { meeting }) => at(s, meeting, reads.length),
    effect: (s, { meeting }) => c.setMeeting(s, meeting, (m) => {
      if (countsJoins(design) && m.joinedSinceVersionRead) return m.set('worker', 0);
      return m.with({ active: false, worker: 0 });
    }),
    describe: ({ params }, to) => {
      const meeting = params.meeting as number;
      return to.meeting(meeting)?.active === false || to.meeting(meeting) === null
        ? `process_meetings deactivates ${M(meeting)} (is_active = false; its Daily room lives on)`
        : `process_meetings(${M(meeting)}): join counter changed, keeps it`;
    },
    explain: explainAt(reads.length, 'pmDeactivates'),
    arrow: () => arrow(WORKER, 'request', STORE),
  });
  return actions;
}
