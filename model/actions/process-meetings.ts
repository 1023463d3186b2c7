// process_meetings on one meeting, under its per-meeting lock: the steps a
// design takes before it deactivates (steps.ts: its reads, one await each,
// and at statement grain the DB write that records a look), then the final
// UPDATE. Any read can end the run with "keep". With lock-lost, a run may
// lose its lock and go on (the "stale" run, run 2) while another starts.
// Designs that delete a deactivated meeting's Daily room do it in the steps
// after the UPDATE (pmDeletesRoom, pmMarksClosed); the owner's end-meeting
// (owner-deactivate) deactivates at any time.
import type { TraceStep } from '../../checker/index.ts';
import { countsJoins, OCCUPANCY_READS, type PmRead } from '../designs.ts';
import { inCall, type Draft, type ReadMeeting, type State } from '../state.ts';
import { presenceAction, type CodeStep, type PresenceAction } from './define.ts';
import { live, meetingProblem, perMeeting, recordEmptyLook, recordSighting } from './looks.ts';
import type { PmStep } from './steps.ts';
import { BACKEND, DAILY, meetingName as M, someTabOf, STORE, WORKER, type MeetingParams, type RunParams, type Setup } from './setup.ts';

const stale = (p: RunParams) => p.run === 2;
const runs = (c: Setup) => c.runs;
const runsInUse = (c: Setup) => perMeeting(c, c.runs, c.fault('lock-lost') ? 2 : 1);
const meetingsInUse = (c: Setup) => perMeeting(c, c.meetings, 1);

const progressOf = (m: ReadMeeting, p: RunParams) => (stale(p) ? m.staleWorker : m.worker);

/** The run's progress set to k (0: it ended; a run that ends, or has not decided yet, forgets what was seen since its decision). */
function setProgress(d: Draft, c: Setup, p: RunParams, k: number): void {
  const m = d.meeting(p.meeting);
  const undecided = k < c.decidedAt || k === 0;
  if (stale(p)) {
    m.staleWorker = k;
    if (undecided) {
      m.staleSeenSinceDecision = 0;
      m.staleDecidedNow = false;
    }
  } else {
    m.worker = k;
    if (undecided) {
      m.seenSinceDecision = 0;
      m.decidedNow = false;
    }
  }
}

/** The run goes on to step k + 1 (it decided, if that is its second look: with clock-skew, note the tick) or ends. */
function proceed(d: Draft, c: Setup, p: RunParams, k: number, go: boolean): void {
  setProgress(d, c, p, go ? k + 1 : 0);
  if (go && k + 1 === c.decidedAt && c.fault('clock-skew') && c.design.deactivation === 'conditional-fenced') {
    const m = d.meeting(p.meeting);
    if (stale(p)) m.staleDecidedNow = true;
    else m.decidedNow = true;
  }
}

/** Deactivates meeting `id` (is_active = false): the runs on it end; with roomDeletion it is closing until its Daily room is gone. */
export function deactivate(d: Draft, c: Setup, id: number, byOwner: boolean): void {
  const m = d.meeting(id);
  m.active = false;
  m.worker = 0;
  m.staleWorker = 0;
  if (c.design.roomDeletion !== 'never') {
    m.closing = true;
    if (byOwner) m.endedByOwner = true;
  }
}

const shown = (s: State, id: number) => someTabOf(s, id, (t) => t.visible);
const hasOpenSession = (s: State, id: number) => someTabOf(s, id, (t) => t.sessionOpen);
const reserved = (s: State, id: number) => someTabOf(s, id, (t) => t.reservation >= 0);
/** "If has_active: keep. Else if has_had: deactivate. Else if now > end_date: deactivate. Else ... keep." */
const nobodyButHad = (s: State, id: number, hasActive: boolean) => {
  const m = s.meeting(id)!;
  return !hasActive && (m.hadSessions || m.expired);
};

/** The index of the step a design's action stands for, or -1. */
function stepIndex(c: Setup, test: (step: PmStep) => boolean): number {
  return c.pmSteps.findIndex(test);
}

/** The names of the actions of step `step`, for explanations ("its next step is ..."). */
function stepNames(step: PmStep): string {
  if (step.kind === 'write') return 'pmDeactivates';
  if (step.kind === 'record-look') return 'pmRecordsLook';
  return READ_ACTIONS[step.read].join(' or ');
}

const READ_ACTIONS: Readonly<Record<PmRead, readonly string[]>> = {
  sessions: ['pmReadsSessions'],
  'presence-else-sessions': ['pmReadsPresence', 'pmPresenceApiFails'],
  'presence-else-skip': ['pmReadsPresence', 'pmPresenceApiFails'],
  'presence-second-look': ['pmReadsPresence', 'pmPresenceApiFails'],
  'pending-joins': ['pmReadsPendingJoins'],
  'recent-activity': ['pmReadsRecentActivity'],
  'join-counter': ['pmReadsVersion'],
};

function progressText(c: Setup, w: number): string {
  if (w === 0) return 'idle';
  return w === c.pmSteps.length - 1 ? 'about to deactivate' : `step ${w} of ${c.pmSteps.length} done`;
}

/** Where the live run on meeting `id` stands, for other actions' explanations: "step 1 of 3 done: its next step is pmReadsPresence or pmPresenceApiFails M1". */
export function runProgress(c: Setup, s: State, id: number): string {
  const w = s.meeting(id)?.worker ?? 0;
  return w === 0 ? 'idle' : `${progressText(c, w)}: its next step is ${stepNames(c.pmSteps[w])} ${M(id)}`;
}

const runName = (p: RunParams) =>
  stale(p) ? `process_meetings(${M(p.meeting)}, the run that lost its lock)` : `process_meetings(${M(p.meeting)})`;

/** Whether the run `p` is at step k (a live run starts at step 0 on an active meeting; a stale run never starts). */
function at(s: State, p: RunParams, k: number): boolean {
  const m = s.meeting(p.meeting);
  if (m === null || k < 0) return false;
  if (stale(p)) return k > 0 && m.staleWorker === k;
  return m.worker === k && (k > 0 || m.active);
}

/**
 * For "not running" explanations: the step that ended the meeting's last
 * run, as the trace said it (" (its last run on M1 ended at step 14: ...)"),
 * or "" when no run has started since the meeting came to be.
 */
function lastRun(trace: readonly TraceStep<State>[], p: RunParams, c: Setup): string {
  for (let i = trace.length - 1; i >= 1; i--) {
    const step = trace[i];
    // the meeting id is reused once a closed meeting is forgotten: look no further back than this meeting's life
    if (step.state.meeting(p.meeting) === null || trace[i - 1].state.meeting(p.meeting) === null) return '';
    if (Number(step.params.meeting) !== p.meeting || stale(step.params as unknown as RunParams)) continue;
    const def = PM_ACTIONS.find((a) => a.name === step.action);
    if (def === undefined) continue;
    // the run's last step ended it (a keep, the UPDATE); a run cut off otherwise (its meeting closed under it) is not told here
    if (progressOf(step.state.meeting(p.meeting)!, p) !== 0) return '';
    const said = def.describe(trace[i - 1].state, step.state, step.params as unknown as RunParams, c);
    return ` (its last run on ${M(p.meeting)} ended at step ${i}: ${said})`;
  }
  return '';
}

/** Why the step of index k is not enabled for `p`, or null. */
function explainAt(s: State, p: RunParams, c: Setup, trace: readonly TraceStep<State>[], k: number, name: string): string | null {
  const gone = meetingProblem(s, trace, p.meeting);
  if (gone !== null) return gone;
  if (k < 0) return `this design's process_meetings has no ${name} step`;
  const m = s.meeting(p.meeting)!;
  const w = progressOf(m, p);
  const next = (x: number) => `${stepNames(c.pmSteps[x])} ${M(p.meeting)}`;
  if (stale(p)) {
    if (w === 0) return `no run of process_meetings on ${M(p.meeting)} has lost its lock (pmLosesLock comes first)`;
    return w === k ? null : `the run that lost its lock is ${progressText(c, w)}: its next step is ${next(w)}`;
  }
  if (k === 0) {
    if (!m.active) return `${M(p.meeting)} is inactive: process_meetings only runs on active meetings`;
    return w === 0 ? null : `process_meetings is already running on ${M(p.meeting)} (${progressText(c, w)}): its next step is ${next(w)}`;
  }
  if (w === k) return null;
  if (w === 0) return `process_meetings is not running on ${M(p.meeting)}${lastRun(trace, p, c)}: a run starts with ${next(0)}`;
  return `process_meetings on ${M(p.meeting)} is ${progressText(c, w)}: its next step is ${next(w)}`;
}

/** "process_meetings(M1) reads presence: nobody there, had sessions: go on" */
function readText(_from: State, to: State, p: RunParams, read: string, keptWhy: string, goOn = 'go on'): string {
  const after = to.meeting(p.meeting);
  const kept = after === null || progressOf(after, p) === 0;
  return `${runName(p)} ${read}: ${kept ? keptWhy : goOn}`;
}

const keptWhy = (from: State, id: number) =>
  from.meeting(id)!.hadSessions || from.meeting(id)!.expired ? 'someone is there: keeps it' : 'never had sessions: keeps it';

interface ReadDef {
  readonly name: string;
  readonly models: string;
  /** whether the design's step is this one */
  readonly is: (step: PmStep) => boolean;
  readonly fairness: 'weak' | 'strong' | null;
  readonly effect: (d: Draft, p: RunParams, c: Setup, s: State, k: number) => void;
  readonly describe: (from: State, to: State, p: RunParams, c: Setup) => string;
  readonly to: string;
  readonly lost?: boolean;
  readonly code?: (c: Setup) => readonly CodeStep[];
}

/** A step of a run, from its definition: the guard is "the run is at this step". */
function runStep(def: ReadDef): PresenceAction<RunParams> {
  const index = (c: Setup) => stepIndex(c, def.is);
  return presenceAction<RunParams>({
    name: def.name,
    models: def.models,
    when: (c) => index(c) >= 0,
    domain: runs,
    params: runsInUse,
    fairness: () => def.fairness,
    guard: (s, p, c) => at(s, p, index(c)),
    effect: (d, p, c, s) => def.effect(d, p, c, s, index(c)),
    describe: def.describe,
    explain: (s, p, c, trace) => explainAt(s, p, c, trace, index(c), def.name),
    arrow: () => ({ from: WORKER, to: def.to, style: def.lost ? 'lost' : 'request' }),
    ...(def.code ? { code: def.code } : {}),
  });
}

const isRead =
  (...reads: PmRead[]) =>
  (step: PmStep) =>
    step.kind === 'read' && reads.includes(step.read);
const presenceRead = (c: Setup) => c.design.processMeetings.find((r) => r.startsWith('presence-'))!;

export const pmReadsVersion = runStep({
  name: 'pmReadsVersion',
  models:
    'doc option C: "Each join attempt increments a version. Deactivation only proceeds if version hasn\'t changed since presence check."',
  is: isRead('join-counter'),
  fairness: 'weak',
  effect: (d, p, c, _s, k) => {
    proceed(d, c, p, k, true);
    d.meeting(p.meeting).joinedSinceVersionRead = false;
  },
  describe: (_from, _to, p) => `${runName(p)} reads the join counter`,
  to: STORE,
});

export const pmReadsSessions = runStep({
  name: 'pmReadsSessions',
  models:
    'real: "process_meetings (every 60 s, per active meeting, under a per-meeting lock): main branch: reads DB sessions; has_active = ' +
    'any open session, has_had = any session." A run may start at any moment, one at a time per meeting; each read and the final ' +
    'write are separate awaits. "If has_active: keep. Else if has_had: deactivate. Else if now > end_date: deactivate. Else keep." ' +
    'end_date is hours after creation, beyond every bound here, so that branch keeps, but for a meeting meeting-rollover left behind.',
  is: isRead('sessions'),
  // "Runs periodically (every 60s via Celery beat)": a run starts, and goes on, in the end (per meeting)
  fairness: 'weak',
  effect: (d, p, c, s, k) => proceed(d, c, p, k, nobodyButHad(s, p.meeting, hasOpenSession(s, p.meeting))),
  describe: (from, to, p) => readText(from, to, p, 'reads DB sessions', keptWhy(from, p.meeting), 'nobody there, had sessions: go on'),
  to: STORE,
});

/** The second look at the atomic grain: the read, the empty_since / sighting write and the "more than lag ago" judgement in one step. */
function secondLookAtomic(d: Draft, p: RunParams, c: Setup, s: State, k: number): void {
  const seen = shown(s, p.meeting);
  const m = s.meeting(p.meeting)!;
  if (!nobodyButHad(s, p.meeting, seen)) {
    setProgress(d, c, p, 0);
    if (seen) recordSighting(d, c, p.meeting);
    return;
  }
  if (m.emptyLook > c.b.lag) {
    proceed(d, c, p, k, true);
    return;
  }
  setProgress(d, c, p, 0);
  recordEmptyLook(d, p.meeting);
}

function secondLookText(from: State, to: State, p: RunParams, c: Setup): string {
  const before = from.meeting(p.meeting)!;
  const after = to.meeting(p.meeting)!;
  const kept = progressOf(after, p) === 0;
  if (!kept) return `${runName(p)} reads presence: nobody there, and nobody at a look more than a lag ago either: go on`;
  if (!before.hadSessions && !before.expired) return `${runName(p)} reads presence: never had sessions: keeps it`;
  if (after.emptyLook === -1) return `${runName(p)} reads presence: someone is there: keeps it`;
  if (after.emptyLook === 0 && before.emptyLook !== 0)
    return `${runName(p)} reads presence: nobody there: a first look, keeps it until a second one more than a lag later`;
  return `${runName(p)} reads presence: nobody there, but the first empty look was only ${before.emptyLook} ${before.emptyLook === 1 ? 'tick' : 'ticks'} ago (lag ${c.b.lag}): keeps it`;
}

export const pmReadsPresence = runStep({
  name: 'pmReadsPresence',
  models:
    'doc: "presence = await client.get_room_presence(...); has_active_sessions = presence.total_count > 0 ... except Exception: ... ' +
    'falling back to DB sessions" (fail loudly: "continue  # Don\'t deactivate if we can\'t verify"); an HTTP call to Daily, one step. ' +
    'The second look: at the atomic grain the read also writes and judges (secondLookAtomic); at statement grain it only reads, and ' +
    'pmRecordsLook writes what it saw.',
  is: isRead('presence-else-sessions', 'presence-else-skip', 'presence-second-look'),
  // the presence API answers in the end: pmPresenceApiFails may come first, but not forever
  fairness: 'strong',
  effect: (d, p, c, s, k) => {
    const read = presenceRead(c);
    if (read !== 'presence-second-look') return proceed(d, c, p, k, nobodyButHad(s, p.meeting, shown(s, p.meeting)));
    if (c.design.look === 'atomic') return secondLookAtomic(d, p, c, s, k);
    // statement grain: the HTTP call only; what it saw goes to the next step (the run's decision is this read)
    proceed(d, c, p, k, true);
    const m = d.meeting(p.meeting);
    if (stale(p)) m.staleWorkerSaw = shown(s, p.meeting);
    else m.workerSaw = shown(s, p.meeting);
  },
  describe: (from, to, p, c) => {
    if (presenceRead(c) !== 'presence-second-look')
      return readText(from, to, p, 'reads presence', keptWhy(from, p.meeting), 'nobody there, had sessions: go on');
    if (c.design.look === 'atomic') return secondLookText(from, to, p, c);
    return `${runName(p)} reads presence: ${shown(from, p.meeting) ? 'someone is there' : 'nobody there'}`;
  },
  to: DAILY,
  code: () => [
    {
      where: 'process_meetings(meeting)',
      call: 'HTTP',
      text: 'GET https://api.daily.co/v1/rooms/{name}/presence (10 s timeout)',
      onAnswer: 'anyone there, or an error or timeout: stop (keep the meeting); nobody: go on',
    },
  ],
});

export const pmPresenceApiFails = runStep({
  name: 'pmPresenceApiFails',
  models:
    'doc: "except Exception: logger_.warning(\\"Daily.co presence API failed, falling back to DB sessions\\")" (or, fail loudly: skip). ' +
    'The failed call changes nothing, so failing and reading the DB are one step.',
  is: isRead('presence-else-sessions', 'presence-else-skip', 'presence-second-look'),
  fairness: null,
  effect: (d, p, c, s, k) =>
    proceed(d, c, p, k, presenceRead(c) === 'presence-else-sessions' && nobodyButHad(s, p.meeting, hasOpenSession(s, p.meeting))),
  describe: (from, to, p, c) =>
    presenceRead(c) === 'presence-else-sessions'
      ? readText(from, to, p, 'presence API fails, reads DB sessions', keptWhy(from, p.meeting), 'nobody there, had sessions: go on')
      : readText(from, to, p, 'presence API fails', 'cannot verify: keeps it'),
  to: DAILY,
  lost: true,
});

export const pmRecordsLook = runStep({
  name: 'pmRecordsLook',
  models:
    "look 'statements': the DB statement after the presence read, with the DB's own now(): someone seen, `UPDATE meeting SET " +
    'last_seen_at = now(), empty_since = NULL` and the run ends; nobody, `UPDATE meeting SET empty_since = COALESCE(empty_since, ' +
    'now())` and the run goes on to its UPDATE, which judges "more than lag ago" at its own now(). A poll may write between the read and this.',
  is: (step) => step.kind === 'record-look',
  fairness: 'weak',
  effect: (d, p, c, s, k) => {
    const m = s.meeting(p.meeting)!;
    const saw = stale(p) ? m.staleWorkerSaw : m.workerSaw;
    const dm = d.meeting(p.meeting);
    if (stale(p)) dm.staleWorkerSaw = false;
    else dm.workerSaw = false;
    if (saw) {
      setProgress(d, c, p, 0);
      return recordSighting(d, c, p.meeting);
    }
    recordEmptyLook(d, p.meeting);
    proceed(d, c, p, k, m.hadSessions || m.expired);
  },
  describe: (from, to, p) => {
    const m = from.meeting(p.meeting)!;
    const saw = stale(p) ? m.staleWorkerSaw : m.workerSaw;
    if (saw) return `${runName(p)} records the sighting (last_seen_at = now(), empty_since = NULL): keeps it`;
    const kept = progressOf(to.meeting(p.meeting)!, p) === 0;
    return `${runName(p)} records the empty look (empty_since = COALESCE(empty_since, now()))${kept ? ': never had sessions, keeps it' : ': go on'}`;
  },
  to: STORE,
  code: () => [
    {
      where: 'process_meetings(meeting)',
      call: 'SQL',
      clock: "the DB's now(), at this statement",
      text: 'UPDATE meeting SET empty_since = COALESCE(empty_since, now()) WHERE id = :id  -- or, when it saw anyone: SET last_seen_at = now(), empty_since = NULL',
    },
  ],
});

export const pmReadsPendingJoins = runStep({
  name: 'pmReadsPendingJoins',
  models:
    'doc: "pending = await pending_joins.get_recent(meeting_id, ...); if pending: ... skipping deactivation"; real: "before deactivating, skip if any pending join exists for it."',
  is: isRead('pending-joins'),
  fairness: 'weak',
  effect: (d, p, c, s, k) => proceed(d, c, p, k, !reserved(s, p.meeting)),
  describe: (from, to, p) => readText(from, to, p, 'reads pending joins', 'some pending: keeps it'),
  to: STORE,
});

export const pmReadsRecentActivity = runStep({
  name: 'pmReadsRecentActivity',
  models:
    'doc option A: "recent_activity = await get_recent_activity(meeting_id, within_seconds=GRACE_PERIOD_SECONDS); if recent_activity: ' +
    'continue". Activity = a session row written (joined_at or left_at) in the window.',
  is: isRead('recent-activity'),
  fairness: 'weak',
  effect: (d, p, c, s, k) => proceed(d, c, p, k, s.meeting(p.meeting)!.quiet >= c.b.grace),
  describe: (from, to, p) => readText(from, to, p, 'reads recent activity', 'recent activity: keeps it'),
  to: STORE,
});

/**
 * Whether the final UPDATE finds the meeting occupied: a reservation lives
 * (conditional: serialized with /joining's transaction), or, with the second
 * look, the first empty look is not more than lag old (a sighting resets
 * it), or (fenced) a look has surely seen someone since this run decided.
 */
function occupied(s: State, p: RunParams, c: Setup): boolean {
  const m = s.meeting(p.meeting)!;
  if (c.design.deactivation === 'write') return false;
  // with no read of who is there, the UPDATE itself asks "had sessions, or end_date passed"
  if (!readsOccupancy(c) && !m.hadSessions && !m.expired) return true;
  const seen = stale(p) ? m.staleSeenSinceDecision : m.seenSinceDecision;
  const fenced = c.design.deactivation === 'conditional-fenced' && seen >= 1;
  return reserved(s, p.meeting) || (c.secondLook && m.emptyLook <= c.b.lag) || fenced;
}

/** Whether the fence's only sighting came in the tick of the decision, so a skewed clock may miss it (clock-skew). */
function onlyNearDecision(s: State, p: RunParams, c: Setup): boolean {
  if (c.design.deactivation !== 'conditional-fenced' || !c.fault('clock-skew')) return false;
  const m = s.meeting(p.meeting)!;
  const seen = stale(p) ? m.staleSeenSinceDecision : m.seenSinceDecision;
  return seen === 1 && !reserved(s, p.meeting) && !(c.secondLook && m.emptyLook <= c.b.lag);
}

const writeIndex = (c: Setup) => c.pmSteps.length - 1;
const readsOccupancy = (c: Setup) => c.design.processMeetings.some((r) => OCCUPANCY_READS.includes(r));

/** The deactivating UPDATE, as SQL, for the guide. */
function deactivationSql(c: Setup): string {
  const closing = c.design.roomDeletion !== 'never';
  const set = closing ? "SET state = 'closing', is_active = false" : 'SET is_active = false';
  if (c.design.deactivation === 'write') return `UPDATE meeting ${set} WHERE id = :id`;
  const where = [
    `id = :id AND ${closing ? "state = 'active'" : 'is_active'}`,
    ...(c.res !== null ? ['NOT EXISTS (SELECT 1 FROM meeting_reservation r WHERE r.meeting_id = :id AND r.expires_at > now())'] : []),
    ...(c.secondLook ? ['empty_since < now() - :lag'] : []),
    ...(c.design.deactivation === 'conditional-fenced' ? ['(last_seen_at IS NULL OR last_seen_at < :decided_at)'] : []),
    '(EXISTS (SELECT 1 FROM daily_participant_sessions s WHERE s.meeting_id = :id) OR end_date < now())',
  ];
  return `UPDATE meeting ${set}\n WHERE ${where.join('\n   AND ')}`;
}

export const pmDeactivates = presenceAction<RunParams>({
  name: 'pmDeactivates',
  models:
    'real: "Deactivation sets is_active = false." (option C: only if the counter is unchanged: a conditional UPDATE, one step.) ' +
    "'conditional': one conditional UPDATE on the meeting's row, which does nothing while a reservation of the meeting lives " +
    "(serialized with /joining's transaction), or, with the second look, while the first empty look is not more than lag old. " +
    "'conditional-fenced': the UPDATE also passes the time of the run's own decision and does nothing if a look has seen someone since.",
  domain: runs,
  params: runsInUse,
  fairness: () => 'weak',
  guard: (s, p, c) => at(s, p, writeIndex(c)),
  effect: (d, p, c, s) => {
    const m = s.meeting(p.meeting)!;
    const blocked = occupied(s, p, c);
    if (blocked || (countsJoins(c.design) && m.joinedSinceVersionRead)) {
      setProgress(d, c, p, 0);
      // (the atomic grain, as the project checked it until now: a blocked update also restarts the empty count)
      if (blocked && c.secondLook && c.design.look === 'atomic') d.meeting(p.meeting).emptyLook = -1;
      return;
    }
    deactivate(d, c, p.meeting, false);
  },
  describe: (from, to, p, c) => {
    const after = to.meeting(p.meeting);
    if (after === null || !after.active)
      return `${runName(p)} deactivates ${M(p.meeting)} (is_active = false; ${c.design.roomDeletion === 'never' ? 'its Daily room lives on' : 'closing: its Daily room is deleted next'})`;
    if (occupied(from, p, c)) {
      const m = from.meeting(p.meeting)!;
      const seen = stale(p) ? m.staleSeenSinceDecision : m.seenSinceDecision;
      const why = reserved(from, p.meeting)
        ? `a reservation of ${M(p.meeting)}`
        : c.secondLook && m.emptyLook <= c.b.lag
          ? m.emptyLook < 0
            ? 'that a look has seen someone since the empty one'
            : `that the first empty look is only ${m.emptyLook} ${m.emptyLook === 1 ? 'tick' : 'ticks'} old`
          : seen >= 1
            ? 'that a look has seen someone since this run decided'
            : !m.hadSessions && !m.expired
              ? 'that the meeting never had sessions'
              : 'the meeting occupied';
      return `${runName(p)}: the conditional update finds ${why}: keeps it`;
    }
    return `${runName(p)}: join counter changed, keeps it`;
  },
  explain: (s, p, c, trace) => explainAt(s, p, c, trace, writeIndex(c), 'pmDeactivates'),
  arrow: () => ({ from: WORKER, to: STORE, style: 'request' }),
  code: (c) => [
    {
      where: 'process_meetings(meeting), under its Redis lease meeting_process_lock:{id}',
      call: 'SQL',
      ...(c.design.deactivation === 'conditional-fenced'
        ? { clock: "now() and last_seen_at are the DB's; :decided_at is the worker's (clock-skew)" }
        : c.res !== null && c.design.deactivation !== 'write'
          ? { clock: "the DB's: expires_at > now() in the same statement" }
          : {}),
      text: deactivationSql(c),
      ...(c.design.roomDeletion !== 'never' ? { onAnswer: 'one row updated: delete its Daily room next; none: keep the meeting' } : {}),
    },
  ],
});

export const pmFenceMisjudged = presenceAction<RunParams>({
  name: 'pmFenceMisjudged',
  models:
    'fault clock-skew, real: "A value computed in the worker comes from the worker\'s clock, which can differ from the DB\'s." The fence ' +
    "compares `last_seen_at` (the DB's now()) with `:decided_at` (the worker's clock): a sighting in the very tick of the decision may " +
    'compare as earlier, and the UPDATE then deactivates.',
  when: (c) => c.fault('clock-skew') && c.design.deactivation === 'conditional-fenced',
  domain: runs,
  params: runsInUse,
  fairness: () => null,
  guard: (s, p, c) =>
    at(s, p, writeIndex(c)) && onlyNearDecision(s, p, c) && !(countsJoins(c.design) && s.meeting(p.meeting)!.joinedSinceVersionRead),
  effect: (d, p, c) => deactivate(d, c, p.meeting, false),
  describe: (_from, _to, p) =>
    `${runName(p)}: the conditional update compares last_seen_at with :decided_at across two clocks and finds the sighting older: deactivates ${M(p.meeting)}`,
  explain: (s, p, c, trace) => {
    const wrong = explainAt(s, p, c, trace, writeIndex(c), 'pmDeactivates');
    if (wrong !== null) return wrong;
    return onlyNearDecision(s, p, c) ? null : "no sighting came in the tick of the run's decision alone: the clocks cannot misorder it";
  },
  arrow: () => ({ from: WORKER, to: STORE, style: 'request' }),
});

export const pmLosesLock = presenceAction<MeetingParams>({
  name: 'pmLosesLock',
  models:
    'fault lock-lost, real: the per-meeting lock "is a *lease*: a background task extends it, and gives up silently on an error; there ' +
    'is no fencing token." The run goes on (its steps: run 2); the lock is free, so another run may start, and whatever waits for the lock goes ahead.',
  when: (c) => c.fault('lock-lost'),
  domain: (c) => c.meetings,
  params: meetingsInUse,
  fairness: () => 'environment',
  guard: (s, { meeting }) => {
    const m = s.meeting(meeting);
    return m !== null && m.worker > 0 && m.staleWorker === 0;
  },
  effect: (d, { meeting }) => {
    const m = d.meeting(meeting);
    m.staleWorker = m.worker;
    m.worker = 0;
    m.staleSeenSinceDecision = m.seenSinceDecision;
    m.seenSinceDecision = 0;
    m.staleDecidedNow = m.decidedNow;
    m.decidedNow = false;
    m.staleWorkerSaw = m.workerSaw;
    m.workerSaw = false;
  },
  describe: (_from, _to, { meeting }) =>
    `process_meetings(${M(meeting)}) loses its lock (its lease lapses); it goes on, and the lock is free`,
  explain: (s, { meeting }, _c, trace) => {
    const gone = meetingProblem(s, trace, meeting);
    if (gone !== null) return gone;
    const m = s.meeting(meeting)!;
    if (m.worker === 0) return `no run of process_meetings holds ${M(meeting)}'s lock`;
    return m.staleWorker === 0 ? null : `a run that lost ${M(meeting)}'s lock is still going (one at a time here)`;
  },
  arrow: () => ({ over: WORKER }),
});

/** Drops every tab in meeting `id`'s call (and, when the room is deleted, in a handshake with it): they ask for the meeting again. */
function dropTabs(d: Draft, s: State, id: number, handshakesToo: boolean, cuts: boolean): void {
  for (let i = 0; i < s.layout.slots; i++) {
    const t = s.tab(i);
    if (t.meeting !== id || !(inCall(t) || (handshakesToo && t.phase === 'handshaking'))) continue;
    const dt = d.tab(i);
    dt.phase = 'refused';
    dt.handshake = 0;
    dt.visible = false;
    dt.lag = 0;
    dt.hidden = false;
    dt.hiddenFor = 0;
    if (cuts && inCall(t) && !t.direct) dt.cut = true;
    dt.direct = false;
  }
}

export const pmDeletesRoom = presenceAction<MeetingParams>({
  name: 'pmDeletesRoom',
  models:
    "roomDeletion: after the deactivating UPDATE, the run (or, if it died, the next run on the closing meeting) deletes the meeting's " +
    'Daily room: real, "`delete_room` counts 404 as success". An HTTP call to Daily: it may fail and be retried; it happens in the end ' +
    '(weak fairness, per meeting). Deleting the room ends its call: everyone in it, or in a handshake with it, is dropped and asks again.',
  when: (c) => c.design.roomDeletion !== 'never',
  domain: (c) => c.meetings,
  params: meetingsInUse,
  fairness: () => 'weak',
  guard: (s, { meeting }) => {
    const m = s.meeting(meeting);
    return m?.closing === true && !m.roomGone;
  },
  effect: (d, { meeting }, _c, s) => {
    d.meeting(meeting).roomGone = true;
    dropTabs(d, s, meeting, true, !s.meeting(meeting)!.endedByOwner);
  },
  describe: (from, _to, { meeting }) => {
    const dropped: string[] = [];
    for (let i = 0; i < from.layout.slots; i++) {
      const t = from.tab(i);
      if (t.meeting === meeting && (inCall(t) || t.phase === 'handshaking'))
        dropped.push(`u${Math.floor(i / from.layout.tabsPerUser) + 1}#${(i % from.layout.tabsPerUser) + 1}`);
    }
    return `DELETE ${M(meeting)}'s Daily room${dropped.length > 0 ? `: ${dropped.join(', ')} dropped (will ask again)` : ''}`;
  },
  explain: (s, { meeting }, _c, trace) => {
    const gone = meetingProblem(s, trace, meeting);
    if (gone !== null) return gone;
    const m = s.meeting(meeting)!;
    if (!m.closing) return `${M(meeting)} is not closing`;
    return m.roomGone ? `${M(meeting)}'s Daily room is deleted already` : null;
  },
  arrow: () => ({ from: WORKER, to: DAILY, style: 'request' }),
  code: () => [
    {
      where: 'process_meetings(meeting), and every later run while the meeting is closing',
      call: 'HTTP',
      text: 'DELETE https://api.daily.co/v1/rooms/{name} (10 s timeout; 404 counts as done)',
      onAnswer: 'an error or timeout: stop; the next run on the closing meeting retries',
    },
  ],
});

export const pmMarksClosed = presenceAction<MeetingParams>({
  name: 'pmMarksClosed',
  models: 'roomDeletion: once the room is deleted, the meeting is closed (a DB UPDATE): the next get-or-create may make a new meeting.',
  when: (c) => c.design.roomDeletion !== 'never',
  domain: (c) => c.meetings,
  params: meetingsInUse,
  fairness: () => 'weak',
  guard: (s, { meeting }) => {
    const m = s.meeting(meeting);
    return m?.closing === true && m.roomGone;
  },
  effect: (d, { meeting }) => {
    d.meeting(meeting).closing = false;
  },
  describe: (_from, _to, { meeting }) => `${M(meeting)} closed (its Daily room is gone)`,
  explain: (s, { meeting }, _c, trace) => {
    const gone = meetingProblem(s, trace, meeting);
    if (gone !== null) return gone;
    const m = s.meeting(meeting)!;
    if (!m.closing) return `${M(meeting)} is not closing`;
    return m.roomGone ? null : `${M(meeting)}'s Daily room is not deleted yet (pmDeletesRoom first)`;
  },
  arrow: () => ({ from: WORKER, to: STORE, style: 'request' }),
  code: () => [
    { where: 'process_meetings(meeting)', call: 'SQL', text: "UPDATE meeting SET state = 'closed' WHERE id = :id AND state = 'closing'" },
  ],
});

const ownerOf = (c: Setup) => c.design.ownerDeactivate;
const twoStepOwner = (c: Setup) => ownerOf(c) === 'ejects' || ownerOf(c) === 'ends-call';

export const ownerEnds = presenceAction<MeetingParams>({
  name: 'ownerEndsMeeting',
  models:
    'fault owner-deactivate, real: "The owner\'s `PATCH /meetings/{id}/deactivate` sets `is_active = false` with no lock and no look at ' +
    "pending joins.\" With ownerDeactivate 'ejects' its first call is POST /rooms/{name}/eject (everyone in the call is dropped; a " +
    "handshake in progress still lands in the room); 'ends-call', DELETE /rooms/{name} (everyone dropped, no handshake gets in); then " +
    "the UPDATE (ownerDeactivates). 'deactivate' is the UPDATE itself (with roomDeletion the meeting is then closing, and its room is " +
    'deleted as a deactivated one is).',
  when: (c) => c.fault('owner-deactivate'),
  domain: (c) => c.meetings,
  params: meetingsInUse,
  fairness: () => 'environment',
  guard: (s, { meeting }) => {
    const m = s.meeting(meeting);
    return m?.active === true && !m.ownerEnding;
  },
  effect: (d, { meeting }, c, s) => {
    const how = ownerOf(c);
    if (how === 'ejects' || how === 'ends-call') {
      if (how === 'ends-call') d.meeting(meeting).roomGone = true;
      dropTabs(d, s, meeting, how === 'ends-call', false);
      d.meeting(meeting).ownerEnding = true;
      return;
    }
    deactivate(d, c, meeting, true);
  },
  describe: (_from, _to, { meeting }, c) => {
    const m = M(meeting);
    switch (ownerOf(c)) {
      case 'ejects':
        return `the room's owner ends ${m}: POST eject (everyone in its call is dropped and asks again); the UPDATE comes next`;
      case 'ends-call':
        return `the room's owner ends ${m}: its Daily room is deleted (everyone in it is dropped and asks again); the UPDATE comes next`;
      default:
        return c.design.roomDeletion !== 'never'
          ? `the room's owner ends ${m}: it is closing (its Daily room is deleted next)`
          : `the room's owner deactivates ${m} (PATCH /meetings/${m}/deactivate)`;
    }
  },
  explain: (s, { meeting }, _c, trace) => {
    const gone = meetingProblem(s, trace, meeting);
    if (gone !== null) return gone;
    const m = s.meeting(meeting)!;
    if (!m.active) return `${M(meeting)} is inactive already`;
    return m.ownerEnding ? `the owner is ending ${M(meeting)} already (ownerDeactivates next)` : null;
  },
  arrow: (_p, c) => (twoStepOwner(c) ? { from: BACKEND, to: DAILY, style: 'request' } : { from: BACKEND, to: STORE, style: 'request' }),
});

export const ownerDeactivates = presenceAction<MeetingParams>({
  name: 'ownerDeactivates',
  models: "The owner's end-meeting, after its Daily call (eject, or delete the room): the UPDATE is_active = false.",
  when: (c) => c.fault('owner-deactivate') && twoStepOwner(c),
  domain: (c) => c.meetings,
  params: meetingsInUse,
  fairness: () => 'weak',
  guard: (s, { meeting }) => s.meeting(meeting)?.ownerEnding === true,
  effect: (d, { meeting }, c) => {
    d.meeting(meeting).ownerEnding = false;
    if (d.meeting(meeting).active) deactivate(d, c, meeting, true);
  },
  describe: (_from, _to, { meeting }) => `the owner's end-meeting deactivates ${M(meeting)} (is_active = false)`,
  explain: (s, { meeting }, _c, trace) =>
    meetingProblem(s, trace, meeting) ?? (s.meeting(meeting)!.ownerEnding ? null : `the owner is not ending ${M(meeting)}`),
  arrow: () => ({ from: BACKEND, to: STORE, style: 'request' }),
});

export const PM_ACTIONS: readonly PresenceAction<RunParams>[] = [
  pmReadsVersion,
  pmReadsSessions,
  pmReadsPresence,
  pmPresenceApiFails,
  pmRecordsLook,
  pmReadsPendingJoins,
  pmReadsRecentActivity,
  pmDeactivates,
  pmFenceMisjudged,
];

export const CLOSING_ACTIONS: readonly PresenceAction<MeetingParams>[] = [
  pmLosesLock,
  pmDeletesRoom,
  pmMarksClosed,
  ownerEnds,
  ownerDeactivates,
];

export { live };
