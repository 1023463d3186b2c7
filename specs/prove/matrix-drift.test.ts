// The verdict matrix, recomputed (`npm run prove`: minutes): docs/matrix.md,
// made by `npx tsx cli.ts matrix --format markdown --out docs/matrix.md`, is
// the default matrix as the checker computes it today, time aside; and in
// it, every `fixed-ttl` cell that finishes holds exactly when its timing
// assumption (ttl > handshake + lag) does, with both outcomes at 2 users.
// specs/matrix.test.ts checks, in `npm test`, that docs/matrix.md lists the
// default cells.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, test } from 'vitest';
import { DESIGNS } from '../../model/index.ts';
import { MATRIX_DEFAULTS } from '../../cli/args/matrix.ts';
import { matrixCells } from '../../cli/matrix/plan.ts';
import { runMatrix } from '../../cli/matrix/run.ts';
import { matrixDrift, readMatrixRows, rowOf, withoutTime, type MatrixResult } from '../../cli/matrix/table.ts';
import { inProcessRunner } from '../../cli/run.ts';
import { workerRunner } from '../../cli/worker-runner.ts';

const ROOT = new URL('../..', import.meta.url).pathname;
const MATRIX_FILE = 'docs/matrix.md';
const REGENERATE = `npx tsx cli.ts matrix --format markdown --out ${MATRIX_FILE}`;

describe(`${MATRIX_FILE}`, () => {
  let result: MatrixResult;
  beforeAll(async () => {
    // the same cells, caps and runner as `npx tsx cli.ts matrix`
    const cells = matrixCells({
      designs: DESIGNS,
      users: MATRIX_DEFAULTS.users,
      lag: MATRIX_DEFAULTS.lag,
      tabs: MATRIX_DEFAULTS.tabs,
      sweeps: true,
      faults: false,
      liveness: true,
    });
    result = await runMatrix(cells, {
      runner: workerRunner() ?? inProcessRunner(),
      jobs: MATRIX_DEFAULTS.jobs,
      maxStates: MATRIX_DEFAULTS.maxStates,
    });
  });

  test('is the default matrix, as computed now (time aside)', () => {
    expect(result.notRun).toEqual([]);
    const committed = readMatrixRows(readFileSync(join(ROOT, MATRIX_FILE), 'utf8'));
    expect(committed, `${MATRIX_FILE} holds no matrix table: run ${REGENERATE}`).not.toBeNull();
    const computed = result.cells.map(rowOf);
    expect(matrixDrift(committed!, computed), `${MATRIX_FILE} is stale: run ${REGENERATE} and commit it`).toEqual([]);
    // and in the same order
    expect(committed!.map(withoutTime)).toEqual(computed.map(withoutTime));
  });

  test('fixed-ttl: every cell that finishes holds exactly when its assumption does (ttl > handshake + lag), and both happen', () => {
    const finished = result.cells.filter((o) => o.design === 'fixed-ttl' && o.verdict !== 'incomplete');
    expect(finished.length).toBeGreaterThan(0);
    for (const o of finished) expect([o.boundsText, o.verdict]).toEqual([o.boundsText, o.assumption!.holds ? 'holds' : 'violated']);
    const twoUsers = finished.filter((o) => o.bounds.users === 2);
    expect(twoUsers.some((o) => o.verdict === 'holds')).toBe(true);
    expect(twoUsers.some((o) => o.verdict === 'violated')).toBe(true);
  });
});
