// Worker threads that answer late, for the parallel search's tests: each
// chunk's result is held back, so that the coordinating thread expands most
// chunks itself (checker/parallel.ts), and `expanded()` tells how many states
// the worker threads were sent.
import { startWorker, type WorkerFactory } from '../../checker/index.ts';

export interface LateWorkerData {
  /** the real worker entry's URL */
  readonly entry: string;
  readonly delayMs: number;
  /** one Int32: the states the worker threads were sent */
  readonly expanded: SharedArrayBuffer;
}

export function lateWorkers(delayMs = 20): { readonly spawn: WorkerFactory; readonly expanded: () => number } {
  const expanded = new SharedArrayBuffer(4);
  const spawn: WorkerFactory = (entry, data) =>
    startWorker(new URL('./late-worker-entry.ts', import.meta.url), {
      workerData: { ...(data as object), late: { entry: entry.href, delayMs, expanded } satisfies LateWorkerData },
    });
  return { spawn, expanded: () => new Int32Array(expanded)[0] };
}
