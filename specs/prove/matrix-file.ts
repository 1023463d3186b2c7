// A generated matrix file against the checker today: both drift tests
// recompute their cells with the same runner and caps as `npx tsx cli.ts
// matrix` and compare them with the committed Markdown, time aside.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'vitest';
import { DESIGNS } from '../../model/index.ts';
import { MATRIX_DEFAULTS, type MatrixArgs } from '../../cli/args/matrix.ts';
import { matrixCells } from '../../cli/matrix/plan.ts';
import { runMatrix } from '../../cli/matrix/run.ts';
import { matrixDrift, readMatrixRows, rowOf, withoutTime, type MatrixResult } from '../../cli/matrix/table.ts';
import { inProcessRunner } from '../../cli/run.ts';
import { workerRunner } from '../../cli/worker-runner.ts';

const ROOT = new URL('../..', import.meta.url).pathname;

/** The grid of a matrix file: the `matrix` arguments that choose its cells. */
export type MatrixGrid = Pick<MatrixArgs, 'users' | 'lag' | 'tabs' | 'maxStates' | 'sweeps' | 'faults'>;

/** Every design's cells on the grid, as `matrix` runs them (liveness on). */
export function recomputeMatrix(grid: MatrixGrid): Promise<MatrixResult> {
  const cells = matrixCells({ designs: DESIGNS, ...grid, liveness: true });
  return runMatrix(cells, { runner: workerRunner() ?? inProcessRunner(), jobs: MATRIX_DEFAULTS.jobs, maxStates: grid.maxStates });
}

/** The committed file lists exactly the computed rows, in the same order, time aside. */
export function expectFileMatches(result: MatrixResult, file: string, regenerate: string): void {
  expect(result.notRun).toEqual([]);
  const committed = readMatrixRows(readFileSync(join(ROOT, file), 'utf8'));
  expect(committed, `${file} holds no matrix table: run ${regenerate}`).not.toBeNull();
  const computed = result.cells.map(rowOf);
  expect(matrixDrift(committed!, computed), `${file} is stale: run ${regenerate} and commit it`).toEqual([]);
  expect(committed!.map(withoutTime)).toEqual(computed.map(withoutTime));
}
