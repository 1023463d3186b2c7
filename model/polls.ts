// A meeting's queued presence polls. Nothing forces a queued task to run, so
// in the real system they can pile up without bound; the model counts them,
// per remaining delay, as 0, 1 or "several" (the classic counter
// abstraction). Running one of several leaves several; a separate step may
// drop one (several -> 1), standing for a copy that never runs. Every real
// sequence of runs is still possible, so no violation is missed; the only
// extra freedom is a poll run more often than it was queued, which a poll of
// the same meeting queued by anyone else allows anyway.
//
// Packed in one number: 2 bits per delay d = 0..15 (bits 2d, 2d+1).

export type PollQueue = number;
export const NO_POLLS: PollQueue = 0;
/** the longest delay a queue holds (2 bits for each of 0..15: 32 bits) */
export const MAX_DELAY = 15;
export const SEVERAL = 2;

export function queued(q: PollQueue, delay: number): number {
  return Math.floor(q / 4 ** delay) % 4;
}

export function enqueue(q: PollQueue, delay: number): PollQueue {
  const m = queued(q, delay);
  return m >= SEVERAL ? q : q + 4 ** delay;
}

/** How many polls are due: 0, 1 or SEVERAL. */
export function due(q: PollQueue): number {
  return q % 4;
}

/** Takes one due poll: one becomes none, several stay several. */
export function takeDue(q: PollQueue): PollQueue {
  return due(q) === 1 ? q - 1 : q;
}

/** several due -> one due */
export function dropDuplicate(q: PollQueue): PollQueue {
  return due(q) === SEVERAL ? q - 1 : q;
}

/** One tick: every delay shrinks by one; what was due and what becomes due merge. */
export function tickPolls(q: PollQueue): PollQueue {
  if (q < 4) return q;
  const merged = Math.min(SEVERAL, due(q) + queued(q, 1));
  return Math.floor(q / 16) * 4 + merged;
}

/** e.g. ['due', 'in 3 (several)'] */
export function describePolls(q: PollQueue): string[] {
  const out: string[] = [];
  for (let d = 0; d <= MAX_DELAY; d++) {
    const m = queued(q, d);
    if (m === 0) continue;
    out.push(`${d === 0 ? 'due' : `in ${d}`}${m === SEVERAL ? ' (several)' : ''}`);
  }
  return out;
}
