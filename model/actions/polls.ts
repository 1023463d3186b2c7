// poll_daily_room_presence: a queued poll takes the meeting's poll lock and
// reads Daily's presence API (or skips, or the API fails), then writes what
// it read: the sessions, and in some designs the reservations it clears and
// the sighting it records, in one transaction or each apart.
import type { TraceStep } from '../../checker/index.ts';
import { describePolls, dropDuplicate, due, enqueue, SEVERAL, takeDue } from '../polls.ts';
import { pollsIdleOnceHad } from '../fields.ts';
import type { Draft, State } from '../state.ts';
import { sessionWritten } from './client.ts';
import { presenceAction, type PresenceAction } from './define.ts';
import { meetingProblem, perMeeting, recordSighting } from './looks.ts';
import type { PollWrite } from './steps.ts';
import { DAILY, labelOf, meetingName as M, STORE, userOfSlot, WORKER, type MeetingParams, type Setup } from './setup.ts';

const meetings = (c: Setup) => c.meetings;
const inUse = (c: Setup) => perMeeting(c, c.meetings, 1);

/** how many polls of the meeting are due: 0, 1 or SEVERAL (0 for a meeting that is not active) */
function duePolls(s: State, id: number): number {
  const m = s.meeting(id);
  return m === null || !m.active ? 0 : due(m.polls);
}

/** Why nothing of meeting `id`'s polls can happen, before the action's own reason; null: go on. */
function pollProblem(s: State, trace: readonly TraceStep<State>[], id: number): string | null {
  const gone = meetingProblem(s, trace, id);
  if (gone !== null) return gone;
  return s.meeting(id)!.active ? null : `${M(id)} is inactive: nothing polls it any more (its queued polls are forgotten)`;
}

function noneDue(s: State, id: number): string {
  const m = s.meeting(id)!;
  // the reduction of docs/model.md "Reductions": a step that says it queues a poll may leave none in the state
  if (m.hadSessions && pollsIdleOnceHad(s.layout.run))
    return `no poll of ${M(id)} is due (none kept: ${M(id)} had sessions, and on this design nothing reads what a later poll writes, so its polls are forgotten; docs/model.md, Reductions)`;
  const queued = describePolls(m.polls);
  return `no poll of ${M(id)} is due (${queued.length === 0 ? 'none queued' : `queued: ${queued.join(', ')}; a tick brings them closer`})`;
}

function explainRead(s: State, { meeting }: MeetingParams, _c: Setup, trace: readonly TraceStep<State>[]): string | null {
  const problem = pollProblem(s, trace, meeting);
  if (problem !== null) return problem;
  if (duePolls(s, meeting) === 0) return noneDue(s, meeting);
  if (s.meeting(meeting)!.pollStep !== 0)
    return `another poll of ${M(meeting)} holds its lock (it read presence and has not finished writing); a due poll now skips (pollSkipsLocked)`;
  return null;
}

/** Whether the design's look is atomic: a poll's sighting is part of its read. */
const sightsAtRead = (c: Setup) => c.secondLook && c.design.look === 'atomic';

export const pollReadsPresence = presenceAction<MeetingParams>({
  name: 'pollReadsPresence',
  models:
    'real: "poll_daily_room_presence(meeting): skip if another poll of the same meeting holds its lock. Reads the presence API; on API ' +
    'error it returns without changes." A queued poll runs any time after its delay (a task queue gives no upper bound). Taking the lock ' +
    'and reading are one step: no other poll of the meeting can act between them, and nothing else reads the lock. The poll remembers ' +
    'which participants it saw (seenByPoll) until its writes are done.',
  domain: meetings,
  params: inUse,
  // a due poll runs in the end, and the presence API answers in the end (no outage lasts forever):
  // a failed call (pollApiFails) may come first, again and again, but not forever
  fairness: () => 'strong',
  guard: (s, { meeting }) => duePolls(s, meeting) > 0 && s.meeting(meeting)!.pollStep === 0,
  effect: (d, { meeting }, c, s) => {
    let sawSomeone = false;
    for (let i = 0; i < s.layout.slots; i++) {
      const t = s.tab(i);
      if (t.meeting === meeting && t.visible) {
        d.tab(i).seenByPoll = true;
        sawSomeone = true;
      }
    }
    const m = d.meeting(meeting);
    m.polls = takeDue(m.polls);
    m.pollStep = 1;
    // the atomic grain: a poll's look is a sighting at once
    if (sawSomeone && sightsAtRead(c)) recordSighting(d, c, meeting);
  },
  describe: (_from, to, { meeting }, c) => {
    const seen: string[] = [];
    for (let i = 0; i < to.layout.slots; i++) if (to.tab(i).meeting === meeting && to.tab(i).seenByPoll) seen.push(labelOf(c, i));
    return `poll(${M(meeting)}) reads presence: ${seen.length === 0 ? 'nobody' : seen.join(', ')}`;
  },
  explain: explainRead,
  arrow: () => ({ from: WORKER, to: DAILY, style: 'request' }),
  code: () => [
    { where: 'poll_daily_room_presence(meeting)', call: 'Redis', text: 'SET poll_lock:{meeting} NX (skip the poll when another holds it)' },
    {
      where: 'poll_daily_room_presence(meeting)',
      call: 'HTTP',
      text: 'GET https://api.daily.co/v1/rooms/{name}/presence (10 s timeout)',
      onAnswer: 'an error: stop, no change',
    },
  ],
});

export const pollApiFails = presenceAction<MeetingParams>({
  name: 'pollApiFails',
  models: 'real: "on API error it returns without changes"',
  domain: meetings,
  params: inUse,
  fairness: () => null,
  guard: (s, { meeting }) => duePolls(s, meeting) > 0 && s.meeting(meeting)!.pollStep === 0,
  effect: (d, { meeting }) => {
    const m = d.meeting(meeting);
    m.polls = takeDue(m.polls);
  },
  describe: (_from, _to, { meeting }) => `poll(${M(meeting)}): presence API fails, no change`,
  explain: explainRead,
  arrow: () => ({ from: WORKER, to: DAILY, style: 'lost' }),
});

export const pollSkipsLocked = presenceAction<MeetingParams>({
  name: 'pollSkipsLocked',
  models: 'real: "skip if another poll of the same meeting holds its lock"',
  domain: meetings,
  params: inUse,
  fairness: () => null,
  guard: (s, { meeting }) => duePolls(s, meeting) > 0 && s.meeting(meeting)!.pollStep !== 0,
  effect: (d, { meeting }) => {
    const m = d.meeting(meeting);
    m.polls = takeDue(m.polls);
  },
  describe: (_from, _to, { meeting }) => `poll(${M(meeting)}) skipped: another poll holds the lock`,
  explain: (s, { meeting }, _c, trace) => {
    const problem = pollProblem(s, trace, meeting);
    if (problem !== null) return problem;
    if (duePolls(s, meeting) === 0) return noneDue(s, meeting);
    return s.meeting(meeting)!.pollStep !== 0
      ? null
      : `no poll of ${M(meeting)} holds its lock (a due poll runs: pollReadsPresence ${M(meeting)})`;
  },
  arrow: () => ({ from: WORKER, to: STORE, style: 'request' }),
});

export const duplicatePollDropped = presenceAction<MeetingParams>({
  name: 'duplicatePollDropped',
  models: 'See polls.ts: of several identical queued polls, one may never run.',
  domain: meetings,
  params: inUse,
  fairness: () => null,
  guard: (s, { meeting }) => duePolls(s, meeting) === SEVERAL,
  effect: (d, { meeting }) => {
    const m = d.meeting(meeting);
    m.polls = dropDuplicate(m.polls);
  },
  describe: (_from, _to, { meeting }) => `one of several identical due polls of ${M(meeting)} will never run`,
  explain: (s, { meeting }, _c, trace) => {
    const problem = pollProblem(s, trace, meeting);
    if (problem !== null) return problem;
    const queued = describePolls(s.meeting(meeting)!.polls);
    return duePolls(s, meeting) === SEVERAL
      ? null
      : `${M(meeting)} does not have several due polls (${queued.length === 0 ? 'none queued' : `queued: ${queued.join(', ')}`})`;
  },
  arrow: () => ({ over: WORKER }),
});

export const reconciliationQueuesPoll = presenceAction<MeetingParams>({
  name: 'reconciliationQueuesPoll',
  models:
    'real: "The worker also queues a reconciliation poll of every active meeting every 30 s (`trigger_daily_reconciliation`, ' +
    'worker/app.py)": a poll of an active meeting may be queued at any moment (the period is far above every other bound here), and ' +
    'one is, in the end (weak fairness, per meeting).',
  domain: meetings,
  params: inUse,
  fairness: () => 'weak',
  guard: (s, { meeting }) => s.meeting(meeting)?.active === true && duePolls(s, meeting) === 0,
  effect: (d, { meeting }) => {
    const m = d.meeting(meeting);
    m.polls = enqueue(m.polls, 0);
  },
  describe: (_from, _to, { meeting }) => `the periodic reconciliation queues poll(${M(meeting)})`,
  explain: (s, { meeting }, _c, trace) =>
    pollProblem(s, trace, meeting) ?? (duePolls(s, meeting) === 0 ? null : `a poll of ${M(meeting)} is due already`),
  arrow: () => ({ over: WORKER }),
});

export const pollWebhookDuplicated = presenceAction<MeetingParams>({
  name: 'pollWebhookDuplicated',
  models:
    'fault webhook-dup: a webhook whose handler only queues a poll, sent twice, is a due poll queued twice (participant.joined, and ' +
    'participant.left where it only polls: see connect and closeTab)',
  when: (c) => c.fault('webhook-dup'),
  domain: meetings,
  params: inUse,
  fairness: () => 'environment',
  guard: (s, { meeting }) => duePolls(s, meeting) === 1,
  effect: (d, { meeting }) => {
    const m = d.meeting(meeting);
    m.polls = enqueue(m.polls, 0);
  },
  describe: (_from, _to, { meeting }) => `Daily sends a webhook of ${M(meeting)} a second time: its poll is queued twice`,
  explain: (s, { meeting }, _c, trace) =>
    pollProblem(s, trace, meeting) ?? (duePolls(s, meeting) === 1 ? null : `${M(meeting)} has not exactly one due poll`),
  arrow: () => ({ over: DAILY }),
});

/** Writes `write` of the poll of `meeting` (what it saw is on the tabs' seenByPoll). */
function pollWrite(d: Draft, c: Setup, s: State, meeting: number, write: PollWrite): void {
  if (write === 'sessions') {
    // real: "inserts sessions for participants it sees without an open session, and closes (sets left_at) every open session the
    // API does not report" (and "never reopens a closed row": a closed row and no row read alike here)
    let wrote = false;
    for (let i = 0; i < s.layout.slots; i++) {
      const t = s.tab(i);
      if (t.meeting !== meeting || t.seenByPoll === t.sessionOpen) continue;
      d.tab(i).sessionOpen = t.seenByPoll;
      wrote = true;
    }
    if (wrote) sessionWritten(d.meeting(meeting), c);
    return;
  }
  if (write === 'reservations') {
    const perUser = c.res!.pollClears === 'per-user';
    for (let i = 0; i < s.layout.slots; i++) {
      const t = s.tab(i);
      if (t.meeting !== meeting || !t.seenByPoll) continue;
      if (!perUser) {
        // per tab: only a participant whose id /joined bound to this tab
        if (t.bound) d.tab(i).reservation = -1;
        continue;
      }
      // per user: the participant's userName names the user, not the tab: every reservation of theirs on the meeting goes
      const first = (userOfSlot(c, i) - 1) * c.b.tabs;
      for (let j = first; j < first + c.b.tabs; j++) if (s.tab(j).meeting === meeting) d.tab(j).reservation = -1;
    }
    return;
  }
  let saw = false;
  for (let i = 0; i < s.layout.slots && !saw; i++) saw = s.tab(i).meeting === meeting && s.tab(i).seenByPoll;
  if (saw) recordSighting(d, c, meeting);
}

/** Ends the poll: its lock is free, and what it saw is forgotten. */
function endPoll(d: Draft, s: State, meeting: number): void {
  for (let i = 0; i < s.layout.slots; i++) if (s.tab(i).meeting === meeting && s.tab(i).seenByPoll) d.tab(i).seenByPoll = false;
  d.meeting(meeting).pollStep = 0;
}

const WRITE_WORDS: Readonly<Record<PollWrite, string>> = {
  sessions: 'reconciles sessions',
  reservations: 'clears the reservations of what it saw',
  sighting: 'records that it saw someone',
};

const WRITE_SQL: Readonly<Record<PollWrite, (c: Setup) => string>> = {
  sessions: () =>
    'INSERT INTO daily_participant_sessions ... for each participant seen without an open row (left_at kept: COALESCE); ' +
    'UPDATE daily_participant_sessions SET left_at = now() WHERE meeting_id = :id AND left_at IS NULL AND session_id NOT IN (:seen)',
  reservations: (c) =>
    c.res?.pollClears === 'per-user'
      ? 'DELETE FROM meeting_reservation WHERE meeting_id = :id AND user_name IN (:seen user names)'
      : 'DELETE FROM meeting_reservation WHERE meeting_id = :id AND daily_participant_id IN (:seen participant ids)',
  sighting: () => 'UPDATE meeting SET last_seen_at = now(), empty_since = NULL WHERE id = :id  -- when it saw anyone',
};

function describeWrite(from: State, to: State, meeting: number, write: PollWrite, c: Setup): string {
  if (write === 'sessions') {
    // (what the write does, from what the poll saw and the rows it found: where nothing reads whether a row is
    // open, the model does not keep it, and every participant seen is written as a row, which is all "had sessions" needs)
    const changes: string[] = [];
    for (let i = 0; i < from.layout.slots; i++) {
      const t = from.tab(i);
      if (t.meeting !== meeting || t.seenByPoll === t.sessionOpen) continue;
      changes.push(`${t.seenByPoll ? 'opens' : 'closes'} ${labelOf(c, i)}`);
    }
    return changes.length === 0 ? 'no change' : changes.join(', ');
  }
  if (write === 'reservations') {
    const cleared: string[] = [];
    for (let i = 0; i < from.layout.slots; i++)
      if (from.tab(i).meeting === meeting && from.tab(i).reservation >= 0 && to.tab(i).reservation < 0) cleared.push(labelOf(c, i));
    return cleared.length === 0 ? 'clears no reservation' : `clears the reservation of ${cleared.join(', ')}`;
  }
  let saw = false;
  for (let i = 0; i < from.layout.slots && !saw; i++) saw = from.tab(i).meeting === meeting && from.tab(i).seenByPoll;
  return saw ? 'records a sighting (last_seen_at = now(), empty_since = NULL)' : 'saw nobody: records nothing';
}

const WRITE_ACTION: Readonly<Record<PollWrite, string>> = {
  sessions: 'pollWritesSessions',
  reservations: 'pollClearsReservations',
  sighting: 'pollRecordsSighting',
};

/** The poll's write steps: all in one transaction (one step), or one step each, in the order of steps.ts. */
function writeAction(kind: PollWrite | 'all'): PresenceAction<MeetingParams> {
  const writesOf = (c: Setup): readonly PollWrite[] => (kind === 'all' ? c.pollWrites : [kind]);
  /** the pollStep value this step runs at: 1 after the read, one more after each write before it */
  const at = (c: Setup) => (kind === 'all' ? 1 : 1 + c.pollWrites.indexOf(kind));
  const isLast = (c: Setup) => kind === 'all' || c.pollWrites.indexOf(kind) === c.pollWrites.length - 1;
  return presenceAction<MeetingParams>({
    name: WRITE_ACTION[kind === 'all' ? 'sessions' : kind],
    models:
      kind === 'all'
        ? 'real: "it reconciles the DB with what the API reported: inserts sessions for participants it sees without an open session, and ' +
          'closes (sets left_at) every open session the API does not report, including one that /joined inserted a moment ago if the API ' +
          'still lags behind." One transaction: its writes touch only this meeting\'s rows, and every concurrent /joined insert or /leave ' +
          'close ends as one of the two orders. In designs whose poll also clears reservations or records a sighting, those are in the same transaction.'
        : "pollWrites 'separate': the poll's writes are separate transactions, in this order; anything may happen between them",
    when: (c) =>
      kind === 'all' ? c.design.pollWrites === 'one-transaction' : c.design.pollWrites === 'separate' && c.pollWrites.includes(kind),
    domain: meetings,
    params: inUse,
    fairness: () => 'weak',
    guard: (s, { meeting }, c) => s.meeting(meeting)?.active === true && s.meeting(meeting)!.pollStep === at(c),
    effect: (d, { meeting }, c, s) => {
      for (const write of writesOf(c)) pollWrite(d, c, s, meeting, write);
      if (isLast(c)) endPoll(d, s, meeting);
      else d.meeting(meeting).pollStep = at(c) + 1;
    },
    describe: (from, to, { meeting }, c) =>
      `poll(${M(meeting)}) ${writesOf(c)
        .map((w) => `${WRITE_WORDS[w]}: ${describeWrite(from, to, meeting, w, c)}`)
        .join('; ')}`,
    explain: (s, { meeting }, c, trace) => {
      const problem = pollProblem(s, trace, meeting);
      if (problem !== null) return problem;
      const step = s.meeting(meeting)!.pollStep;
      if (step === at(c)) return null;
      return step === 0
        ? `no poll of ${M(meeting)} has read presence (pollReadsPresence ${M(meeting)} comes first)`
        : `the running poll of ${M(meeting)} is at another of its writes (${WRITE_ACTION[c.pollWrites[step - 1]]})`;
    },
    arrow: () => ({ from: WORKER, to: STORE, style: 'request' }),
    code: (c) => [
      {
        where: 'poll_daily_room_presence(meeting)',
        call: 'SQL',
        text: writesOf(c)
          .map((w) => WRITE_SQL[w](c))
          .join(';\n'),
      },
    ],
  });
}

export const POLL_ACTIONS: readonly PresenceAction<MeetingParams>[] = [
  pollReadsPresence,
  pollApiFails,
  pollSkipsLocked,
  duplicatePollDropped,
  reconciliationQueuesPoll,
  pollWebhookDuplicated,
  writeAction('all'),
  writeAction('sessions'),
  writeAction('reservations'),
  writeAction('sighting'),
];
