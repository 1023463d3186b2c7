// clock-skew has a design it breaks: two-looks, whose fence compares
// `last_seen_at` (the DB's now()) with `:decided_at` (the worker's clock).
// Under lock-lost and presence-flap, even with presence flaps bounded to one
// tick, once a connection (--flap-ticks 1 --flaps 1), two-looks holds at
// 2 users × 1 tab × lag 1; with the clocks allowed to differ by less than a
// tick it is violated: a run decides, a poll sees u2 in the same tick, the
// run loses its lock, another run's looks (u2 hidden at the first) make the
// empty count old enough, and the stale run's fence, misordering the
// sighting against its decision, deactivates M1 under u2. About a minute on
// one thread (2.7M states in all), so here rather than in specs/model.
import { describe, expect, it } from 'vitest';
import { check } from '../../checker/index.ts';
import { presenceModel, type FaultName } from '../../model/index.ts';
import { MINUTES } from './prove-fixed.ts';

const bounds = { users: 2, tabs: 1, lag: 1 };
const faultBounds = { flapTicks: 1, flaps: 1 };
const run = (faults: FaultName[]) => check(presenceModel('two-looks', bounds, { faults, faultBounds }), { maxStates: 30_000_000 });

describe('clock-skew breaks two-looks', () => {
  it(
    'under lock-lost + presence-flap (one flap of one tick a connection) at 2 users × 1 tab × lag 1: holds without clock-skew, violated with it',
    () => {
      const without = run(['lock-lost', 'presence-flap']);
      expect([without.verdict, without.limit]).toEqual(['holds', null]);
      expect(without.vacuity).toEqual({ unreachedWitnesses: [], unfiredActions: [] });

      const skewed = run(['lock-lost', 'presence-flap', 'clock-skew']);
      expect([skewed.verdict, skewed.property, skewed.trace.length - 1]).toEqual(['violated', 'no-orphaned-call', 28]);
      const steps = skewed.trace.slice(1);
      const last = steps.length - 1;
      // the deactivation is the stale run's misjudged fence, right before the next get-or-create
      expect([steps[last - 1].action, steps[last - 1].params.run, steps[last].action]).toEqual([
        'pmFenceMisjudged',
        2,
        'getOrCreateMeeting',
      ]);
      // the run lost its lock after its decision, and a poll had seen u2 in the tick of that decision
      const lost = steps.findIndex((s) => s.action === 'pmLosesLock');
      expect(lost).toBeGreaterThan(0);
      const before = skewed.trace[lost].state.meeting(1)!;
      expect([before.seenSinceDecision, before.decidedNow]).toEqual([1, true]);
      expect(steps.filter((s) => s.action === 'presenceHides')).toHaveLength(1);
    },
    10 * MINUTES,
  );
});
