// Simulation on several threads: this one and workers - 1 worker threads
// walk batches of consecutive runs (walk.ts); batches are handed out in run
// order, and their results are added up strictly in that order (simulate.ts's
// Tally), up to the first batch that found a violation. While the batch it
// reads next is not back, this thread walks the next batch not handed out
// yet itself, as parallel.ts does with its chunks. So the result (runs,
// steps, distinct states, coverage, the witnesses' first reaches, the
// violation and its shrunk trace) is the one-thread result for any number
// of threads, as long as the same runs are done (simulate.ts says when).
//
// Workers build their own model from a ModelSource (functions do not cross
// threads). A throw from the model's code in a worker comes back as the run
// it happened in; this thread walks that run again to report it with its
// walk, as the one-thread simulation would. States that hold Immutable
// Records keep the walks on this thread: a Record is encoded by its type in
// the order a thread meets the types (encode.ts), so fingerprints from
// several threads would not agree and the distinct states would be miscounted.
import { extname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { recordsWritten } from './encode.ts';
import { UnencodableValueError } from './errors.ts';
import { loadModelSource, type ModelSource, type WorkerFactory } from './parallel.ts';
import {
  prepareSimulation,
  simulate,
  simulationResult,
  Tally,
  walkAgain,
  walkFault,
  type SimulateOptions,
  type SimulationResult,
} from './simulate.ts';
import { ModelFault } from './successors.ts';
import type { Model } from './types.ts';
import { startWorker } from './worker-spawn.ts';
import { Walker, type BatchResult, type WalkConfig } from './walk.ts';
import { WorkerPool, type Routed } from './worker-pool.ts';

export interface ParallelSimulateOptions extends SimulateOptions {
  /** threads walking: this one and workers - 1 worker threads; 1 (or a model whose workers cannot start) walks here only */
  readonly workers: number;
  readonly spawn?: WorkerFactory;
  /**
   * walk on this thread alone for this long first (default 500 ms): starting
   * workers, each loading the model, takes about a second, which a short
   * simulation never pays. Which thread walks a batch does not change the result.
   */
  readonly parallelAfterMs?: number;
}

/** What a simulation worker is started with. */
export interface SimulationWorkerData {
  readonly source: ModelSource;
  readonly config: WalkConfig;
}

export interface BatchRequest {
  readonly batch: number;
  readonly first: number;
  readonly count: number;
}

export type SimulationReply =
  | { readonly type: 'ready' }
  | { readonly type: 'batch'; readonly batch: number; readonly result: BatchResult }
  | { readonly type: 'fault'; readonly batch: number; readonly run: number; readonly message: string }
  | { readonly type: 'unencodable'; readonly path: string; readonly what: string }
  | { readonly type: 'error'; readonly message: string };

const WORKER_ENTRY = new URL(`./simulate-worker${extname(fileURLToPath(import.meta.url))}`, import.meta.url);
const defaultSpawn: WorkerFactory = (entry, workerData) => startWorker(entry, { workerData });
/** batches each worker has queued */
const IN_FLIGHT = 2;
/** batches this thread walks ahead of the one it reads */
const OWN_AHEAD = 2 * IN_FLIGHT;

/** A batch's outcome, as it is read: a result, or the run whose model code threw (and the worker's message). */
type Outcome = { readonly result: BatchResult } | { readonly faultRun: number; readonly message: string };

/** A worker's message, as the pool reads it: a batch's outcome, or the simulation's failure. */
function routeBatch(m: SimulationReply): Routed<Outcome> {
  if (m.type === 'batch') return { key: m.batch, outcome: { result: m.result } };
  if (m.type === 'fault') return { key: m.batch, outcome: { faultRun: m.run, message: m.message } };
  if (m.type === 'unencodable') return { failure: new UnencodableValueError(m.path, m.what) };
  if (m.type === 'error') return { failure: new Error(`a simulation worker failed: ${m.message}`) };
  return null;
}

/**
 * Random walks on `options.workers` threads (the model built from `source` in
 * each worker thread; `given`, when passed, is used in this one); the same
 * result as simulate() for any number of threads.
 */
export async function simulateParallel<S>(
  source: ModelSource,
  options: ParallelSimulateOptions,
  given?: Model<S>,
): Promise<SimulationResult<S>> {
  const model = given ?? ((await loadModelSource(source)) as Model<S>);
  if (options.workers <= 1) return simulate(model, options);
  const records = recordsWritten();
  const plan = prepareSimulation(model, options);
  // the self-check met Records: one thread from the start
  if (recordsWritten() > records) return simulate(model, options);
  const walker = new Walker(model, plan.config);
  const tally = new Tally(model, plan, options);
  const own = new Map<number, Outcome>();
  const walkOwn = (b: number): void => {
    const { first, count } = tally.batch(b);
    try {
      const result = walker.batch(first, count);
      own.set(b, { result: result! });
    } catch (e) {
      if (e instanceof ModelFault) own.set(b, { faultRun: walker.faultRun, message: String(e.cause) });
      else throw e;
    }
  };

  let pool: WorkerPool<Outcome, SimulationReply> | null = null;
  try {
    // this thread alone first
    let first = 0;
    const alone = options.parallelAfterMs ?? 500;
    while (tally.violation === null && performance.now() - tally.started < alone && tally.mayStart(first)) {
      walkOwn(first);
      const outcome = own.get(first)!;
      own.delete(first);
      if ('faultRun' in outcome) walkAgain(walker, outcome.faultRun);
      else tally.add(outcome.result);
      first++;
    }
    if (tally.violation !== null || !tally.mayStart(first)) return simulationResult(model, tally, walker, options, 1);
    // Records first met by the walks: start again on one thread (the same walks, so the same result)
    if (recordsWritten() > records) return simulate(model, options);
    pool = await WorkerPool.launch(
      options.workers - 1,
      options.spawn ?? defaultSpawn,
      WORKER_ENTRY,
      { source, config: plan.config },
      'simulation',
      routeBatch,
    ).ready;
    // batches handed out (to a worker or to this thread): always 0 .. sent-1
    let sent = first;
    let open = true;
    const mayHandOut = () => open && tally.mayStart(sent);
    pool.onIdle = (w) => {
      if (!mayHandOut()) return;
      const { first, count } = tally.batch(sent);
      const request: BatchRequest = { batch: sent++, first, count };
      w.postMessage(request);
    };
    for (let k = 0; k < IN_FLIGHT; k++) for (const w of pool.workers) pool.onIdle(w);
    for (let b = first; ; b++) {
      if (b >= sent) {
        // nothing handed out beyond what was read: walk the next batch here, if one may start
        if (!mayHandOut()) break;
        walkOwn(sent++);
      }
      let outcome = own.get(b) ?? pool.take(b);
      while (outcome === undefined && own.size < OWN_AHEAD && mayHandOut()) {
        walkOwn(sent++);
        // let the workers' replies in (they are how workers get their next batch)
        await new Promise<void>((resolve) => setImmediate(resolve));
        outcome = own.get(b) ?? pool.take(b);
      }
      outcome ??= await pool.result(b);
      own.delete(b);
      if ('faultRun' in outcome) {
        // the model's code threw in that run: walk it here, where the error gets its walk
        walkAgain(walker, outcome.faultRun);
        throw new Error(`simulation: run ${outcome.faultRun} threw in a worker thread (${outcome.message}) but not when walked again`);
      }
      tally.add(outcome.result);
      if (tally.violation !== null) {
        open = false;
        break;
      }
      // a stop asked for (Ctrl-C, memory) ends the run at once, with the batches read so far
      const stop = options.shouldStop?.() ?? null;
      if (stop !== null) {
        tally.limit = stop;
        open = false;
        break;
      }
    }
  } catch (e) {
    if (e instanceof ModelFault) throw walkFault(e as ModelFault<S>, walker.trace);
    throw e;
  } finally {
    await pool?.stop();
  }
  return simulationResult(model, tally, walker, options, options.workers);
}
