// Runs each check in a worker thread. The checker is synchronous: in the main
// thread, a SIGINT handler could not run until the check was over. With the
// check in a worker, the main thread takes the signal and sets a shared flag
// that the check polls (CheckOptions.shouldStop), so the run ends as
// 'incomplete' (interrupted) with its partial summary. A worker that runs
// out of memory ends the same way, with the figures of its last progress.
// The worker is this module's sibling: TypeScript under tsx (see
// checker/worker-spawn.ts), or JavaScript in the compiled package.
import { totalmem } from 'node:os';
import { extname } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Worker } from 'node:worker_threads';
import {
  canStartTsWorkers,
  DEADLOCK,
  DEFAULT_ENCODING_SAMPLE,
  isSimulationProgress,
  startWorker,
  type PropertyResult,
} from '../checker/index.ts';
import type { RunReport } from '../report/types.ts';
import { clockOf } from '../report/build.ts';
import { frameOf, type Job, type RunLimits } from './jobs.ts';
import type { AnyProgress, RunOutcome, Runner } from './run.ts';
import { program } from './program.ts';

// this module's own extension: .ts under tsx, .js once compiled
const WORKER_ENTRY = new URL(`./worker${extname(fileURLToPath(import.meta.url))}`, import.meta.url);

export type WorkerMessage =
  | { readonly type: 'progress'; readonly progress: AnyProgress }
  | { readonly type: 'done'; readonly outcome: RunOutcome }
  | { readonly type: 'error'; readonly message: string; readonly stack: string };

/** An error thrown inside the worker, with the worker's stack. */
export class WorkerError extends Error {
  constructor(message: string, stack: string) {
    super(message);
    this.name = 'WorkerError';
    this.stack = stack;
  }
}

/**
 * The report of a run that ended without a result (the worker ran out of
 * memory): the figures of its last progress report, every property unknown.
 */
function cutShortReport(job: Job, limits: RunLimits, last: AnyProgress | null, limit: 'memory'): RunReport {
  const model = job.model;
  const properties: PropertyResult[] = model.properties.map((p) => ({
    name: p.name,
    kind: p.kind,
    description: p.description,
    status: 'unknown',
  }));
  if (model.deadlockIsError !== false) {
    properties.push({ name: DEADLOCK.name, kind: 'deadlock', description: DEADLOCK.description, status: 'unknown' });
  }
  return {
    ...frameOf(job.spec, model, limits),
    workers: limits.workers ?? 1,
    verdict: 'incomplete',
    property: null,
    propertyDescription: null,
    states: last?.states ?? 0,
    transitions: last === null ? 0 : isSimulationProgress(last) ? last.steps : last.transitions,
    edges: 0,
    graphBytes: 0,
    loop: null,
    cycleLength: null,
    depth: last === null || isSimulationProgress(last) ? 0 : last.depth,
    elapsedMs: last?.elapsedMs ?? 0,
    // unknown: the run's own figures did not come back
    encodingCheck: { states: 0, limit: sampleOf(limits), complete: false, codec: false },
    coverage: {},
    properties,
    limit,
    vacuity: { unreachedWitnesses: [], unfiredActions: [] },
    initial: null,
    trace: [],
    explanation: null,
    lanes: model.lanes ?? null,
    clock: clockOf(model),
    viewMaps: model.viewMaps ?? null,
  };
}

const sampleOf = (limits: RunLimits): number | null => {
  const n = limits.encodingSample ?? DEFAULT_ENCODING_SAMPLE;
  return Number.isFinite(n) ? n : null;
};

/** Null when the worker is TypeScript and workers cannot load it here (tsx not resolvable); then checks run in-process. */
export function workerRunner(): Runner | null {
  if (WORKER_ENTRY.pathname.endsWith('.ts') && !canStartTsWorkers()) return null;
  const flag = new Int32Array(new SharedArrayBuffer(4));
  return {
    run(job: Job, limits: RunLimits, onProgress?: (p: AnyProgress) => void): Promise<RunOutcome> {
      Atomics.store(flag, 0, 0);
      return new Promise<RunOutcome>((resolve, reject) => {
        let last: AnyProgress | null = null;
        let settled = false;
        const settle = (f: () => void) => {
          if (!settled) {
            settled = true;
            f();
          }
        };
        const worker: Worker = startWorker(WORKER_ENTRY, {
          // a check keeps its frontier of live states: let it use most of the
          // machine rather than V8's default heap limit (about 4 GB)
          resourceLimits: { maxOldGenerationSizeMb: Math.floor((totalmem() / 2 ** 20) * 0.75) },
          workerData: { spec: job.spec, limits, flag: flag.buffer, progress: true, program: program() },
        });
        worker.on('message', (m: WorkerMessage) => {
          if (m.type === 'progress') {
            last = m.progress;
            onProgress?.(m.progress);
          } else if (m.type === 'done') settle(() => resolve(m.outcome));
          else settle(() => reject(new WorkerError(m.message, m.stack)));
        });
        worker.on('error', (e: Error & { code?: string }) => {
          if (e.code === 'ERR_WORKER_OUT_OF_MEMORY')
            settle(() => resolve({ kind: 'report', report: cutShortReport(job, limits, last, 'memory') }));
          else settle(() => reject(e));
        });
        worker.on('exit', (code) => {
          settle(() => reject(new Error(`the checker's worker thread exited (code ${code}) without a result`)));
        });
      });
    },
    interrupt() {
      Atomics.store(flag, 0, 1);
    },
  };
}
