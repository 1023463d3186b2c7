// What to check, as one plain object: the job description. `check`, `simulate`,
// `matrix`, `replay`, the CLI's worker thread and the search's worker threads
// all build their model from one with buildModel(), the one front door; every
// report carries it (Frame.job), every trace records it, and replay rebuilds
// the model from the trace's own (readJob checks one read from a file). Here
// too is what a report says about a job: the frame (design, bounds, switches,
// limits) and the command line that repeats it.
import {
  assumptionsOf,
  BOUND_SPECS,
  DEFAULT_BOUNDS,
  DESIGNS,
  FAULT_BOUND_SPECS,
  FAULT_NAMES,
  faultBoundsError,
  faultBoundsOf,
  faultByName,
  judgeError,
  NO_FAULT_BOUNDS,
  notJudgedOf,
  presenceModel,
  readDesign,
  boundsError,
  type Bounds,
  type Design,
  type FaultBounds,
  type FaultName,
  type PresenceOptions,
} from '../model/index.ts';
import { DEFAULT_MAX_STEPS, type Model } from '../checker/index.ts';
import type { Frame, JobRecord, PresetUse } from '../report/types.ts';
import { loadModelFile } from './load-model.ts';
import { program } from './program.ts';

/**
 * The presence model's options (model/index.ts PresenceOptions), with the
 * ones every check decides always given. They go to presenceModel as they
 * are, so an option the model adds travels in the job without an edit here.
 */
export type JobOptions = PresenceOptions & {
  /** the faults in force */
  readonly faults: readonly FaultName[];
  readonly symmetry: boolean;
  /** check the liveness properties too (on the symmetry-reduced graph, fairness instances followed through the renamings) */
  readonly liveness: boolean;
  /** for liveness: the environment settles (users' tab churn and faults are finite) */
  readonly settles: boolean;
};

/** A presence design at some bounds, with options. */
export interface PresenceJob {
  readonly kind: 'presence';
  /** the design, every switch written out (a design file's too: a trace needs no file to be replayed) */
  readonly design: Design;
  /** the design file it came from (--design-file), for the command line that repeats it; null for a built-in design */
  readonly designFile: string | null;
  readonly bounds: Bounds;
  readonly options: JobOptions;
  /**
   * the preset the bounds came from (check --preset), for the report's frame
   * only: `bounds` is what is checked. Not part of the recorded job (jobRecord).
   */
  readonly preset?: PresetUse | null;
}

/** A user's model module (--model). */
export interface ModuleJob {
  readonly kind: 'module';
  /** the module's absolute path */
  readonly path: string;
  /** false: its leadsTo properties are left out (--no-liveness) */
  readonly liveness: boolean;
}

/** What to check: plain data that survives postMessage and JSON (a worker thread, a trace file). */
export type JobDescription = PresenceJob | ModuleJob;

export interface Job {
  readonly spec: JobDescription;
  /** the design name, or the user model's name */
  readonly label: string;
  /** the model, built in this thread from `spec` (its properties and actions name the table's columns) */
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
  /** states the encoding is tested on before the search (checker default when absent; Infinity: all) */
  readonly encodingSample?: number;
  /**
   * --memory: the budget of the search's own structures in bytes, where to
   * make the run's spill directory (--spill-dir; null: the system's
   * temporary directory), and the directory itself once the command made it
   * (runJobs: it removes it after the run)
   */
  readonly memory?: { readonly bytes: number; readonly parent: string | null; readonly dir?: string };
  /** present: simulate (random walks) instead of the exhaustive search; maxTimeMs then bounds the walks */
  readonly simulate?: WalkLimits;
}

/** How `simulate` walks (data: a worker thread gets it as it is). */
export interface WalkLimits {
  readonly seed: number;
  /** walks to take (absent: the checker's default, or with maxTimeMs as many as the time allows) */
  readonly runs?: number;
  readonly maxSteps: number;
  readonly weights: Readonly<Record<string, number>>;
  readonly swarm: boolean;
  readonly shrink: boolean;
}

/** users=2 tabs=2 lag=1 ... (every bound, by its flag name) */
export function boundsText(bounds: Bounds): string {
  return BOUND_SPECS.map((b) => `${b.flag}=${bounds[b.name]}`).join(' ');
}

/** A presence job from its parts (options not given take the model's defaults for a check). */
export function presenceJob(design: Design, designFile: string | null, bounds: Bounds, options: Partial<JobOptions> = {}): PresenceJob {
  return {
    kind: 'presence',
    design,
    designFile,
    bounds,
    options: {
      ...options,
      faults: options.faults ?? [],
      symmetry: options.symmetry ?? true,
      liveness: options.liveness ?? true,
      settles: options.settles ?? true,
    },
  };
}

/**
 * The model a job describes, in whatever thread runs it: THE way every
 * command and thread builds one. Throws an Error whose message is one line
 * (a --model file that cannot be loaded, a job the model refuses).
 */
export async function buildModel(job: JobDescription): Promise<Model<unknown>> {
  if (job.kind === 'presence') return presenceModel(job.design, job.bounds, job.options) as unknown as Model<unknown>;
  const loaded = await loadModelFile(job.path);
  if ('error' in loaded) throw new Error(loaded.error);
  return job.liveness ? loaded.model : withoutLiveness(loaded.model);
}

/** A model with its liveness (leadsTo) properties left out: safety only. */
export function withoutLiveness<S>(model: Model<S>): Model<S> {
  return { ...model, properties: model.properties.filter((p) => p.kind !== 'leadsTo') };
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * A job description read from a file (a trace's `job`), checked against the
 * model's own lists (designs' switches, bounds, faults): the job, or one line
 * saying what is wrong. Bounds and switches it leaves out take their defaults;
 * options other than the four every check sets go to the model as they are.
 */
export function readJob(value: unknown): JobDescription | string {
  if (!isObject(value)) return 'job: expected an object';
  if (value.kind === 'module') {
    if (typeof value.path !== 'string' || value.path === '') return 'job.path: expected the model file';
    if (value.liveness !== undefined && typeof value.liveness !== 'boolean') return 'job.liveness: expected true or false';
    return { kind: 'module', path: value.path, liveness: value.liveness !== false };
  }
  if (value.kind !== 'presence') return `job.kind: expected presence or module (got ${JSON.stringify(value.kind)})`;
  const design = readDesign(value.design, DESIGNS);
  if (typeof design === 'string') return `job.design: ${design}`;
  if (value.designFile !== undefined && value.designFile !== null && typeof value.designFile !== 'string')
    return 'job.designFile: expected a path or null';
  if (value.bounds !== undefined && !isObject(value.bounds)) return 'job.bounds: expected an object';
  const given = (value.bounds ?? {}) as Record<string, unknown>;
  const unknown = Object.keys(given).filter((k) => !BOUND_SPECS.some((b) => b.name === k));
  if (unknown.length > 0) return `job.bounds: unknown bound '${unknown[0]}' (bounds: ${BOUND_SPECS.map((b) => b.name).join(', ')})`;
  const bounds = { ...DEFAULT_BOUNDS, ...given } as Bounds;
  const problem = boundsError(bounds);
  if (problem !== null) return `job.bounds: ${problem}`;
  if (value.options !== undefined && !isObject(value.options)) return 'job.options: expected an object';
  const options = (value.options ?? {}) as Record<string, unknown>;
  const faults = options.faults ?? [];
  if (!Array.isArray(faults) || !faults.every((f) => typeof f === 'string')) return 'job.options.faults: expected a list of fault names';
  const bad = faults.find((f) => faultByName(f) === undefined);
  if (bad !== undefined) return `job.options.faults: unknown fault '${bad}' (faults: ${FAULT_NAMES.join(', ')})`;
  for (const k of ['symmetry', 'liveness', 'settles'])
    if (options[k] !== undefined && typeof options[k] !== 'boolean') return `job.options.${k}: expected true or false`;
  if (options.faultBounds !== undefined) {
    if (!isObject(options.faultBounds)) return 'job.options.faultBounds: expected an object';
    const names = FAULT_BOUND_SPECS.map((b) => b.name as string);
    const odd = Object.keys(options.faultBounds).find((k) => !names.includes(k));
    if (odd !== undefined) return `job.options.faultBounds: unknown bound '${odd}' (bounds: ${names.join(', ')})`;
    const problem = faultBoundsError(options.faultBounds as Partial<FaultBounds>);
    if (problem !== null) return `job.options.faultBounds: ${problem}`;
  }
  if (options.judge !== undefined) {
    if (!Array.isArray(options.judge) || !options.judge.every((p) => typeof p === 'string'))
      return 'job.options.judge: expected a list of property names';
    const problem = judgeError(options.judge as string[]);
    if (problem !== null) return `job.options.judge: ${problem}`;
  }
  return presenceJob(design, (value.designFile as string | null | undefined) ?? null, bounds, {
    ...(options as Partial<JobOptions>),
    faults: faults as FaultName[],
  });
}

/**
 * The command line that checks the same thing, whatever the presets are by
 * then: users, tabs and lag always, other bounds when not the model's default.
 */
const ALWAYS_NAMED: readonly string[] = ['users', 'tabs', 'lag'];

export function rerunOf(spec: JobDescription, limits: RunLimits): string {
  const flags: string[] = [];
  if (spec.kind === 'module') flags.push(`--model ${spec.path}`, ...(spec.liveness ? [] : ['--no-liveness']));
  else {
    const o = spec.options;
    flags.push(spec.designFile !== null ? `--design-file ${spec.designFile}` : `--design ${spec.design.name}`);
    for (const b of BOUND_SPECS) {
      if (ALWAYS_NAMED.includes(b.name) || spec.bounds[b.name] !== DEFAULT_BOUNDS[b.name]) flags.push(`--${b.flag} ${spec.bounds[b.name]}`);
    }
    if (o.faults.length > 0) flags.push(`--faults ${o.faults.length === FAULT_NAMES.length ? 'all' : o.faults.join(',')}`);
    for (const b of FAULT_BOUND_SPECS) {
      const n = o.faultBounds?.[b.name];
      if (n !== undefined && n !== null) flags.push(`--${b.flag} ${n}`);
    }
    if (o.judge !== undefined && o.judge.length > 0) flags.push(`--judge ${o.judge.join(',')}`);
    if (!o.symmetry) flags.push('--no-symmetry');
    if (!o.liveness) flags.push('--no-liveness');
    else if (!o.settles) flags.push('--no-settling');
  }
  const walk = limits.simulate;
  if (walk !== undefined) {
    flags.push(`--seed ${walk.seed}`);
    if (walk.runs !== undefined) flags.push(`--runs ${walk.runs}`);
    if (walk.maxSteps !== DEFAULT_MAX_STEPS) flags.push(`--max-steps ${walk.maxSteps}`);
    if (limits.maxTimeMs !== undefined) flags.push(`--max-time ${limits.maxTimeMs / 1000}`);
    const weights = Object.entries(walk.weights);
    if (weights.length > 0) flags.push(`--weights ${weights.map(([a, w]) => `${a}=${w}`).join(',')}`);
    if (walk.swarm) flags.push('--swarm');
    if (!walk.shrink) flags.push('--no-shrink');
    return [`${program()} simulate`, ...flags].join(' ');
  }
  if (limits.exact) flags.push('--exact');
  return [`${program()} check`, ...flags].join(' ');
}

/** The faults in force, and those asked for that cannot touch the design. */
export function faultsOf(spec: PresenceJob): {
  readonly inForce: readonly string[];
  readonly notApplicable: readonly string[];
} {
  const asked = spec.options.faults.map((f) => faultByName(f)!);
  return {
    inForce: asked.filter((f) => f.applies(spec.design)).map((f) => f.name),
    notApplicable: asked.filter((f) => !f.applies(spec.design)).map((f) => f.name),
  };
}

/** The job as a report carries it: plain JSON data (without the preset, which the frame carries: it builds nothing). */
export function jobRecord(spec: JobDescription): JobRecord {
  const { preset: _preset, ...job } = spec as PresenceJob;
  return JSON.parse(JSON.stringify(spec.kind === 'presence' ? job : spec)) as JobRecord;
}

export function frameOf(spec: JobDescription, model: Model<unknown>, limits: RunLimits): Frame {
  const presence = spec.kind === 'presence' ? spec : null;
  return {
    design: presence?.design.name ?? null,
    model: model.name,
    modelPath: spec.kind === 'module' ? spec.path : null,
    bounds: presence !== null ? { ...presence.bounds } : null,
    boundsText: presence !== null ? boundsText(presence.bounds) : null,
    preset: presence?.preset ?? null,
    symmetry: presence?.options.symmetry ?? null,
    symmetryApplied: presence !== null ? presence.options.symmetry : null,
    liveness: presence !== null ? presence.options.liveness : model.properties.some((p) => p.kind === 'leadsTo'),
    settles: presence?.options.liveness ? presence.options.settles : null,
    faults: presence !== null ? faultsOf(presence) : null,
    assumptions:
      presence !== null
        ? assumptionsOf(
            presence.design,
            presence.options.faults,
            { checked: presence.options.liveness, settles: presence.options.settles },
            { ...NO_FAULT_BOUNDS, ...presence.options.faultBounds },
          )
        : null,
    faultBounds: presence !== null ? faultBoundsOf(presence.design, presence.options.faults, presence.options.faultBounds) : null,
    notJudged: presence !== null ? notJudgedOf(presence.design, presence.options.faults, presence.options.judge) : null,
    exact: limits.exact,
    limits: { maxStates: limits.maxStates ?? null, maxTimeMs: limits.maxTimeMs ?? null, maxDepth: limits.maxDepth ?? null },
    rerun: rerunOf(spec, limits),
    job: jobRecord(spec),
  };
}
