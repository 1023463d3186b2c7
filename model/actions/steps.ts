// The shape of a design's worker runs, as lists of steps: what a
// process_meetings run does, one await at a time, and which writes a poll
// makes after its read. The progress counters in the state (a meeting's
// `worker`, `staleWorker`, `pollStep`) index these lists.
import type { PmRead, Switches } from '../designs.ts';

/**
 * A step of process_meetings: one of the design's reads (an HTTP call or a
 * DB statement), the statement that records a second look (look:
 * 'statements'), or the final UPDATE.
 */
export type PmStep = { readonly kind: 'read'; readonly read: PmRead } | { readonly kind: 'record-look' } | { readonly kind: 'write' };

export function pmStepsOf(design: Switches): readonly PmStep[] {
  const steps: PmStep[] = [];
  for (const read of design.processMeetings) {
    steps.push({ kind: 'read', read });
    if (read === 'presence-second-look' && design.look === 'statements') steps.push({ kind: 'record-look' });
  }
  steps.push({ kind: 'write' });
  return steps;
}

/** A poll's DB write after its read: its sessions, the reservations it clears, the sighting it records. */
// what a poll writes is a property of the design (designs.ts refuses a clash by it)
export { pollWritesOf, type PollWrite } from '../designs.ts';
