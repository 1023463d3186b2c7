// The fault matrix, recomputed (`npm run prove`): docs/fault-matrix.md, made
// by `npx tsx cli.ts matrix --faults --format markdown --out
// docs/fault-matrix.md`, is every design under no fault, each fault that can
// touch it alone, and all of them, as the checker computes it today (time
// aside); and in it, fixed holds in every cell, and fixed-ttl holds without
// faults and is violated by each fault its argument rests on.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, test } from 'vitest';
import { DESIGNS } from '../../model/index.ts';
import { FAULT_MATRIX_DEFAULTS, MATRIX_DEFAULTS } from '../../cli/args/matrix.ts';
import { matrixCells } from '../../cli/matrix/plan.ts';
import { runMatrix } from '../../cli/matrix/run.ts';
import { matrixDrift, readMatrixRows, rowOf, withoutTime, type MatrixResult } from '../../cli/matrix/table.ts';
import { inProcessRunner } from '../../cli/run.ts';
import { workerRunner } from '../../cli/worker-runner.ts';

const ROOT = new URL('../..', import.meta.url).pathname;
const FILE = 'docs/fault-matrix.md';
const REGENERATE = `npx tsx cli.ts matrix --faults --format markdown --out ${FILE}`;

describe(`${FILE}`, () => {
  let result: MatrixResult;
  beforeAll(async () => {
    // the same cells, caps and runner as `npx tsx cli.ts matrix --faults`
    const cells = matrixCells({
      designs: DESIGNS,
      users: FAULT_MATRIX_DEFAULTS.users,
      lag: FAULT_MATRIX_DEFAULTS.lag,
      tabs: FAULT_MATRIX_DEFAULTS.tabs,
      sweeps: false,
      faults: true,
      liveness: true,
    });
    result = await runMatrix(cells, {
      runner: workerRunner() ?? inProcessRunner(),
      jobs: MATRIX_DEFAULTS.jobs,
      maxStates: FAULT_MATRIX_DEFAULTS.maxStates,
    });
  });

  test('is the fault matrix, as computed now (time aside)', () => {
    expect(result.notRun).toEqual([]);
    const committed = readMatrixRows(readFileSync(join(ROOT, FILE), 'utf8'));
    expect(committed, `${FILE} holds no matrix table: run ${REGENERATE}`).not.toBeNull();
    const computed = result.cells.map(rowOf);
    expect(matrixDrift(committed!, computed), `${FILE} is stale: run ${REGENERATE} and commit it`).toEqual([]);
    expect(committed!.map(withoutTime)).toEqual(computed.map(withoutTime));
  });

  test('fixed holds in every cell, liveness included; no cell is cut short', () => {
    expect(result.cells.filter((o) => o.verdict === 'incomplete')).toEqual([]);
    const fixed = result.cells.filter((o) => o.design === 'fixed');
    expect(fixed.length).toBeGreaterThan(2);
    for (const o of fixed) expect([o.faults, o.verdict, o.liveness]).toEqual([o.faults, 'holds', 'holds']);
  });

  test('fixed-ttl holds without faults and is violated by slow-join, lock-lost, key-lost, presence-flap and owner-deactivate', () => {
    const cell = (faults: string) => result.cells.find((o) => o.design === 'fixed-ttl' && o.faults === faults)!;
    expect(cell('—').verdict).toBe('holds');
    for (const f of ['slow-join', 'lock-lost', 'key-lost', 'presence-flap', 'owner-deactivate'])
      expect([f, cell(f).verdict]).toEqual([f, 'violated']);
  });
});
