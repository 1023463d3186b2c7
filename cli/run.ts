// Builds the models a command line asks for and runs the checker on them.
// Nothing here prints: a run ends in a RunReport, a plain JSON-ready value
// (states already turned into the model's view, steps into its words), which
// is what both the text report and --json are made from, and what a worker
// thread can post back.
import { existsSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { tsWorker } from './ts-worker.ts';
import {
  checkParallel, DEADLOCK, formatParams, isModel, type CheckResult, type Limit, type Model, type ModelSource, type ParallelOptions, type Params, type Progress, type WorkerFactory,
  type PropertyResult, type Verdict,
} from '../checker/index.ts';
import { presenceModel, type Bounds } from '../model/index.ts';
import type { CheckArgs } from './args.ts';

/** What to check, in a form that survives postMessage (a worker rebuilds the model from it). */
export type JobSpec =
  | { readonly kind: 'presence'; readonly design: string; readonly bounds: Bounds; readonly symmetry: boolean }
  | { readonly kind: 'module'; readonly path: string };

export interface Job {
  readonly spec: JobSpec;
  /** the design name, or the user model's name */
  readonly label: string;
  /** the model, built in this thread (its properties and actions name the table's columns) */
  readonly model: Model<unknown>;
}

/** The checker's limits and switches, as given on the command line. */
export interface RunLimits {
  readonly exact: boolean;
  /** worker threads expanding states (default 1: the one-thread search) */
  readonly workers?: number;
  readonly maxStates?: number;
  readonly maxTimeMs?: number;
  readonly maxDepth?: number;
}

export interface RunHooks {
  readonly onProgress?: (p: Progress) => void;
  readonly shouldStop?: () => Limit | null;
}

export interface TraceStepReport {
  /** 0 for the initial state */
  readonly index: number;
  /** null for the initial state */
  readonly action: string | null;
  readonly params: Params;
  /** the model's sentence for the step (action(params) when it has none) */
  readonly description: string;
  /** the model's view of the state after the step */
  readonly state: unknown;
}

export interface RunReport {
  /** the presence design, or null for a --model run */
  readonly design: string | null;
  /** the checked model's name, e.g. presence/current */
  readonly model: string;
  /** the --model file (absolute), or null */
  readonly modelPath: string | null;
  readonly bounds: Bounds | null;
  readonly symmetry: boolean | null;
  readonly exact: boolean;
  readonly limits: { readonly maxStates: number | null; readonly maxTimeMs: number | null; readonly maxDepth: number | null };
  /** threads that expanded states (1: the search stayed in one thread, being small, exact or without a codec) */
  readonly workers: number;
  readonly verdict: Verdict;
  readonly property: string | null;
  /** the description of `property`, when it names one */
  readonly propertyDescription: string | null;
  readonly states: number;
  readonly transitions: number;
  readonly depth: number;
  readonly elapsedMs: number;
  readonly coverage: Readonly<Record<string, number>>;
  readonly properties: readonly PropertyResult[];
  readonly limit: Limit | null;
  readonly vacuity: { readonly unreachedWitnesses: readonly string[]; readonly unfiredActions: readonly string[] };
  readonly trace: readonly TraceStepReport[];
}

export { formatParams };

/** A state as plain data: the model's view, else Immutable's toJS(), else the value itself. */
export function viewOf<S>(model: Model<S>, state: S): unknown {
  if (model.view) return model.view(state);
  const withToJS = state as { toJS?: () => unknown } | null;
  if (withToJS !== null && typeof withToJS === 'object' && typeof withToJS.toJS === 'function') return withToJS.toJS();
  return state;
}

function oneLine(text: string, max = 300): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}

/** Imports a user's model module; the error is one line naming the problem. */
export async function loadModelFile(path: string): Promise<{ model: Model<unknown>; path: string } | { error: string }> {
  const absolute = resolve(path);
  if (!existsSync(absolute)) return { error: `--model ${path}: no such file` };
  if (!statSync(absolute).isFile()) return { error: `--model ${path}: not a file` };
  let mod: Record<string, unknown>;
  try {
    mod = (await import(pathToFileURL(absolute).href)) as Record<string, unknown>;
  } catch (e) {
    return { error: `--model ${path}: cannot import it: ${oneLine(e instanceof Error ? e.message : String(e))}` };
  }
  for (const candidate of [mod.default, mod.model]) {
    if (isModel(candidate)) return { model: candidate, path: absolute };
  }
  const expected = 'a Model (name: string, init: array, actions: array of {name, guard, effect}, '
    + 'properties: array of {name, kind, condition})';
  const found = [
    ...('default' in mod ? ['its default export'] : []),
    ...('model' in mod ? ["its export 'model'"] : []),
  ];
  if (found.length === 0) {
    return { error: `--model ${path} exports no model: expected \`export default\` or \`export const model\` of ${expected}` };
  }
  return { error: `--model ${path}: ${found.join(' and ')} ${found.length > 1 ? 'are' : 'is'} not ${expected}` };
}

/** Builds a job's model (in whatever thread runs it). */
export async function buildModel(spec: JobSpec): Promise<Model<unknown>> {
  if (spec.kind === 'presence') {
    return presenceModel(spec.design, spec.bounds, { symmetry: spec.symmetry }) as unknown as Model<unknown>;
  }
  const loaded = await loadModelFile(spec.path);
  if ('error' in loaded) throw new Error(loaded.error);
  return loaded.model;
}

/** Turns the command line into jobs, loading a --model first: every bad input is found before any run. */
export async function resolveJobs(options: CheckArgs): Promise<Job[] | { error: string }> {
  if (options.modelPath !== undefined) {
    const loaded = await loadModelFile(options.modelPath);
    if ('error' in loaded) return loaded;
    return [{ spec: { kind: 'module', path: loaded.path }, label: loaded.model.name, model: loaded.model }];
  }
  return options.designs.map((design) => {
    const spec: JobSpec = { kind: 'presence', design, bounds: options.bounds, symmetry: options.symmetry };
    return {
      spec,
      label: design,
      model: presenceModel(design, options.bounds, { symmetry: options.symmetry }) as unknown as Model<unknown>,
    };
  });
}

export function limitsOf(options: CheckArgs): RunLimits {
  return {
    exact: options.exact,
    workers: options.workers,
    ...(options.maxStates !== undefined ? { maxStates: options.maxStates } : {}),
    ...(options.maxTimeMs !== undefined ? { maxTimeMs: options.maxTimeMs } : {}),
    ...(options.maxDepth !== undefined ? { maxDepth: options.maxDepth } : {}),
  };
}

/** The model's sentence for a step, else action(params). */
export function describeOf<S>(model: Model<S>, action: string, params: Params, from: S, to: S): string {
  const said = model.describe?.({ from, action, params }, to);
  if (said !== undefined && said !== '') return said;
  const args = formatParams(params);
  return `${action}(${args})`;
}

function frame(spec: JobSpec, model: Model<unknown>, limits: RunLimits) {
  return {
    design: spec.kind === 'presence' ? spec.design : null,
    model: model.name,
    modelPath: spec.kind === 'module' ? spec.path : null,
    bounds: spec.kind === 'presence' ? spec.bounds : null,
    symmetry: spec.kind === 'presence' ? spec.symmetry : null,
    exact: limits.exact,
    limits: { maxStates: limits.maxStates ?? null, maxTimeMs: limits.maxTimeMs ?? null, maxDepth: limits.maxDepth ?? null },
  };
}

/** The plain report of a finished check. */
export function toReport<S>(spec: JobSpec, model: Model<S>, limits: RunLimits, result: CheckResult<S>): RunReport {
  const trace: TraceStepReport[] = result.trace.map((step, index) => ({
    index,
    action: step.action,
    params: step.params,
    description: step.action === null
      ? 'initial state'
      : describeOf(model, step.action, step.params, result.trace[index - 1].state, step.state),
    state: viewOf(model, step.state),
  }));
  const named = result.properties.find((p) => p.name === result.property);
  return {
    ...frame(spec, model as Model<unknown>, limits),
    workers: result.workers,
    verdict: result.verdict,
    property: result.property,
    propertyDescription: named?.description ?? null,
    states: result.states,
    transitions: result.transitions,
    depth: result.depth,
    elapsedMs: result.elapsedMs,
    coverage: result.coverage,
    properties: result.properties,
    limit: result.limit,
    vacuity: result.vacuity,
    trace,
  };
}

/**
 * The report of a run that ended without a result (the worker ran out of
 * memory): the figures of its last progress report, every property unknown.
 */
export function cutShortReport(job: Job, limits: RunLimits, last: Progress | null, limit: Limit): RunReport {
  const model = job.model;
  const properties: PropertyResult[] = model.properties.map((p) => ({
    name: p.name, kind: p.kind, description: p.description, status: 'unknown',
  }));
  if (model.deadlockIsError !== false) {
    properties.push({ name: DEADLOCK.name, kind: 'deadlock', description: DEADLOCK.description, status: 'unknown' });
  }
  return {
    ...frame(job.spec, model, limits),
    workers: limits.workers ?? 1,
    verdict: 'incomplete',
    property: null,
    propertyDescription: null,
    states: last?.states ?? 0,
    transitions: last?.transitions ?? 0,
    depth: last?.depth ?? 0,
    elapsedMs: last?.elapsedMs ?? 0,
    coverage: {},
    properties,
    limit,
    vacuity: { unreachedWitnesses: [], unfiredActions: [] },
    trace: [],
  };
}

/** Where the search's worker threads rebuild a job's model: buildModel(spec), below. */
function sourceOf(spec: JobSpec): ModelSource {
  return { module: import.meta.url, export: 'buildModel', args: [spec] };
}

const spawn: WorkerFactory = (entry, workerData) => tsWorker(entry, { workerData });

/** Runs one check: in this thread, or on `limits.workers` worker threads. */
export async function runModel<S>(spec: JobSpec, model: Model<S>, limits: RunLimits, hooks: RunHooks = {}): Promise<RunReport> {
  const options: ParallelOptions = {
    workers: limits.workers ?? 1,
    spawn,
    exact: limits.exact,
    ...(limits.maxStates !== undefined ? { maxStates: limits.maxStates } : {}),
    ...(limits.maxTimeMs !== undefined ? { maxTimeMs: limits.maxTimeMs } : {}),
    ...(limits.maxDepth !== undefined ? { maxDepth: limits.maxDepth } : {}),
    ...(hooks.onProgress ? { onProgress: hooks.onProgress, progressEveryMs: 200 } : {}),
    ...(hooks.shouldStop ? { shouldStop: hooks.shouldStop } : {}),
  };
  return toReport(spec, model, limits, await checkParallel(sourceOf(spec), options, model));
}

/** Runs jobs: in this thread (tests), or in a worker so that Ctrl-C can reach a running check (cli.ts). */
export interface Runner {
  run(job: Job, limits: RunLimits, onProgress?: (p: Progress) => void): Promise<RunReport>;
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
