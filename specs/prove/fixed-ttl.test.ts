// fixed-ttl, the first fix (Redis keys checked under the lock), at 2 users:
// it holds at lag 0, and each of its four differences from the design doc's
// option B is needed: drop any one and the checker finds a split. The
// verdicts come from the model: the same test code gives 'holds' for
// fixed-ttl and 'violated' for each ablation. (About a minute and a half on
// one thread: moved here from specs/model/presence.test.ts, which keeps
// fixed-ttl's 1-user proofs, to keep `npm test` near 5 minutes.)
import { describe, expect, it } from 'vitest';
import { check } from '../../checker/index.ts';
import { designByName, presenceModel, type Bounds, type Design } from '../../model/index.ts';
import { expectProof, MINUTES } from './prove-fixed.ts';
const run = (design: Design | string, bounds: Partial<Bounds>) => check(presenceModel(design, bounds), { maxStates: 20_000_000 });

describe('fixed-ttl at 2 users', () => {
  it(
    'holds at 2 users, lag 0, and is not vacuous',
    () => {
      // (safety: presenceModel leaves liveness out by default)
      expectProof(run('fixed-ttl', { users: 2, lag: 0 }), false);
    },
    10 * MINUTES,
  );

  const fixed = designByName('fixed-ttl')!;
  const ablations: [string, Design][] = [
    [
      '/joining without the is_active check under the lock',
      { ...fixed, name: 'ablation', reservation: { ...fixed.reservation!, checksActive: 'never' } },
    ],
    ['/joined deleting the key', { ...fixed, name: 'ablation', reservation: { ...fixed.reservation!, joinedDeletesKey: true } }],
    ['presence read before pending joins', { ...fixed, name: 'ablation', processMeetings: ['presence-else-skip', 'pending-joins'] }],
    [
      'falling back to DB sessions when the presence API fails',
      { ...fixed, name: 'ablation', processMeetings: ['pending-joins', 'presence-else-sessions'] },
    ],
  ];
  it.each(ablations)(
    'is violated without its change: %s',
    (_what, design) => {
      const lag = design.reservation!.joinedDeletesKey ? 1 : 0;
      expect(run(design, { users: 2, lag }).verdict).toBe('violated');
    },
    10 * MINUTES,
  );
});
