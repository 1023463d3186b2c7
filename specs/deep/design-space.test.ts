// Every accepted combination of the switches a clash can involve runs to a
// verdict. The reader accepts some 40 million designs in all
// (specs/model/design-space.ts: 17,664 accepted combinations of the
// switches designClash reads, times the switches it does not read, every
// value of which goes with every accepted combination): beyond any test.
// So here each of the 17,664 combinations runs once, its other switches
// drawn from a fixed seed; together the runs cover every pair of switch
// values an accepted design can have (checked below), which specs/model/
// designs.test.ts covers with a pairwise walk in `npm test`. About 11
// minutes of one core at the walk's bounds (one user, one tab, lag 0, every
// timing bound at its least): `npm run prove:deep`, past CI's budget.
import { describe, expect, it } from 'vitest';
import { check } from '../../checker/index.ts';
import { DESIGNS, presenceModel, readDesign, type Design } from '../../model/index.ts';
import { coreRows, coverablePairs, pairsOf, pairText, random, switchesOf, WALK_BOUNDS, withFreeFactors } from '../model/design-space.ts';
import { MINUTES } from '../prove/prove-fixed.ts';

describe('the accepted design space', () => {
  it(
    'every accepted combination of the switches designClash reads (the others drawn from a fixed seed) runs to a verdict',
    () => {
      const core = coreRows();
      expect(core.length).toBe(17_664);
      const rand = random(7);
      const rows = core.map((row) => withFreeFactors(row, rand));
      const covered = new Set(rows.flatMap(pairsOf));
      expect([...coverablePairs(core)].filter((p) => !covered.has(p)).map(pairText)).toEqual([]);

      const problems: string[] = [];
      const tally: Record<string, number> = {};
      for (const [k, row] of rows.entries()) {
        const design = readDesign({ name: `combination-${k}`, ...switchesOf(row) }, DESIGNS);
        if (typeof design === 'string') {
          problems.push(`${k}: refused: ${design}`);
          continue;
        }
        try {
          const r = check(presenceModel(design as Design, WALK_BOUNDS), { maxStates: 200_000, encodingSample: 0 });
          const key = `${r.verdict}${r.property !== null ? ` ${r.property}` : ''}`;
          tally[key] = (tally[key] ?? 0) + 1;
          if (r.limit !== null || !['holds', 'violated'].includes(r.verdict))
            problems.push(`${k}: ${r.verdict} (${r.limit ?? JSON.stringify(r.vacuity)}): ${JSON.stringify(switchesOf(row))}`);
        } catch (e) {
          problems.push(`${k}: ${(e as Error).message}: ${JSON.stringify(switchesOf(row))}`);
        }
      }
      expect(problems).toEqual([]);
      // at one user, what a run can violate is that no call is cut (designs that delete rooms): nobody else to split from
      expect(Object.keys(tally).sort()).toEqual(['holds', 'violated no-call-cut']);
    },
    40 * MINUTES,
  );
});
