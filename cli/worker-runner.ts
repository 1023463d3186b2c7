// Runs each check in a worker thread. The checker is synchronous: in the main
// thread, a SIGINT handler could not run until the check was over. With the
// check in a worker, the main thread takes the signal and sets a shared flag
// that the check polls (CheckOptions.shouldStop), so the run ends as
// 'incomplete' (interrupted) with its partial summary. A worker that runs
// out of memory ends the same way, with the figures of its last progress.
// The worker is TypeScript (see ts-worker.ts).
import { totalmem } from 'node:os';
import type { Worker } from 'node:worker_threads';
import { assertTsWorkers, tsWorker } from './ts-worker.ts';
import type { Progress } from '../checker/index.ts';
import { cutShortReport, type Job, type RunLimits, type RunReport, type Runner } from './run.ts';

export type WorkerMessage =
  | { readonly type: 'progress'; readonly progress: Progress }
  | { readonly type: 'done'; readonly report: RunReport }
  | { readonly type: 'error'; readonly message: string; readonly stack: string };

/** An error thrown inside the worker, with the worker's stack. */
export class WorkerError extends Error {
  constructor(message: string, stack: string) {
    super(message);
    this.name = 'WorkerError';
    this.stack = stack;
  }
}

/** Throws when workers cannot load TypeScript here (tsx not resolvable); then run in-process. */
export function workerRunner(): Runner {
  assertTsWorkers();
  const flag = new Int32Array(new SharedArrayBuffer(4));
  return {
    run(job: Job, limits: RunLimits, onProgress?: (p: Progress) => void): Promise<RunReport> {
      Atomics.store(flag, 0, 0);
      return new Promise<RunReport>((resolve, reject) => {
        let last: Progress | null = null;
        let settled = false;
        const settle = (f: () => void) => {
          if (!settled) {
            settled = true;
            f();
          }
        };
        const worker: Worker = tsWorker(new URL('./worker.ts', import.meta.url), {
          // a check keeps its frontier of live states: let it use most of the
          // machine rather than V8's default heap limit (about 4 GB)
          resourceLimits: { maxOldGenerationSizeMb: Math.floor((totalmem() / 2 ** 20) * 0.75) },
          workerData: { spec: job.spec, limits, flag: flag.buffer, progress: true },
        });
        worker.on('message', (m: WorkerMessage) => {
          if (m.type === 'progress') {
            last = m.progress;
            onProgress?.(m.progress);
          } else if (m.type === 'done') settle(() => resolve(m.report));
          else settle(() => reject(new WorkerError(m.message, m.stack)));
        });
        worker.on('error', (e: Error & { code?: string }) => {
          if (e.code === 'ERR_WORKER_OUT_OF_MEMORY') settle(() => resolve(cutShortReport(job, limits, last, 'memory')));
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
