// `matrix`: reads --expect first (bad input before anything runs), runs the
// cells, prints or writes the table, and compares. Exit 0 when the matrix
// completes (violations are results), 1 when it drifts from --expect, 2 on
// bad input, 6 when --out cannot be written, 130 on Ctrl-C (the partial table
// on stdout; --out is left alone), 4 on an internal error.
import { readFileSync } from 'node:fs';
import { designByName, type Design } from '../../model/index.ts';
import { count } from '../../report/text.ts';
import type { MatrixArgs } from '../args/index.ts';
import { readDesignFile } from '../design-file.ts';
import { EXIT, exitOfSignal, type StopSignal } from '../exit.ts';
import { unwritable, writeFileAtomic } from '../files.ts';
import { errorLine, type IO, type MainDeps } from '../io.ts';
import { TerminalBar } from '../progress.ts';
import { inProcessRunner } from '../run.ts';
import { matrixCells } from '../matrix/plan.ts';
import { CellFailure, runMatrix, type MatrixProgress } from '../matrix/run.ts';
import {
  cellName,
  COLUMNS,
  formatMatrix,
  matrixDrift,
  readMatrixRows,
  rowOf,
  summaryLine,
  type MatrixResult,
  type MatrixRow,
} from '../matrix/table.ts';

/** The running cells and their figures, cut to `width` (the progress bar counts the cells done). */
export function formatRunningCells(p: MatrixProgress, width: number): string {
  const text = p.running.map((r) => `${cellName(r.cell)}: ${count(r.states)} states, depth ${r.depth}`).join(' | ');
  return text.length > width ? `${text.slice(0, Math.max(0, width - 1))}…` : text;
}

/** The cells done out of all, as a bar, then the running cells (cut to the terminal's width). */
function progressBar(io: IO, enabled: boolean) {
  const bar = new TerminalBar(io.stderr, enabled, 'matrix [{bar}] {value}/{total} cells | {text}');
  const out = io.stderr as IO['stderr'] & { columns?: number };
  return {
    show(p: MatrixProgress) {
      // a terminal of unknown width (columns 0 or missing): assume 100
      const width = out.columns !== undefined && out.columns > 0 ? out.columns : 100;
      // the bar and the count take about 40 columns
      bar.show(p.done, p.total, { text: formatRunningCells(p, Math.max(20, width - 42)) });
    },
    clear: () => bar.clear(),
  };
}

export async function matrixCommand(options: MatrixArgs, io: IO, deps: MainDeps): Promise<number> {
  const fail = (message: string) => {
    io.stderr.write(`${errorLine(message)}\n`);
    return EXIT.badInput;
  };
  let expected: MatrixRow[] | null = null;
  if (options.expect !== undefined) {
    let text: string;
    try {
      text = readFileSync(options.expect, 'utf8');
    } catch (e) {
      return fail(`--expect ${options.expect}: cannot read it: ${e instanceof Error ? e.message : String(e)}`);
    }
    expected = readMatrixRows(text);
    if (expected === null)
      return fail(
        `--expect ${options.expect}: no matrix in it (a matrix JSON document, or a Markdown table headed | ${COLUMNS.join(' | ')} |)`,
      );
  }
  if (options.out !== undefined) {
    const problem = unwritable('--out', options.out);
    if (problem !== null) return fail(problem);
  }
  const designs: Design[] = options.designs.map((n) => designByName(n)!);
  for (const file of options.designFiles) {
    const d = readDesignFile(file);
    if ('error' in d) return fail(d.error);
    designs.push(d);
  }

  const runner = deps.runner ?? inProcessRunner();
  const controller = new AbortController();
  let stopped: StopSignal = 'SIGINT';
  const unsubscribe = deps.onInterrupt?.((signal) => {
    stopped = signal;
    controller.abort();
    runner.interrupt();
  });
  const progress = progressBar(io, io.stderr.isTTY === true && options.format !== 'json');
  let result: MatrixResult;
  try {
    const cells = matrixCells({ ...options, designs });
    result = await runMatrix(cells, {
      runner,
      jobs: options.jobs,
      maxStates: options.maxStates,
      signal: controller.signal,
      onProgress: (p) => progress.show(p),
    });
  } catch (e) {
    progress.clear();
    if (e instanceof CellFailure && e.modelError) {
      io.stderr.write(`${errorLine(`model error in ${e.message}`)}\n`);
      return EXIT.modelError;
    }
    if (e instanceof CellFailure) return fail(e.message);
    throw e;
  } finally {
    progress.clear();
    unsubscribe?.();
  }

  const table = formatMatrix(result, options.format);
  if (options.out !== undefined && !result.interrupted) {
    try {
      writeFileAtomic(options.out, table);
    } catch (e) {
      io.stdout.write(table);
      io.stderr.write(`${errorLine(`--out ${options.out}: cannot write it: ${e instanceof Error ? e.message : String(e)}`)}\n`);
      return EXIT.output;
    }
    io.stdout.write(`${summaryLine(result)}; written to ${options.out}\n`);
  } else {
    io.stdout.write(table);
    if (options.out !== undefined) io.stderr.write(`${errorLine(`interrupted: ${options.out} left as it was`)}\n`);
  }
  if (result.interrupted) return exitOfSignal(stopped);

  if (expected !== null) {
    const drift = matrixDrift(expected, result.cells.map(rowOf));
    if (drift.length > 0) {
      io.stderr.write(
        `${errorLine(`the matrix differs from ${options.expect} in ${drift.length} ${drift.length === 1 ? 'cell' : 'cells'} (time aside):`)}\n`,
      );
      for (const d of drift) io.stderr.write(`  ${d}\n`);
      return EXIT.failed;
    }
    io.stderr.write(`the matrix matches ${options.expect} (${result.cells.length} cells, time aside)\n`);
  }
  return EXIT.holds;
}
