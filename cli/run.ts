// Runs the checker on a job and turns whatever happens into an outcome a
// command can print and map to an exit code: a report, the model's own
// error (with the run that reached it), or bad input found while running
// (a malformed model, a state the default encoding cannot see into, an
// encoding that merges states the model tells apart). Anything else is a
// bug of the checker and is thrown. Nothing here prints.
import { extname } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  CodecLossError,
  EncodingClashError,
  exhaustiveStrategyFor,
  ModelCodeError,
  ModelDefinitionError,
  simulateStrategy,
  UnencodableValueError,
  type CheckResult,
  type Limit,
  type Model,
  type ModelSource,
  type ParallelOptions,
  type ParallelSimulateOptions,
  type Progress,
  type SimulationProgress,
  type SimulationResult,
} from '../checker/index.ts';
import { buildModelErrorReport, buildRunReport, viewOf } from '../report/build.ts';
import { compact } from '../report/text.ts';
import type { ModelErrorReport, RunReport } from '../report/types.ts';
import { frameOf, rerunOf, type Job, type JobDescription, type RunLimits } from './jobs.ts';
import { FileSpillStore, SpillFailure } from './spill-files.ts';

export type RunOutcome =
  | { readonly kind: 'report'; readonly report: RunReport }
  | { readonly kind: 'model-error'; readonly report: ModelErrorReport }
  | { readonly kind: 'bad-input'; readonly message: string }
  /** --memory: writing or reading the spill files failed (a full disk): the check could not go on */
  | { readonly kind: 'spill-failed'; readonly message: string };

/** A search's progress (levels of a BFS) or a simulation's (walks). */
export type AnyProgress = Progress | SimulationProgress;

export interface RunHooks {
  readonly onProgress?: (p: AnyProgress) => void;
  readonly shouldStop?: () => Limit | null;
}

/** jobs.ts, or jobs.js in a compiled build: the module's extension is this module's own */
const JOBS_MODULE = new URL(`./jobs${extname(fileURLToPath(import.meta.url))}`, import.meta.url).href;

/** Where the search's worker threads rebuild a job's model: buildModel(spec) in jobs.ts, the one front door. */
function sourceOf(spec: JobDescription): ModelSource {
  return { module: JOBS_MODULE, export: 'buildModel', args: [spec] };
}

/** The outcome of an error the checker threw, or the error again when it is the checker's own. */
export function outcomeOfError<S>(e: unknown, spec: JobDescription, model: Model<S>, limits: RunLimits): RunOutcome {
  const what = spec.kind === 'presence' ? `design ${spec.design.name}` : `--model ${spec.path}`;
  if (e instanceof ModelCodeError)
    return {
      kind: 'model-error',
      report: buildModelErrorReport(model, e as ModelCodeError<S>, frameOf(spec, model as Model<unknown>, limits)),
    };
  if (e instanceof ModelDefinitionError) return { kind: 'bad-input', message: `${what} is not a well-formed model: ${e.message}` };
  if (e instanceof UnencodableValueError) return { kind: 'bad-input', message: `${what}: ${e.message}` };
  const show = (s: unknown) => {
    try {
      return compact(viewOf(model, s as S));
    } catch {
      return '(its view throws)';
    }
  };
  if (e instanceof EncodingClashError)
    return { kind: 'bad-input', message: `${what}: ${e.message}: ${show(e.first)} and ${show(e.second)}` };
  if (e instanceof CodecLossError) return { kind: 'bad-input', message: `${what}: ${e.message}: s = ${show(e.state)}` };
  if (e instanceof SpillFailure) return { kind: 'spill-failed', message: `${what}: ${e.message} (the check could not go on)` };
  throw e;
}

/**
 * Runs one check, by the strategy the limits ask for (simulate, or the
 * exhaustive one for the model: liveness when it has leadsTo properties,
 * else bfs): in this thread, or on `limits.workers` threads.
 */
export async function runModel<S>(spec: JobDescription, model: Model<S>, limits: RunLimits, hooks: RunHooks = {}): Promise<RunOutcome> {
  if (limits.simulate !== undefined) return runSimulation(spec, model, limits, hooks);
  const memory = limits.memory;
  if (memory !== undefined && memory.dir === undefined) throw new Error('--memory: the run has no spill directory (runJobs makes it)');
  const store = memory !== undefined ? new FileSpillStore(memory.dir!) : null;
  const options: ParallelOptions = {
    workers: limits.workers ?? 1,
    exact: limits.exact,
    ...(limits.maxStates !== undefined ? { maxStates: limits.maxStates } : {}),
    ...(limits.maxTimeMs !== undefined ? { maxTimeMs: limits.maxTimeMs } : {}),
    ...(limits.maxDepth !== undefined ? { maxDepth: limits.maxDepth } : {}),
    ...(limits.encodingSample !== undefined ? { encodingSample: limits.encodingSample } : {}),
    ...(hooks.onProgress ? { onProgress: hooks.onProgress, progressEveryMs: 200 } : {}),
    ...(hooks.shouldStop ? { shouldStop: hooks.shouldStop } : {}),
    ...(memory !== undefined ? { memory: { bytes: memory.bytes, store: store! } } : {}),
  };
  try {
    const result = await exhaustiveStrategyFor(model as Model<unknown>).runOn(sourceOf(spec), options, model as Model<unknown>);
    return { kind: 'report', report: buildRunReport(model, result as CheckResult<S>, frameOf(spec, model as Model<unknown>, limits)) };
  } catch (e) {
    return outcomeOfError(e, spec, model, limits);
  } finally {
    store?.close();
  }
}

/** Random walks (the simulate strategy); the report's command line repeats exactly the runs done. */
async function runSimulation<S>(spec: JobDescription, model: Model<S>, limits: RunLimits, hooks: RunHooks): Promise<RunOutcome> {
  const walk = limits.simulate!;
  const options: ParallelSimulateOptions = {
    workers: limits.workers ?? 1,
    seed: walk.seed,
    maxSteps: walk.maxSteps,
    weights: walk.weights,
    swarm: walk.swarm,
    shrink: walk.shrink,
    ...(walk.runs !== undefined ? { runs: walk.runs } : {}),
    ...(limits.maxTimeMs !== undefined ? { maxTimeMs: limits.maxTimeMs } : {}),
    ...(limits.encodingSample !== undefined ? { encodingSample: limits.encodingSample } : {}),
    ...(hooks.onProgress ? { onProgress: hooks.onProgress, progressEveryMs: 200 } : {}),
    ...(hooks.shouldStop ? { shouldStop: hooks.shouldStop } : {}),
  };
  try {
    const result = (await simulateStrategy.runOn(sourceOf(spec), options, model)) as SimulationResult<S>;
    // --runs N repeats exactly these walks, whatever a --max-time made of them on this machine
    const done = result.simulation.runs;
    const exact: RunLimits = { ...limits, maxTimeMs: undefined, simulate: { ...walk, runs: Math.max(1, done) } };
    const frame = { ...frameOf(spec, model as Model<unknown>, limits), rerun: rerunOf(spec, exact) };
    return { kind: 'report', report: buildRunReport(model, result, frame) };
  } catch (e) {
    return outcomeOfError(e, spec, model, limits);
  }
}

/** Runs jobs: in this thread (tests), or in a worker so that Ctrl-C can reach a running check (cli.ts). */
export interface Runner {
  run(job: Job, limits: RunLimits, onProgress?: (p: AnyProgress) => void): Promise<RunOutcome>;
  /** asks the running check to stop as 'interrupted' (it ends with its partial summary) */
  interrupt(): void;
}

/**
 * Runs checks in the calling thread. The check is synchronous, so
 * `interrupt` only takes effect when called from inside it (from onProgress);
 * a signal handler would not run until the check is over.
 */
export function inProcessRunner(): Runner {
  let stop = false;
  return {
    run(job, limits, onProgress) {
      stop = false;
      return runModel(job.spec, job.model, limits, {
        ...(onProgress ? { onProgress } : {}),
        shouldStop: () => (stop ? 'interrupted' : null),
      });
    },
    interrupt() {
      stop = true;
    },
  };
}
