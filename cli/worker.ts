// A worker thread that runs one check (see worker-runner.ts): it rebuilds
// the model from the job's spec, runs it, and posts progress and the outcome
// back. The main thread stays free to take Ctrl-C, which it passes on
// through a shared flag that the check's shouldStop reads.
import { totalmem } from 'node:os';
import { getHeapStatistics } from 'node:v8';
import { parentPort, workerData } from 'node:worker_threads';
import { buildModel, type JobDescription, type RunLimits } from './jobs.ts';
import { runModel } from './run.ts';
import type { WorkerMessage } from './worker-runner.ts';
import { setProgram } from './program.ts';

interface WorkerInput {
  readonly spec: JobDescription;
  readonly limits: RunLimits;
  readonly flag: SharedArrayBuffer;
  readonly progress: boolean;
  /** the name the tool was started by, for the report's command line */
  readonly program: string;
}

const input = workerData as WorkerInput;
setProgram(input.program);
const port = parentPort!;
const post = (m: WorkerMessage) => port.postMessage(m);
const flag = new Int32Array(input.flag);
const MEMORY_GUARD = 0.85;
const heapLimit = getHeapStatistics().heap_size_limit;
const MEMORY_EVERY_MS = 250;
let nextMemoryLook = 0;

try {
  const model = await buildModel(input.spec);
  const outcome = await runModel(input.spec, model, input.limits, {
    ...(input.progress ? { onProgress: (p) => post({ type: 'progress', progress: p }) } : {}),
    shouldStop: () => {
      if (Atomics.load(flag, 0) === 1) return 'interrupted';
      // the memory figures cost a system call: read them every MEMORY_EVERY_MS
      const now = performance.now();
      if (now < nextMemoryLook) return null;
      nextMemoryLook = now + MEMORY_EVERY_MS;
      // stop well before V8's own limit, so the summary can still be built and
      // sent; and before the machine's, since the visited set and the packed
      // frontier live outside the heap (typed arrays)
      if (getHeapStatistics().used_heap_size > MEMORY_GUARD * heapLimit) return 'memory';
      return process.memoryUsage.rss() > MEMORY_GUARD * totalmem() ? 'memory' : null;
    },
  });
  post({ type: 'done', outcome });
} catch (e) {
  const error = e instanceof Error ? e : new Error(String(e));
  post({ type: 'error', message: error.message, stack: error.stack ?? error.message });
}
