// The proof the tool exists for: `fixed` holds at every bound up to 3 users ×
// lag 2, and no run is vacuous. 1 user × lag 0-2 and 2 users × lag 0 are in
// presence.test.ts; these are the large ones (8 to 48 million states each),
// searched on every core (checker/parallel.ts, which gives the one-thread
// result). At 3 users each user has one live tab at a time (--tabs 1; a
// closed tab's slot is reused once Daily, the DB and Redis forget it): with
// two, 3 users are beyond a CI run (65M states at depth 29 of 50-odd after
// 20 minutes); a user's own quick rejoin is proved at 2 users × 2 tabs.
import { availableParallelism } from 'node:os';
import { describe, expect, it } from 'vitest';
import { checkParallel, type ModelSource } from '../../checker/index.ts';

const MINUTES = 60_000;

describe('fixed: the proof up to 3 users × lag 2', () => {
  it.each([
    [2, 2, 1],
    [2, 2, 2],
    [3, 1, 0],
    [3, 1, 1],
    [3, 1, 2],
  ])(
    'holds at %i users × %i tabs × lag %i, reaching every witness and firing every action',
    async (users, tabs, lag) => {
      const source: ModelSource = {
        module: new URL('../../model/index.ts', import.meta.url).href,
        export: 'presenceModel',
        args: ['fixed', { users, tabs, lag }],
      };
      const r = await checkParallel(source, {
        workers: availableParallelism(),
        // a cap far above these searches (48M at most): a model change that
        // blows the state space up fails here instead of filling the machine
        maxStates: 150_000_000,
      });
      expect(r.verdict).toBe('holds');
      expect(r.vacuity).toEqual({ unreachedWitnesses: [], unfiredActions: [] });
      expect(r.properties.filter((p) => p.kind === 'sometimes').every((p) => p.status === 'reached')).toBe(true);
    },
    40 * MINUTES,
  );
});
