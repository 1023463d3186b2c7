// Runs the matrix's cells, `jobs` at a time, each on one thread with
// symmetry on and a --max-states cap (so every cell stops at the same state
// every run: the table is deterministic but for time); the outcomes come back
// in cell order, whatever order they finish in.
import { buildModel, presenceJob, type Job, type RunLimits } from '../jobs.ts';
import type { Runner } from '../run.ts';
import { cellBoundsText, faultsCellText, type Cell } from './plan.ts';
import { assumptionOf, livenessText, type CellOutcome, type MatrixResult } from './table.ts';

/** What the live progress line shows. */
export interface MatrixProgress {
  readonly done: number;
  readonly total: number;
  readonly running: readonly { readonly cell: Cell; readonly states: number; readonly depth: number }[];
}

export interface MatrixRunOptions {
  readonly runner: Runner;
  /** cells run at once (a worker runner runs each in its own thread) */
  readonly jobs: number;
  readonly maxStates: number;
  /** once aborted no further cell starts (the caller interrupts the runner, which stops the running ones) */
  readonly signal?: AbortSignal;
  readonly onProgress?: (p: MatrixProgress) => void;
}

/** A cell's failure that is not a verdict: bad input, or (`modelError`) the model's own code threw. The matrix stops and reports it. */
export class CellFailure extends Error {
  constructor(
    message: string,
    readonly modelError = false,
  ) {
    super(message);
  }
}

/** A cell's job: its design (a design file's, every switch) at its bounds, symmetry on. */
export async function jobOf(cell: Cell): Promise<Job> {
  const spec = presenceJob(cell.design, null, cell.bounds, { faults: cell.faults, symmetry: true, liveness: cell.liveness, settles: true });
  return { spec, label: cell.design.name, model: await buildModel(spec) };
}

export async function runMatrix(cells: readonly Cell[], options: MatrixRunOptions): Promise<MatrixResult> {
  const started = Date.now();
  // one thread a cell: the parallelism is across cells, and one thread keeps each cell's cap deterministic
  const limits: RunLimits = { exact: false, workers: 1, maxStates: options.maxStates };
  const outcomes: (CellOutcome | undefined)[] = new Array(cells.length);
  const running = new Map<number, { cell: Cell; states: number; depth: number }>();
  let next = 0;
  let done = 0;
  let failure: unknown = null;
  const report = () => options.onProgress?.({ done, total: cells.length, running: [...running.values()] });

  const lane = async () => {
    while (next < cells.length && failure === null && options.signal?.aborted !== true) {
      const index = next++;
      const cell = cells[index];
      running.set(index, { cell, states: 0, depth: 0 });
      report();
      try {
        const outcome = await options.runner.run(await jobOf(cell), limits, (p) => {
          running.set(index, { cell, states: p.states, depth: 'depth' in p ? p.depth : 0 });
          report();
        });
        if (outcome.kind === 'bad-input' || outcome.kind === 'spill-failed') throw new CellFailure(outcome.message);
        if (outcome.kind === 'model-error') throw new CellFailure(`${cell.design.name}: ${outcome.report.message}`, true);
        const r = outcome.report;
        outcomes[index] = {
          design: cell.design.name,
          faults: faultsCellText(cell.faults),
          bounds: cell.bounds,
          varies: cell.varies,
          boundsText: cellBoundsText(cell.design, cell.bounds),
          assumption: assumptionOf(cell.design, cell.bounds),
          verdict: r.verdict,
          property: r.property,
          limit: r.limit,
          maxStates: options.maxStates,
          liveness: livenessText(cell.liveness, r.properties),
          faultList: cell.faults,
          assumptions: r.assumptions ?? [],
          // a property a fault in force leaves unjudged: the premises under the table name it
          notJudged: (r.notJudged ?? []).map((n) => `${n.property} (${n.fault} lifts its premise: ${n.premise})`),
          traceLength: r.verdict === 'violated' ? Math.max(0, r.trace.length - 1) : null,
          loop: r.loop,
          states: r.states,
          transitions: r.transitions,
          depth: r.depth,
          elapsedMs: Math.round(r.elapsedMs),
        };
      } catch (e) {
        // stop the other cells too: the command reports the error alone
        if (failure === null) {
          failure = e;
          options.runner.interrupt();
        }
      } finally {
        running.delete(index);
        done++;
        report();
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(options.jobs, cells.length)) }, lane));
  if (failure !== null) throw failure;

  const finished = outcomes.filter((o): o is CellOutcome => o !== undefined);
  return {
    maxStates: options.maxStates,
    cells: finished,
    notRun: cells.filter((_, i) => outcomes[i] === undefined),
    interrupted: options.signal?.aborted === true,
    jobs: options.jobs,
    elapsedMs: Date.now() - started,
  };
}
