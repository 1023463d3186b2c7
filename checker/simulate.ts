// Simulation: seeded random walks from the initial states (walk.ts), for
// bounds past exhaustive reach, as TLC's -simulate and `quint run` do. No
// I/O. It never concludes "holds": a run that meets no violation ends in
// `none-found`, with what it covered (runs, steps, distinct states seen,
// each action's count, the witnesses reached). A violation is shrunk
// (shrink.ts) to a short trace that is a real run, and replays.
//
// Reproducible: the walks are cut into batches of consecutive runs; run r's
// walk depends only on the master seed and r, and the batches' results are
// added up strictly in run order, up to the first run that violates a
// property. So the same seed gives the same walks, the same counts and the
// same trace in one thread (simulate) or on several (simulate-parallel.ts),
// as long as the same runs are done: with --runs always; with --max-time, the
// runs done before the deadline depend on the machine, so the counts do, and
// the violation found is the first one among the runs done (the same trace
// whenever its run is reached).
//
// Witnesses: each thread stops judging a witness once it has seen it
// reached. Its first reach in run order is still exact: a thread walks its
// batches in increasing order, so a thread that dropped a witness had reached
// it in an earlier run than any it walks later.
import { assertEncodingSample } from './encoding-check.ts';
import { DEFAULT_ENCODING_SAMPLE } from './bfs.ts';
import { ModelCodeError, ModelDefinitionError } from './errors.ts';
import { ModelFault } from './successors.ts';
import { shrinkLasso, shrinkViolation, type ShrinkOptions } from './shrink.ts';
import { DEADLOCK, type CheckResult, type EncodingCheck, type Limit, type Model, type PropertyResult, type TraceStep } from './types.ts';
import { assertModel } from './validate.ts';
import { createVisitedSet, defaultEncoder, type FingerprintSet } from './visited.ts';
import { MAX_SEED } from './random.ts';
import { Walker, type BatchResult, type WalkConfig } from './walk.ts';

export { MAX_SEED };

/** Walks when neither runs nor a time limit is given (`quint run`'s default sample count). */
export const DEFAULT_RUNS = 10_000;
/** Steps a walk takes at most, by default (TLC's default simulation depth). */
export const DEFAULT_MAX_STEPS = 100;
/** Steps a batch of runs should take, about: small enough to spread over threads and to stop soon at a deadline. */
const BATCH_STEPS = 4096;

export interface SimulateOptions {
  /** the master seed: a safe integer, 0 to 2^53 - 1 */
  readonly seed: number;
  /** walks to take (default: DEFAULT_RUNS, or, with maxTimeMs, as many as the time allows) */
  readonly runs?: number;
  /** steps per walk at most (default DEFAULT_MAX_STEPS) */
  readonly maxSteps?: number;
  /** start no batch of walks after this many milliseconds */
  readonly maxTimeMs?: number;
  /** the weight of each action's transitions, by action name (default 1; 0: only when no enabled transition weighs more) */
  readonly weights?: Readonly<Record<string, number>>;
  /** swarm (as SPIN's swarm verification): each run draws its own weights and length */
  readonly swarm?: boolean;
  /** judge the lassos walks close against the model's leadsTo properties (default true) */
  readonly lassos?: boolean;
  /** shrink a violation (default true) */
  readonly shrink?: boolean | ShrinkOptions;
  readonly onProgress?: (p: SimulationProgress) => void;
  readonly progressEveryMs?: number;
  /** polled between steps; returning a limit stops the run (the walks done so far are the result) */
  readonly shouldStop?: () => Limit | null;
  /** states the encoding is tested on first (as for check; 0: skip) */
  readonly encodingSample?: number;
}

export interface SimulationProgress {
  readonly strategy: 'simulate';
  readonly runs: number;
  /** the runs asked for (null: as many as the time allows) */
  readonly maxRuns: number | null;
  readonly steps: number;
  /** distinct states seen so far */
  readonly states: number;
  readonly elapsedMs: number;
  readonly maxTimeMs: number | null;
}

export const isSimulationProgress = (p: object): p is SimulationProgress => (p as { strategy?: unknown }).strategy === 'simulate';

/** What a simulation did, beyond what every result says. */
export interface SimulationSummary {
  readonly seed: number;
  /** walks done (up to and including the one that found the violation) */
  readonly runs: number;
  readonly maxRuns: number | null;
  readonly maxSteps: number;
  readonly maxTimeMs: number | null;
  /** steps taken, all walks together */
  readonly steps: number;
  /** the longest walk's steps */
  readonly longest: number;
  readonly swarm: boolean;
  /** the weights given (by action name; any other action weighs 1) */
  readonly weights: Readonly<Record<string, number>>;
  /** lassos the walks closed that were judged against the leadsTo properties (revisited states, and states nothing fair leaves) */
  readonly lassos: number;
  /** each witness the walks reached: the first run (0-based) and the step of its walk where it was */
  readonly reached: Readonly<Record<string, { readonly run: number; readonly step: number }>>;
  /** the walk that found the violation: its run (0-based) and its length before shrinking */
  readonly found: { readonly run: number; readonly steps: number } | null;
  /** the shrinking: trace length before and after, candidates replayed, states its searches held */
  readonly shrink: { readonly from: number; readonly to: number; readonly replays: number; readonly bfsStates: number } | null;
}

export interface SimulationResult<S> extends CheckResult<S> {
  readonly simulation: SimulationSummary;
}

/** The options, checked and with defaults: what the walks and the tally need. */
export interface SimulationPlan {
  readonly config: WalkConfig;
  readonly maxRuns: number;
  readonly maxTimeMs: number | null;
  readonly runsPerBatch: number;
  readonly weights: Readonly<Record<string, number>>;
  /** what the encoding self-check before the walks covered (prepareSimulation); null when it was not run */
  readonly encodingCheck: EncodingCheck | null;
}

export function planSimulation<S>(model: Model<S>, options: SimulateOptions): SimulationPlan {
  const { seed } = options;
  if (!Number.isSafeInteger(seed) || seed < 0) throw new RangeError(`seed must be an integer from 0 to ${MAX_SEED} (got ${seed})`);
  const maxSteps = options.maxSteps ?? DEFAULT_MAX_STEPS;
  if (!Number.isSafeInteger(maxSteps) || maxSteps < 0) throw new RangeError(`maxSteps must be a non-negative integer (got ${maxSteps})`);
  const maxRuns = options.runs ?? (options.maxTimeMs !== undefined ? Infinity : DEFAULT_RUNS);
  if (!(maxRuns === Infinity || (Number.isSafeInteger(maxRuns) && maxRuns >= 1)))
    throw new RangeError(`runs must be a positive integer (got ${maxRuns})`);
  const given = options.weights ?? {};
  const names = model.actions.map((a) => a.name);
  for (const [name, w] of Object.entries(given)) {
    if (!names.includes(name))
      throw new ModelDefinitionError(`weight for '${name}', which is no action of the model (actions: ${names.join(', ')})`);
    if (!(Number.isFinite(w) && w >= 0)) throw new RangeError(`the weight of ${name} must be a finite number >= 0 (got ${w})`);
  }
  const weighted = Object.keys(given).length > 0;
  const config: WalkConfig = {
    seed,
    maxSteps,
    weights: weighted ? names.map((n) => given[n] ?? 1) : null,
    swarm: options.swarm === true,
    lassos: options.lassos !== false,
  };
  return {
    config,
    maxRuns,
    maxTimeMs: options.maxTimeMs ?? null,
    runsPerBatch: Math.max(1, Math.floor(BATCH_STEPS / Math.max(1, maxSteps))),
    weights: { ...given },
    encodingCheck: null,
  };
}

/** What simulate does before walking: refuse a malformed model, and test the encoding the distinct-state count rests on. */
export function prepareSimulation<S>(model: Model<S>, options: SimulateOptions): SimulationPlan {
  assertModel(model);
  const plan = planSimulation(model, options);
  return { ...plan, encodingCheck: assertEncodingSample(model, options.encodingSample ?? DEFAULT_ENCODING_SAMPLE) };
}

/** The batches' results, added up in run order. */
export class Tally<S> {
  readonly started = performance.now();
  readonly visited: FingerprintSet<S>;
  readonly fired: Float64Array;
  /** per witness: run and step of the first reach (-1: not reached) */
  readonly reached: Int32Array;
  runs = 0;
  steps = 0;
  longest = 0;
  lassos = 0;
  violation: BatchResult['violation'] = null;
  limit: Limit | null = null;
  /** batches added */
  batches = 0;
  private nextProgress: number;

  constructor(
    readonly model: Model<S>,
    readonly plan: SimulationPlan,
    readonly options: SimulateOptions,
  ) {
    // the distinct states seen: fingerprints of the model's encoding (as the search keys them)
    this.visited = createVisitedSet('fingerprint', model.encode ?? defaultEncoder<S>());
    this.fired = new Float64Array(model.actions.length);
    this.reached = new Int32Array(model.properties.filter((p) => p.kind === 'sometimes').length * 2).fill(-1);
    this.nextProgress = this.started + (options.progressEveryMs ?? 250);
  }

  /** The first run of batch b, and how many runs it has (0: none left). */
  batch(b: number): { first: number; count: number } {
    const first = b * this.plan.runsPerBatch;
    return { first, count: Math.max(0, Math.min(this.plan.runsPerBatch, this.plan.maxRuns - first)) };
  }

  /** Whether another batch may start: runs left, time left, not stopped. Records why not. */
  mayStart(b: number): boolean {
    if (this.violation !== null || this.limit !== null) return false;
    if (this.batch(b).count === 0) return false;
    const elapsed = performance.now() - this.started;
    if (this.plan.maxTimeMs !== null && elapsed >= this.plan.maxTimeMs) {
      this.limit = 'max-time';
      return false;
    }
    const stop = this.options.shouldStop?.() ?? null;
    if (stop !== null) {
      this.limit = stop;
      return false;
    }
    return true;
  }

  /** Adds the next batch's result (batches come in order). */
  add(r: BatchResult): void {
    if (r.first !== this.batch(this.batches).first) throw new Error(`simulation: batch of run ${r.first} added out of order`);
    this.batches++;
    this.runs += r.runs;
    this.steps += r.steps;
    this.longest = Math.max(this.longest, r.longest);
    this.lassos += r.lassos;
    for (let a = 0; a < r.fired.length; a++) this.fired[a] += r.fired[a];
    for (let w = 0; w * 2 < r.reached.length; w++) {
      if (this.reached[w * 2] < 0 && r.reached[w * 2] >= 0) {
        this.reached[w * 2] = r.reached[w * 2];
        this.reached[w * 2 + 1] = r.reached[w * 2 + 1];
      }
    }
    const fps = r.fingerprints;
    for (let i = 0; i < fps.length; i += 2) this.visited.insert(fps[i] >>> 0, fps[i + 1] >>> 0, -1);
    if (r.violation !== null) this.violation = r.violation;
    this.progress();
  }

  progress(): void {
    const { onProgress } = this.options;
    const now = performance.now();
    if (!onProgress || now < this.nextProgress) return;
    this.nextProgress = now + (this.options.progressEveryMs ?? 250);
    onProgress({
      strategy: 'simulate',
      runs: this.runs,
      maxRuns: this.plan.maxRuns === Infinity ? null : this.plan.maxRuns,
      steps: this.steps,
      states: this.visited.size,
      elapsedMs: now - this.started,
      maxTimeMs: this.plan.maxTimeMs,
    });
  }
}

/** The error for a throw from the model's code in run `run`: the walk up to it, and the step it was on. */
export function walkFault<S>(fault: ModelFault<S>, trace: readonly TraceStep<S>[]): ModelCodeError<S> {
  const run = [...trace];
  const last = run[run.length - 1]?.state;
  if (fault.step !== null && fault.target !== null && fault.target !== last)
    run.push({ action: fault.step.action, params: fault.step.params, state: fault.target });
  return new ModelCodeError(fault.part, fault.cause, run, fault.step?.action ?? null, fault.step?.params ?? null, fault.property);
}

/** Walks `run` again in this thread (deterministic), as a ModelCodeError when the model's code throws in it. */
export function walkAgain<S>(walker: Walker<S>, run: number) {
  try {
    return walker.replayRun(run);
  } catch (e) {
    if (e instanceof ModelFault) throw walkFault(e as ModelFault<S>, walker.trace);
    throw e;
  }
}

/** Random walks on this thread. */
export function simulate<S>(model: Model<S>, options: SimulateOptions): SimulationResult<S> {
  const plan = prepareSimulation(model, options);
  const walker = new Walker(model, plan.config);
  const tally = new Tally(model, plan, options);
  let stop: Limit | null = null;
  const interrupted = () => (stop ??= options.shouldStop?.() ?? null) !== null;
  for (let b = 0; tally.mayStart(b); b++) {
    const { first, count } = tally.batch(b);
    let r: BatchResult | null;
    try {
      r = walker.batch(first, count, interrupted);
    } catch (e) {
      if (e instanceof ModelFault) throw walkFault(e as ModelFault<S>, walker.trace);
      throw e;
    }
    if (r === null) {
      tally.limit = stop;
      break;
    }
    tally.add(r);
  }
  return simulationResult(model, tally, walker, options, 1);
}

/** The result of the tally: the violation's walk rebuilt and shrunk, the properties' statuses, the figures. */
export function simulationResult<S>(
  model: Model<S>,
  tally: Tally<S>,
  walker: Walker<S>,
  options: SimulateOptions,
  workers: number,
): SimulationResult<S> {
  const { plan } = tally;
  const found = tally.violation;
  let trace: TraceStep<S>[] = [];
  let loop: number | null = null;
  let shrink: SimulationSummary['shrink'] = null;
  let foundSteps = 0;
  if (found !== null) {
    const walk = walkAgain(walker, found.run);
    if (walk.violation === null || walk.violation.property !== found.property || walk.violation.step !== found.step)
      throw new Error(`simulation: run ${found.run} walked again does not find ${found.property} at step ${found.step}`);
    trace = walk.trace.slice(0, found.step + 1);
    foundSteps = found.step;
    loop = found.loop;
    if (options.shrink !== false) {
      try {
        if (loop === null) {
          const s = shrinkViolation(model, trace, found.property, typeof options.shrink === 'object' ? options.shrink : {});
          shrink = { from: trace.length - 1, to: s.trace.length - 1, replays: s.replays, bfsStates: s.bfsStates };
          trace = s.trace;
        } else {
          const s = shrinkLasso(model, trace, loop, found.property, typeof options.shrink === 'object' ? options.shrink : {});
          shrink = { from: trace.length - 1, to: s.trace.length - 1, replays: s.replays, bfsStates: 0 };
          trace = s.trace;
          loop = s.loop;
        }
      } catch (e) {
        if (e instanceof ModelFault) throw walkFault(e as ModelFault<S>, trace);
        throw e;
      }
    }
  }

  const witnesses = model.properties.filter((p) => p.kind === 'sometimes');
  const coverage: Record<string, number> = {};
  model.actions.forEach((a, i) => {
    coverage[a.name] = (coverage[a.name] ?? 0) + tally.fired[i];
  });
  const reachedAt = (w: number) => (tally.reached[w * 2] < 0 ? null : tally.reached[w * 2 + 1]);
  const violatedName = found?.property ?? null;
  const depthOfTrace = Math.max(0, trace.length - 1);
  const properties: PropertyResult[] = [];
  for (const p of model.properties) {
    const base = { name: p.name, kind: p.kind, description: p.description } as const;
    if (p.kind === 'sometimes') {
      const at = reachedAt(witnesses.indexOf(p));
      properties.push(at === null ? { ...base, status: 'unreached' } : { ...base, status: 'reached', depth: at });
    } else if (p.kind === 'leadsTo') {
      properties.push(p.name === violatedName ? { ...base, status: 'violated', depth: depthOfTrace } : { ...base, status: 'not-judged' });
    } else
      properties.push(p.name === violatedName ? { ...base, status: 'violated', depth: depthOfTrace } : { ...base, status: 'none-found' });
  }
  if (model.deadlockIsError !== false) {
    const base = { name: DEADLOCK.name, kind: 'deadlock', description: DEADLOCK.description } as const;
    properties.push(
      violatedName === DEADLOCK.name ? { ...base, status: 'violated', depth: depthOfTrace } : { ...base, status: 'none-found' },
    );
  }
  const unreachedWitnesses = witnesses.filter((_, w) => reachedAt(w) === null).map((w) => w.name);
  const unfiredActions = Object.keys(coverage).filter((n) => coverage[n] === 0);

  return {
    model: model.name,
    verdict: found !== null ? 'violated' : 'none-found',
    property: violatedName,
    vacuity: { unreachedWitnesses, unfiredActions },
    limit: found !== null ? null : tally.limit,
    states: tally.visited.size,
    transitions: tally.steps,
    depth: found !== null ? depthOfTrace : tally.longest,
    elapsedMs: performance.now() - tally.started,
    visitedBytes: tally.visited.bytes,
    peakFrontier: 0,
    workers,
    peakFrontierBytes: 0,
    coverage,
    properties,
    trace,
    loop,
    edges: 0,
    graphBytes: 0,
    encodingCheck: plan.encodingCheck ?? { states: 0, limit: 0, complete: false, codec: false },
    memory: null,
    simulation: {
      seed: plan.config.seed,
      runs: tally.runs,
      maxRuns: plan.maxRuns === Infinity ? null : plan.maxRuns,
      maxSteps: plan.config.maxSteps,
      maxTimeMs: plan.maxTimeMs,
      steps: tally.steps,
      longest: tally.longest,
      swarm: plan.config.swarm,
      weights: plan.weights,
      lassos: tally.lassos,
      reached: Object.fromEntries(
        witnesses.flatMap((w, i) =>
          tally.reached[i * 2] < 0 ? [] : [[w.name, { run: tally.reached[i * 2], step: tally.reached[i * 2 + 1] }]],
        ),
      ),
      found: found === null ? null : { run: found.run, steps: foundSteps },
      shrink,
    },
  };
}
