// What a look at presence leaves in the DB, for the designs that remember
// looks (presence-second-look, conditional-fenced): a look that saw someone
// (a poll's or a run's) is a sighting; a run's look that saw nobody starts
// the empty count (empty_since). Written once, for the polls and for
// process_meetings.
import type { TraceStep } from '../../checker/index.ts';
import type { Draft, State } from '../state.ts';
import { meetingName as M, type Setup } from './setup.ts';

/** The fence's value for a sighting now: 1 if it is in the tick a run decided and the clocks may differ (clock-skew), else the sure value. */
export const sureSighting = (c: Setup) => (c.fault('clock-skew') ? 2 : 1);

/**
 * A look saw someone: `UPDATE meeting SET last_seen_at = now(), empty_since
 * = NULL`. The second-look count restarts, and (conditional-fenced) a run
 * that has already decided will find, in its UPDATE, that someone was seen
 * since (last_seen_at > :decided_at): surely, unless the sighting is in the
 * very tick of the decision and the worker's clock may run ahead of the DB's.
 */
export function recordSighting(d: Draft, c: Setup, id: number): void {
  const m = d.meeting(id);
  if (c.secondLook) m.emptyLook = -1;
  if (c.design.deactivation !== 'conditional-fenced') return;
  const sure = sureSighting(c);
  if (m.worker >= c.decidedAt && m.worker > 0) m.seenSinceDecision = Math.max(m.seenSinceDecision, m.decidedNow ? 1 : sure);
  if (m.staleWorker >= c.decidedAt && m.staleWorker > 0)
    m.staleSeenSinceDecision = Math.max(m.staleSeenSinceDecision, m.staleDecidedNow ? 1 : sure);
}

/** A run's look saw nobody: `UPDATE meeting SET empty_since = COALESCE(empty_since, now())`. */
export function recordEmptyLook(d: Draft, id: number): void {
  const m = d.meeting(id);
  m.emptyLook = Math.max(m.emptyLook, 0);
}

/** Why meeting `id` cannot be acted on in `s` (gone, or never made), or null. */
export function meetingProblem(s: State, trace: readonly TraceStep<State>[], id: number): string | null {
  if (s.meeting(id) !== null) return null;
  const all: string[] = [];
  for (let k = 1; k <= s.layout.meetingIds; k++) if (s.meeting(k) !== null) all.push(M(k));
  if (trace.some((step) => step.state.meeting(id) !== null))
    return `${M(id)} is gone: it was closed and no tab refers to it any more (a new meeting would reuse its id)`;
  return `${M(id)} does not exist yet (${all.length === 0 ? 'no meeting exists' : `meetings: ${all.join(', ')}`}; getOrCreateMeeting creates the next one)`;
}

/** Whether the meeting is open to the workers: active, or closing (its room's deletion pending). */
export function live(s: State, id: number): boolean {
  const m = s.meeting(id);
  return m !== null && (m.active || m.closing);
}

/** Meeting bindings for the meetings in use in a state: the first `per`×top of `list`, each prefix made once. */
export function perMeeting<P>(c: Setup, list: readonly P[], per: number): (s: State) => readonly P[] {
  // frozen: the checker then checks each list once, not on every state
  const prefixes = Array.from({ length: c.layout.meetingIds + 1 }, (_, n) => Object.freeze(list.slice(0, per * n)));
  return (s) => prefixes[s.topMeeting()];
}
