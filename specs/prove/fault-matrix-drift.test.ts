// The fault matrix, recomputed (`npm run prove`): docs/fault-matrix.md, made
// by `npx tsx cli.ts matrix --faults --format markdown --out
// docs/fault-matrix.md`, is every design under no fault, each fault that can
// touch it alone, and all of them, as the checker computes it today (time
// aside); and in it, fixed holds in every cell, and fixed-ttl holds without
// faults and is violated by each fault its argument rests on.
import { beforeAll, describe, expect, test } from 'vitest';
import { FAULT_MATRIX_DEFAULTS } from '../../cli/args/matrix.ts';
import type { MatrixResult } from '../../cli/matrix/table.ts';
import { expectFileMatches, recomputeMatrix } from './matrix-file.ts';

const FILE = 'docs/fault-matrix.md';
const REGENERATE = `npx tsx cli.ts matrix --faults --format markdown --out ${FILE}`;

describe(`${FILE}`, () => {
  let result: MatrixResult;
  beforeAll(async () => {
    // the same cells, caps and runner as `npx tsx cli.ts matrix --faults`
    result = await recomputeMatrix({ ...FAULT_MATRIX_DEFAULTS, sweeps: false, faults: true });
  });

  test('is the fault matrix, as computed now (time aside)', () => expectFileMatches(result, FILE, REGENERATE));

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
