// What to check, as data that survives postMessage (a worker thread
// rebuilds the model from it), and what a report says about it: the frame
// (design, bounds, switches, limits) and the command line that repeats it.
import {
  assumptionsOf,
  BOUND_SPECS,
  DEFAULT_BOUNDS,
  FAULTS,
  presenceModel,
  type Bounds,
  type Design,
  type FaultName,
} from '../model/index.ts';
import { DEFAULT_MAX_STEPS, type Model } from '../checker/index.ts';
import type { Frame, PresetUse } from '../report/types.ts';
import { loadModelFile } from './load-model.ts';
import { program } from './program.ts';

export type JobSpec =
  | {
      readonly kind: 'presence';
      readonly design: Design;
      /** the design file it came from (--design-file), or null for a built-in design */
      readonly designFile: string | null;
      readonly bounds: Bounds;
      /** the faults in force */
      readonly faults: readonly FaultName[];
      readonly symmetry: boolean;
      /** check the liveness properties too (users are then not permuted by the symmetry reduction) */
      readonly liveness: boolean;
      /** for liveness: the environment settles (users' tab churn and faults are finite) */
      readonly settles: boolean;
      /** the preset the bounds came from (check), if any */
      readonly preset?: PresetUse | null;
    }
  | {
      readonly kind: 'module';
      readonly path: string;
      /** false: its leadsTo properties are left out (--no-liveness) */
      readonly liveness: boolean;
    };

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
  /** states the encoding is tested on before the search (checker default when absent; Infinity: all) */
  readonly encodingSample?: number;
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

/** The presence model a presence job checks. */
export const presenceModelOf = (spec: Extract<JobSpec, { kind: 'presence' }>) =>
  presenceModel(spec.design, spec.bounds, { symmetry: spec.symmetry, faults: spec.faults, liveness: spec.liveness, settles: spec.settles });

/** Builds a job's model (in whatever thread runs it). */
export async function buildModel(spec: JobSpec): Promise<Model<unknown>> {
  if (spec.kind === 'presence') {
    return presenceModelOf(spec) as unknown as Model<unknown>;
  }
  const loaded = await loadModelFile(spec.path);
  if ('error' in loaded) throw new Error(loaded.error);
  return spec.liveness ? loaded.model : withoutLiveness(loaded.model);
}

/** A model with its liveness (leadsTo) properties left out: safety only. */
export function withoutLiveness<S>(model: Model<S>): Model<S> {
  return { ...model, properties: model.properties.filter((p) => p.kind !== 'leadsTo') };
}

/**
 * The command line that checks the same thing, whatever the presets are by
 * then: users, tabs and lag always, other bounds when not the model's default.
 */
const ALWAYS_NAMED: readonly string[] = ['users', 'tabs', 'lag'];

export function rerunOf(spec: JobSpec, limits: RunLimits): string {
  const flags: string[] = [];
  if (spec.kind === 'module') flags.push(`--model ${spec.path}`, ...(spec.liveness ? [] : ['--no-liveness']));
  else {
    flags.push(spec.designFile !== null ? `--design-file ${spec.designFile}` : `--design ${spec.design.name}`);
    for (const b of BOUND_SPECS) {
      if (ALWAYS_NAMED.includes(b.name) || spec.bounds[b.name] !== DEFAULT_BOUNDS[b.name]) flags.push(`--${b.flag} ${spec.bounds[b.name]}`);
    }
    if (spec.faults.length > 0) flags.push(`--faults ${spec.faults.length === FAULTS.length ? 'all' : spec.faults.join(',')}`);
    if (!spec.symmetry) flags.push('--no-symmetry');
    if (!spec.liveness) flags.push('--no-liveness');
    else if (!spec.settles) flags.push('--no-settling');
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
export function faultsOf(spec: Extract<JobSpec, { kind: 'presence' }>): {
  readonly inForce: readonly string[];
  readonly notApplicable: readonly string[];
} {
  const asked = FAULTS.filter((f) => spec.faults.includes(f.name));
  return {
    inForce: asked.filter((f) => f.applies(spec.design)).map((f) => f.name),
    notApplicable: asked.filter((f) => !f.applies(spec.design)).map((f) => f.name),
  };
}

export function frameOf(spec: JobSpec, model: Model<unknown>, limits: RunLimits): Frame {
  return {
    design: spec.kind === 'presence' ? spec.design.name : null,
    model: model.name,
    modelPath: spec.kind === 'module' ? spec.path : null,
    bounds: spec.kind === 'presence' ? { ...spec.bounds } : null,
    boundsText: spec.kind === 'presence' ? boundsText(spec.bounds) : null,
    preset: spec.kind === 'presence' ? (spec.preset ?? null) : null,
    symmetry: spec.kind === 'presence' ? spec.symmetry : null,
    liveness: spec.kind === 'presence' ? spec.liveness : model.properties.some((p) => p.kind === 'leadsTo'),
    settles: spec.kind === 'presence' && spec.liveness ? spec.settles : null,
    faults: spec.kind === 'presence' ? faultsOf(spec) : null,
    assumptions:
      spec.kind === 'presence' ? assumptionsOf(spec.design, spec.faults, { checked: spec.liveness, settles: spec.settles }) : null,
    exact: limits.exact,
    limits: { maxStates: limits.maxStates ?? null, maxTimeMs: limits.maxTimeMs ?? null, maxDepth: limits.maxDepth ?? null },
    rerun: rerunOf(spec, limits),
  };
}
