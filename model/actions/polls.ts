// poll_daily_room_presence: a queued poll takes the meeting's poll lock and
// reads Daily's presence API (or skips, or the API fails), then reconciles
// the DB's sessions with what it read.
import { describePolls, dropDuplicate, due, enqueue, SEVERAL, takeDue } from '../polls.ts';
import type { Meeting, State } from '../state.ts';
import type { Context, Act, MeetingParams } from './context.ts';
import { arrow, DAILY, meetingName as M, STORE, WORKER } from './context.ts';
import { meetingProblem } from './process-meetings.ts';

export function pollActions(c: Context): Act<MeetingParams>[] {
  const { meetingsIn } = c;
  const clears = c.res?.pollClears === true;
  /** how many polls of the meeting are due: 0, 1 or SEVERAL (0 for a forgotten meeting) */
  const duePolls = (s: State, meeting: number) => {
    const m = s.meeting(meeting);
    return m === null ? 0 : due(m.polls);
  };
  const duePoll = (s: State, meeting: number) => duePolls(s, meeting) > 0;
  const takeDuePoll = (m: Meeting): Meeting => m.set('polls', takeDue(m.polls));

  /** Why nothing of meeting `id`'s polls can happen, before the action's own reason; null: go on. */
  const pollProblem = (trace: Parameters<NonNullable<Act<MeetingParams>['explain']>>[0], id: number): string | null => {
    const gone = meetingProblem(trace, id);
    if (gone !== null) return gone;
    return c.last(trace).meeting(id)!.active ? null : `${M(id)} is inactive: nothing polls it any more (its queued polls are forgotten)`;
  };
  const noneDue = (m: Meeting, id: number) => {
    const queued = describePolls(m.polls);
    return `no poll of ${M(id)} is due (${queued.length === 0 ? 'none queued' : `queued: ${queued.join(', ')}; a tick brings them closer`})`;
  };
  /** the explanation of a poll that would read presence now */
  const explainRead: Act<MeetingParams>['explain'] = (trace, { meeting }) => {
    const problem = pollProblem(trace, meeting);
    if (problem !== null) return problem;
    const m = c.last(trace).meeting(meeting)!;
    if (due(m.polls) === 0) return noneDue(m, meeting);
    if (m.pollRunning)
      return `another poll of ${M(meeting)} holds its lock (it read presence and has not written yet: pollWritesSessions ${M(meeting)}); a due poll now skips (pollSkipsLocked)`;
    return null;
  };

  const actions: Act<MeetingParams>[] = [];
  // real: "poll_daily_room_presence(meeting): skip if another poll of the same
  // meeting holds its lock. Reads the presence API; on API error it returns
  // without changes." A queued poll runs any time after its delay (a task
  // queue gives no upper bound). Taking the lock and reading are one step: no
  // other poll of the meeting can act between them, and nothing else reads
  // the lock.
  actions.push({
    name: 'pollReadsPresence',
    params: meetingsIn,
    domain: c.meetings,
    // a due poll runs in the end, and the presence API answers in the end (no outage lasts forever):
    // a failed call (pollApiFails) may come first, again and again, but not forever
    fairness: { kind: 'strong', per: [] },
    guard: (s, { meeting }) => duePoll(s, meeting) && !c.meetingOf(s, meeting).pollRunning,
    effect: (s, { meeting }) => {
      let sawSomeone = false;
      for (let i = 0; i < s.tabs.length; i++) {
        const t = s.tabs[i];
        if (t.meeting === meeting && t.visible) {
          s = s.withTab(i, t.set('seenByPoll', true));
          sawSomeone = true;
        }
      }
      // a poll is a look at presence too: one that sees someone ends a second-look count
      return c.setMeeting(s, meeting, (m) => {
        const taken = takeDuePoll(m).set('pollRunning', true);
        return sawSomeone ? c.sighting(taken) : taken;
      });
    },
    describe: ({ params }, to) => {
      const meeting = params.meeting as number;
      const seen = to.tabs.flatMap((t, i) => (t.meeting === meeting && t.seenByPoll ? [c.labelOf(i)] : []));
      return `poll(${M(meeting)}) reads presence: ${seen.length === 0 ? 'nobody' : seen.join(', ')}`;
    },
    explain: explainRead,
    arrow: () => arrow(WORKER, 'request', DAILY),
  });
  actions.push({
    name: 'pollApiFails',
    params: meetingsIn,
    domain: c.meetings,
    guard: (s, { meeting }) => duePoll(s, meeting) && !c.meetingOf(s, meeting).pollRunning,
    effect: (s, { meeting }) => c.setMeeting(s, meeting, takeDuePoll),
    describe: ({ params }) => `poll(${M(params.meeting as number)}): presence API fails, no change`,
    explain: explainRead,
    arrow: () => arrow(WORKER, 'lost', DAILY),
  });
  actions.push({
    name: 'pollSkipsLocked',
    params: meetingsIn,
    domain: c.meetings,
    guard: (s, { meeting }) => duePoll(s, meeting) && c.meetingOf(s, meeting).pollRunning,
    effect: (s, { meeting }) => c.setMeeting(s, meeting, takeDuePoll),
    describe: ({ params }) => `poll(${M(params.meeting as number)}) skipped: another poll holds the lock`,
    explain: (trace, { meeting }) => {
      const problem = pollProblem(trace, meeting);
      if (problem !== null) return problem;
      const m = c.last(trace).meeting(meeting)!;
      if (due(m.polls) === 0) return noneDue(m, meeting);
      return m.pollRunning ? null : `no poll of ${M(meeting)} holds its lock (a due poll runs: pollReadsPresence ${M(meeting)})`;
    },
    arrow: () => arrow(WORKER, 'request', STORE),
  });

  // See polls.ts: of several identical queued polls, one may never run.
  actions.push({
    name: 'duplicatePollDropped',
    params: meetingsIn,
    domain: c.meetings,
    guard: (s, { meeting }) => duePolls(s, meeting) === SEVERAL,
    effect: (s, { meeting }) => c.setMeeting(s, meeting, (m) => m.set('polls', dropDuplicate(m.polls))),
    describe: ({ params }) => `one of several identical due polls of ${M(params.meeting as number)} will never run`,
    explain: (trace, { meeting }) => {
      const problem = pollProblem(trace, meeting);
      if (problem !== null) return problem;
      const queued = describePolls(c.last(trace).meeting(meeting)!.polls);
      return duePolls(c.last(trace), meeting) === SEVERAL
        ? null
        : `${M(meeting)} does not have several due polls (${queued.length === 0 ? 'none queued' : `queued: ${queued.join(', ')}`})`;
    },
    arrow: () => ({ over: WORKER }),
  });

  // real: "The worker also queues a reconciliation poll of every active
  // meeting every 30 s (`trigger_daily_reconciliation`, worker/app.py)": a
  // poll of an active meeting may be queued at any moment (the period is far
  // above every other bound here), and one is, in the end (weak fairness).
  actions.push({
    name: 'reconciliationQueuesPoll',
    params: meetingsIn,
    domain: c.meetings,
    fairness: { kind: 'weak', per: [] },
    guard: (s, { meeting }) => s.meeting(meeting)?.active === true && duePolls(s, meeting) === 0,
    effect: (s, { meeting }) => c.setMeeting(s, meeting, (m) => c.queuePoll(m, 0)),
    describe: ({ params }) => `the periodic reconciliation queues poll(${M(params.meeting as number)})`,
    explain: (trace, { meeting }) =>
      pollProblem(trace, meeting) ?? (duePolls(c.last(trace), meeting) === 0 ? null : `a poll of ${M(meeting)} is due already`),
    arrow: () => ({ over: WORKER }),
  });

  if (c.fault('webhook-dup')) {
    // fault webhook-dup: a webhook whose handler only queues a poll, sent
    // twice, is a due poll queued twice (participant.joined, and
    // participant.left where it only polls: see connect and closeTab)
    actions.push({
      name: 'pollWebhookDuplicated',
      params: meetingsIn,
      domain: c.meetings,
      ...c.environment,
      guard: (s, { meeting }) => duePolls(s, meeting) === 1,
      effect: (s, { meeting }) => c.setMeeting(s, meeting, (m) => m.set('polls', enqueue(m.polls, 0))),
      describe: ({ params }) => `Daily sends a webhook of ${M(params.meeting as number)} a second time: its poll is queued twice`,
      explain: (trace, { meeting }) =>
        pollProblem(trace, meeting) ?? (duePolls(c.last(trace), meeting) === 1 ? null : `${M(meeting)} has not exactly one due poll`),
      arrow: () => ({ over: DAILY }),
    });
  }

  // real: "it reconciles the DB with what the API reported: inserts sessions
  // for participants it sees without an open session, and closes (sets
  // left_at) every open session the API does not report, including one that
  // /joined inserted a moment ago if the API still lags behind." The
  // reconciliation is one step: its DB writes touch only this meeting's rows,
  // and every interleaving of a concurrent /joined insert or /leave close with
  // it ends as one of the two orders (before or after the whole write).
  actions.push({
    name: 'pollWritesSessions',
    params: meetingsIn,
    domain: c.meetings,
    fairness: { kind: 'weak', per: [] },
    guard: (s, { meeting }) => s.meeting(meeting)?.pollRunning === true,
    effect: (s, { meeting }) => {
      let wrote = false;
      for (let i = 0; i < s.tabs.length; i++) {
        const t = s.tabs[i];
        if (t.meeting !== meeting) continue;
        const sessionOpen = t.seenByPoll;
        if (sessionOpen !== t.sessionOpen) wrote = true;
        // pollClears: presence speaks for a participant it shows, so its reservation goes
        const pendingJoin = clears && t.seenByPoll ? -1 : t.pendingJoin;
        s = s.withTab(i, t.with({ sessionOpen, seenByPoll: false, pendingJoin }));
      }
      return c.setMeeting(s, meeting, (m) => {
        const done = m.set('pollRunning', false);
        return wrote ? c.sessionWritten(done) : done;
      });
    },
    describe: ({ from, params }, to) => {
      const meeting = params.meeting as number;
      const changes = from.tabs.flatMap((t, i) => {
        const after = to.tabs[i];
        const open = after.meeting === meeting && after.sessionOpen;
        if (t.meeting !== meeting || t.sessionOpen === open) return [];
        return [`${open ? 'opens' : 'closes'} ${c.labelOf(i)}`];
      });
      const cleared = from.tabs.flatMap((t, i) =>
        t.meeting === meeting && t.pendingJoin >= 0 && to.tabs[i].pendingJoin < 0 ? [c.labelOf(i)] : [],
      );
      const clearedText = cleared.length === 0 ? '' : `; clears the reservation of ${cleared.join(', ')}`;
      return `poll(${M(meeting)}) reconciles sessions: ${changes.length === 0 ? 'no change' : changes.join(', ')}${clearedText}`;
    },
    explain: (trace, { meeting }) => {
      const problem = pollProblem(trace, meeting);
      if (problem !== null) return problem;
      return c.last(trace).meeting(meeting)!.pollRunning
        ? null
        : `no poll of ${M(meeting)} has read presence (pollReadsPresence ${M(meeting)} comes first)`;
    },
    arrow: () => arrow(WORKER, 'request', STORE),
  });
  return actions;
}
