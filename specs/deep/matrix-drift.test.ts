// The verdict matrix, recomputed (`npm run prove:deep`: 86 minutes on 2 jobs
// on a busy 2-core machine, 2026-12-07, past CI's budget): docs/matrix.md,
// made by `npx tsx cli.ts matrix --format markdown --out docs/matrix.md`, is
// the default matrix as the checker computes it today, time aside; and in
// it, every `fixed-ttl` cell that finishes holds exactly when its timing
// assumption (ttl > handshake + lag) does, with both outcomes at 2 users.
// specs/matrix.test.ts checks, in `npm test`, that docs/matrix.md lists the
// default cells.
import { beforeAll, describe, expect, test } from 'vitest';
import { MATRIX_DEFAULTS } from '../../cli/args/matrix.ts';
import type { MatrixResult } from '../../cli/matrix/table.ts';
import { expectFileMatches, recomputeMatrix } from '../prove/matrix-file.ts';

const MATRIX_FILE = 'docs/matrix.md';
const REGENERATE = `npx tsx cli.ts matrix --format markdown --out ${MATRIX_FILE}`;

describe(`${MATRIX_FILE}`, () => {
  let result: MatrixResult;
  beforeAll(async () => {
    // the same cells, caps and runner as `npx tsx cli.ts matrix`
    result = await recomputeMatrix({ ...MATRIX_DEFAULTS, sweeps: true, faults: false });
  });

  test('is the default matrix, as computed now (time aside), in the same order', () => expectFileMatches(result, MATRIX_FILE, REGENERATE));

  test('fixed-ttl: every cell that finishes holds exactly when its assumption does (ttl > handshake + lag), and both happen', () => {
    const finished = result.cells.filter((o) => o.design === 'fixed-ttl' && o.verdict !== 'incomplete');
    expect(finished.length).toBeGreaterThan(0);
    for (const o of finished) expect([o.boundsText, o.verdict]).toEqual([o.boundsText, o.assumption!.holds ? 'holds' : 'violated']);
    const twoUsers = finished.filter((o) => o.bounds.users === 2);
    expect(twoUsers.some((o) => o.verdict === 'holds')).toBe(true);
    expect(twoUsers.some((o) => o.verdict === 'violated')).toBe(true);
  });
});
