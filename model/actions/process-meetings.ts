// process_meetings on one meeting, under its per-meeting lock: the reads a
// design does before it deactivates, one await each, then the is_active
// write. Any read can end the run with "keep". With the fault lock-lost, a
// run may lose its lock and go on (the "stale" run) while another starts;
// with owner-deactivate, the room's owner may deactivate a meeting at any time.
import type { Params, TraceStep } from '../../checker/index.ts';
import { countsJoins, type PmRead } from '../designs.ts';
import { inCall, someTab, type Meeting, type State } from '../state.ts';
import type { Context, Act, MeetingParams } from './context.ts';
import { arrow, BACKEND, DAILY, meetingName as M, STORE, WORKER } from './context.ts';

/** process_meetings' actions for each read, in the order they are declared. */
export const PM_ACTIONS: Readonly<Record<PmRead, readonly string[]>> = {
  sessions: ['pmReadsSessions'],
  'presence-else-sessions': ['pmReadsPresence', 'pmPresenceApiFails'],
  'presence-else-skip': ['pmReadsPresence', 'pmPresenceApiFails'],
  'presence-second-look': ['pmReadsPresence', 'pmPresenceApiFails'],
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

/** A step of a run: on which meeting, and (with lock-lost, its `run` parameter) which run: 2 is the one that lost its lock. */
type RunParams = MeetingParams;

export function processMeetingsActions(c: Context): Act<MeetingParams>[] {
  const { design, b } = c;
  const reads = design.processMeetings;
  const lockLost = c.fault('lock-lost');
  // with lock-lost, each step says which run takes it (1: the lock's holder, 2: the run that lost it)
  const bindings: RunParams[] = lockLost
    ? c.meetings.flatMap(({ meeting }) => [
        { meeting, run: 1 },
        { meeting, run: 2 },
      ])
    : c.meetings;
  const stale = (p: RunParams) => p.run === 2;
  const bindingsIn = c.perMeeting(bindings, lockLost ? 2 : 1);
  const progressOf = (m: Meeting, p: RunParams) => (stale(p) ? m.staleWorker : m.worker);
  /** the run's progress set to k (0: it ended; a run that ends, or decides again, forgets what was seen since its decision) */
  const withProgress = (m: Meeting, p: RunParams, k: number) =>
    stale(p)
      ? m.with({ staleWorker: k, ...(k < c.decidedAt ? { staleSeenSinceDecision: false } : {}) })
      : m.with({ worker: k, ...(k < c.decidedAt ? { seenSinceDecision: false } : {}) });
  const runName = (p: RunParams) =>
    stale(p) ? `process_meetings(${M(p.meeting)}, the run that lost its lock)` : `process_meetings(${M(p.meeting)})`;

  // real: "process_meetings (every 60 s, per active meeting, under a
  // per-meeting lock)": a run may start at any moment, one at a time per
  // meeting; each read and the final write are separate awaits, so anything
  // may happen between them. "If has_active: keep. Else if has_had:
  // deactivate. Else if now > end_date: deactivate. Else keep (not started
  // yet)." end_date is hours after creation, beyond every bound here, so that
  // branch keeps, but for a meeting meeting-rollover left behind.
  /** the run is at read k (0 = starting: the meeting must be active and unlocked; a stale run never starts) */
  const at = (s: State, p: RunParams, k: number) => {
    const m = s.meeting(p.meeting);
    if (m === null) return false;
    if (stale(p)) return k > 0 && m.staleWorker === k;
    return m.worker === k && (k > 0 || m.active);
  };
  const proceed = (s: State, p: RunParams, k: number, go: boolean): State =>
    c.setMeeting(s, p.meeting, (m) => withProgress(m, p, go ? k + 1 : 0));
  const hasOpenSession = (s: State, meeting: number) => someTab(s, (t) => t.meeting === meeting && t.sessionOpen);
  const shownByPresence = (s: State, meeting: number) => someTab(s, (t) => t.meeting === meeting && t.visible);
  const reserved = (s: State, meeting: number) => someTab(s, (t) => t.meeting === meeting && t.pendingJoin >= 0);
  /** "If has_active: keep. Else if has_had: deactivate. Else if now > end_date: deactivate. Else ... keep." */
  const nobodyButHad = (s: State, meeting: number, hasActive: boolean) => {
    const m = c.meetingOf(s, meeting);
    return !hasActive && (m.hadSessions || m.expired);
  };

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

  /** Why the step of read k (k = reads.length: the write) is not enabled, or null. */
  const explainAt =
    (k: number, name: string) =>
    (trace: readonly TraceStep<State>[], params: MeetingParams): string | null => {
      const p = params as RunParams;
      const meeting = p.meeting;
      const gone = meetingProblem(trace, meeting);
      if (gone !== null) return gone;
      const m = c.last(trace).meeting(meeting)!;
      const w = progressOf(m, p);
      if (stale(p)) {
        if (w === 0) return `no run of process_meetings on ${M(meeting)} has lost its lock (pmLosesLock comes first)`;
        return w === k
          ? null
          : `the run that lost its lock is ${pmProgress(w, reads.length)}: its next step is ${pmNext(w, reads)} ${M(meeting)}`;
      }
      if (k === 0) {
        if (!m.active) return `${M(meeting)} is inactive: process_meetings only runs on active meetings`;
        if (w === 0) return null;
        return `process_meetings is already running on ${M(meeting)} (${pmProgress(w, reads.length)}): its next step is ${pmNext(w, reads)} ${M(meeting)}`;
      }
      if (w === k) return null;
      const what =
        k === reads.length ? `about to deactivate ${M(meeting)}` : `at its read ${k + 1} of ${reads.length} (${name}) on ${M(meeting)}`;
      if (w === 0) return `process_meetings is not ${what} (it is idle${pmHistory(trace, meeting)})`;
      return `process_meetings is not ${what} (${pmProgress(w, reads.length)}: its next step is ${pmNext(w, reads)} ${M(meeting)})`;
    };

  /** "process_meetings(M1) reads presence: nobody there, had sessions: go on" */
  const readText =
    (
      read: string,
      keptWhy: (from: State, meeting: number, to: State) => string,
      goOn = 'go on',
    ): NonNullable<Act<MeetingParams>['describe']> =>
    ({ from, params }, to) => {
      const p = params as RunParams;
      const kept = progressOf(to.meeting(p.meeting) ?? c.meetingOf(from, p.meeting), p) === 0;
      return `${runName(p)} ${read}: ${kept ? keptWhy(from, p.meeting, to) : goOn}`;
    };
  /** a read that found nobody goes on; one that found somebody (or a meeting nobody joined yet) keeps it */
  const sawNobody = (read: string) =>
    readText(
      read,
      (from, meeting) => (from.meeting(meeting)!.hadSessions ? 'someone is there: keeps it' : 'never had sessions: keeps it'),
      'nobody there, had sessions: go on',
    );
  /** the second look: why a run that found nobody still keeps the meeting */
  const secondLookText = readText(
    'reads presence',
    (from, meeting, to) => {
      const before = from.meeting(meeting)!;
      const after = to.meeting(meeting)!;
      if (!before.hadSessions && !before.expired) return 'never had sessions: keeps it';
      if (after.emptyLook === 0 && before.emptyLook !== 0)
        return 'nobody there: a first look, keeps it until a second one more than a lag later';
      if (after.emptyLook === -1) return 'someone is there: keeps it';
      return `nobody there, but the first empty look was only ${before.emptyLook} ${before.emptyLook === 1 ? 'tick' : 'ticks'} ago: keeps it`;
    },
    'nobody there, and nobody at a look more than a lag ago either: go on',
  );

  const actions: Act<MeetingParams>[] = [];
  reads.forEach((read: PmRead, k: number) => {
    const step = (
      name: string,
      effect: (s: State, p: RunParams) => State,
      describe: NonNullable<Act<MeetingParams>['describe']>,
      to: string,
    ): Act<MeetingParams> => ({
      name,
      params: bindingsIn,
      domain: bindings,
      // real: "Runs periodically (every 60s via Celery beat)": a run starts, and goes on, in the end; the
      // presence API answers in the end (pmPresenceApiFails may come first, but not forever)
      ...(name === 'pmPresenceApiFails' ? {} : { fairness: { kind: name === 'pmReadsPresence' ? 'strong' : 'weak', per: [] } as const }),
      guard: (s, p) => at(s, p, k),
      effect: (s, p) => effect(s, p),
      describe,
      explain: explainAt(k, name),
      arrow: () => arrow(WORKER, to === DAILY && name === 'pmPresenceApiFails' ? 'lost' : 'request', to),
    });
    switch (read) {
      case 'join-counter':
        // doc option C: "Each join attempt increments a version. Deactivation
        // only proceeds if version hasn't changed since presence check."
        actions.push(
          step(
            'pmReadsVersion',
            (s, p) => c.setMeeting(s, p.meeting, (m) => withProgress(m, p, k + 1).set('joinedSinceVersionRead', false)),
            ({ params }) => `${runName(params as RunParams)} reads the join counter`,
            STORE,
          ),
        );
        break;
      case 'sessions':
        // real: "main branch: reads DB sessions; has_active = any open session, has_had = any session."
        actions.push(
          step(
            'pmReadsSessions',
            (s, p) => proceed(s, p, k, nobodyButHad(s, p.meeting, hasOpenSession(s, p.meeting))),
            sawNobody('reads DB sessions'),
            STORE,
          ),
        );
        break;
      case 'presence-else-sessions':
      case 'presence-else-skip':
        // doc: "presence = await client.get_room_presence(...);
        // has_active_sessions = presence.total_count > 0 ... except
        // Exception: ... falling back to DB sessions" (fail loudly:
        // "continue  # Don't deactivate if we can't verify"). The failed call
        // changes nothing, so failing and reading the DB are one step.
        actions.push(
          step(
            'pmReadsPresence',
            (s, p) => proceed(s, p, k, nobodyButHad(s, p.meeting, shownByPresence(s, p.meeting))),
            sawNobody('reads presence'),
            DAILY,
          ),
        );
        actions.push(
          step(
            'pmPresenceApiFails',
            (s, p) => proceed(s, p, k, read === 'presence-else-sessions' && nobodyButHad(s, p.meeting, hasOpenSession(s, p.meeting))),
            read === 'presence-else-skip'
              ? readText('presence API fails', () => 'cannot verify: keeps it')
              : sawNobody('presence API fails, reads DB sessions'),
            DAILY,
          ),
        );
        break;
      case 'presence-second-look':
        // A flap hides a participant for at most `lag` ticks (presence-flap),
        // so two looks that both find the room empty, more than `lag` ticks
        // apart with no look between them that saw someone, cannot both be
        // the same flap. The first empty look keeps the meeting and starts
        // the count (tick counts it up); a look that sees someone resets it.
        actions.push(
          step(
            'pmReadsPresence',
            (s, p) => {
              const shown = shownByPresence(s, p.meeting);
              const m = c.meetingOf(s, p.meeting);
              if (!nobodyButHad(s, p.meeting, shown))
                return c.setMeeting(s, p.meeting, (x) => (shown ? c.sighting(withProgress(x, p, 0)) : withProgress(x, p, 0)));
              if (m.emptyLook > b.lag) return proceed(s, p, k, true);
              return c.setMeeting(s, p.meeting, (x) => withProgress(x, p, 0).set('emptyLook', Math.max(x.emptyLook, 0)));
            },
            secondLookText,
            DAILY,
          ),
        );
        actions.push(
          step(
            'pmPresenceApiFails',
            (s, p) => proceed(s, p, k, false),
            readText('presence API fails', () => 'cannot verify: keeps it'),
            DAILY,
          ),
        );
        break;
      case 'pending-joins':
        // doc: "pending = await pending_joins.get_recent(meeting_id, ...); if
        // pending: ... skipping deactivation"; real: "before deactivating,
        // skip if any pending join exists for it."
        actions.push(
          step(
            'pmReadsPendingJoins',
            (s, p) => proceed(s, p, k, !reserved(s, p.meeting)),
            readText('reads pending joins', () => 'some pending: keeps it'),
            STORE,
          ),
        );
        break;
      case 'recent-activity':
        // doc option A: "recent_activity = await get_recent_activity(meeting_id,
        // within_seconds=GRACE_PERIOD_SECONDS); if recent_activity: continue".
        // Activity = a session row written (joined_at or left_at) in the window.
        actions.push(
          step(
            'pmReadsRecentActivity',
            (s, p) => proceed(s, p, k, c.meetingOf(s, p.meeting).quiet >= b.grace),
            readText('reads recent activity', () => 'recent activity: keeps it'),
            STORE,
          ),
        );
        break;
    }
  });
  // real: "Deactivation sets is_active = false." (option C: only if the
  // counter is unchanged: a conditional UPDATE, one step.) 'conditional':
  // one conditional UPDATE on the meeting's row, which does nothing while a
  // reservation of the meeting lives (serialized with /joining's
  // transaction), or, with the second look, once a look (a poll's or a run's)
  // has seen someone since the first empty one (the count is on the row).
  // 'conditional-fenced': the update also passes the time of the run's own
  // decision and does nothing if a look has seen someone since (the row's
  // last_seen_at is later), whatever later empty looks (another run's, after
  // a lost lock) have made of the count.
  const conditional = design.deactivation !== 'write';
  const secondLook = reads.includes('presence-second-look');
  const seenSinceDecision = (m: Meeting, p: RunParams) => c.fenced && (stale(p) ? m.staleSeenSinceDecision : m.seenSinceDecision);
  const occupied = (s: State, p: RunParams) => {
    const m = c.meetingOf(s, p.meeting);
    return reserved(s, p.meeting) || (secondLook && m.emptyLook <= b.lag) || seenSinceDecision(m, p);
  };
  actions.push({
    name: 'pmDeactivates',
    params: bindingsIn,
    domain: bindings,
    fairness: { kind: 'weak', per: [] },
    guard: (s, p) => at(s, p, reads.length),
    effect: (s, params) => {
      const p = params as RunParams;
      const blocked = conditional && occupied(s, p);
      return c.setMeeting(s, p.meeting, (m) => {
        const done = withProgress(m, p, 0);
        if ((countsJoins(design) && m.joinedSinceVersionRead) || blocked) return blocked ? done.set('emptyLook', -1) : done;
        return done.with({ active: false, worker: 0, staleWorker: 0 });
      });
    },
    describe: ({ from, params }, to) => {
      const p = params as RunParams;
      const after = to.meeting(p.meeting);
      if (after === null || !after.active) return `${runName(p)} deactivates ${M(p.meeting)} (is_active = false; its Daily room lives on)`;
      if (conditional && occupied(from, p)) {
        const m = c.meetingOf(from, p.meeting);
        const why = reserved(from, p.meeting)
          ? `a reservation of ${M(p.meeting)}`
          : seenSinceDecision(m, p)
            ? 'that a look has seen someone since this run decided'
            : 'that a look has seen someone since the empty ones';
        return `${runName(p)}: the conditional update finds ${why}: keeps it`;
      }
      return `${runName(p)}: join counter changed, keeps it`;
    },
    explain: explainAt(reads.length, 'pmDeactivates'),
    arrow: () => arrow(WORKER, 'request', STORE),
  });

  if (lockLost) {
    // fault lock-lost, real: the per-meeting lock "is a *lease*: a background
    // task extends it, and gives up silently on an error; there is no fencing
    // token." The run goes on (its steps: run 2); the lock is free, so
    // another run may start, and whatever waits for the lock goes ahead.
    actions.push({
      name: 'pmLosesLock',
      params: c.meetingsIn,
      domain: c.meetings,
      ...c.environment,
      guard: (s, { meeting }) => {
        const m = s.meeting(meeting);
        return m !== null && m.worker > 0 && m.staleWorker === 0;
      },
      effect: (s, { meeting }) =>
        c.setMeeting(s, meeting, (m) =>
          m.with({ staleWorker: m.worker, worker: 0, staleSeenSinceDecision: m.seenSinceDecision, seenSinceDecision: false }),
        ),
      describe: ({ params }) =>
        `process_meetings(${M(params.meeting as number)}) loses its lock (its lease lapses); it goes on, and the lock is free`,
      explain: (trace, { meeting }) => {
        const gone = meetingProblem(trace, meeting);
        if (gone !== null) return gone;
        const m = c.last(trace).meeting(meeting)!;
        if (m.worker === 0) return `no run of process_meetings holds ${M(meeting)}'s lock`;
        return m.staleWorker === 0 ? null : `a run that lost ${M(meeting)}'s lock is still going (one at a time here)`;
      },
      arrow: () => ({ over: WORKER }),
    });
  }

  if (c.fault('owner-deactivate')) {
    // fault owner-deactivate, real: "The owner's `PATCH
    // /meetings/{id}/deactivate` sets `is_active = false` with no lock and no
    // look at pending joins."
    actions.push({
      name: 'ownerDeactivates',
      params: c.meetingsIn,
      domain: c.meetings,
      ...c.environment,
      guard: (s, { meeting }) => s.meeting(meeting)?.active === true,
      effect: (s, { meeting }) => {
        if (design.ownerDeactivate === 'ends-call') {
          // the Daily room is deleted first: whoever is in its call, or in a handshake with it, is out, and asks again
          for (let i = 0; i < s.tabs.length; i++) {
            const t = s.tabs[i];
            if (t.meeting === meeting && (t.phase === 'handshaking' || inCall(t))) {
              s = s.withTab(i, t.with({ phase: 'refused', handshake: 0, visible: false, lag: 0 }));
            }
          }
        }
        return c.setMeeting(s, meeting, (m) => m.with({ active: false, worker: 0, staleWorker: 0 }));
      },
      describe: ({ params }) => {
        const m = M(params.meeting as number);
        return design.ownerDeactivate === 'ends-call'
          ? `the room's owner ends ${m}: its Daily room is deleted (everyone in it is dropped and asks again), then ${m} is deactivated`
          : `the room's owner deactivates ${m} (PATCH /meetings/${m}/deactivate)`;
      },
      explain: (trace, { meeting }) =>
        meetingProblem(trace, meeting) ?? (c.last(trace).meeting(meeting)!.active ? null : `${M(meeting)} is inactive already`),
      arrow: () => ({ from: BACKEND, to: STORE, style: 'request' }),
    });
  }
  return actions;
}

export type { Params };
