// `simulate`: the same job description as check (designs, design files or a
// user's model, bounds, faults, liveness, threads, output), and how to walk:
// the seed, how many walks, how long each, for how long, and how to pick
// each step (uniformly, by weights, or a swarm of strategies).
import { DEFAULT_MAX_STEPS, DEFAULT_RUNS } from '../../checker/index.ts';
import {
  CHECK_BOUND_FLAGS,
  PRESET_FLAG,
  FAULT_FLAGS,
  LIVENESS_FLAGS,
  OUTPUT_FLAGS,
  parseJobFlags,
  parseSeconds,
  SELECTION_FLAGS,
  DEFAULT_WORKERS,
  type CheckArgs,
  type JobArgs,
} from './check.ts';
import { fail, ok, parseInteger, type FlagSpec, type Parsed, type RawFlags } from './common.ts';

export interface SimulateArgs extends JobArgs {
  readonly command: 'simulate';
  /** --seed, or null: drawn at random (and printed) when the run starts */
  readonly seed: number | null;
  /** --runs (absent: DEFAULT_RUNS, or with --max-time as many as the time allows) */
  readonly runs?: number;
  readonly maxSteps: number;
  readonly maxTimeMs?: number;
  /** --weights: the weight of each named action's transitions (the others weigh 1) */
  readonly weights: Readonly<Record<string, number>>;
  readonly swarm: boolean;
  /** --no-shrink: print the walk as found */
  readonly shrink: boolean;
}

export const WALK_FLAGS: readonly FlagSpec[] = [
  {
    flag: 'seed',
    value: 'N',
    describe: `the master seed, 0 to 2^53-1 (default: drawn at random and printed); the same seed gives the same walks and the same result on any number of threads`,
  },
  {
    flag: 'runs',
    value: 'N',
    describe: `walks to take (default ${DEFAULT_RUNS.toLocaleString('en-US')}; with --max-time and no --runs: as many as the time allows)`,
  },
  { flag: 'max-steps', value: 'N', describe: `steps each walk takes at most (default ${DEFAULT_MAX_STEPS})` },
  {
    flag: 'max-time',
    value: 'SECONDS',
    describe: 'start no walk after SECONDS, fractions allowed (the runs done then depend on the machine; the trace found does not)',
  },
  {
    flag: 'weights',
    value: 'A=W,...',
    describe:
      'pick each step by weight: each transition of action A weighs W (a number >= 0; actions not named weigh 1; 0: only when nothing that weighs more is enabled). Default: every enabled transition alike',
  },
  {
    flag: 'swarm',
    describe:
      'swarm (as SPIN swarm verification does): each walk draws its own strategy, each action off or on with a weight of 1 to 8 (times --weights), and its own length, from a quarter of --max-steps to all of it',
  },
  { flag: 'no-shrink', negated: true, describe: 'print the walk that found a violation as it was, not shrunk' },
  {
    flag: 'workers',
    value: 'N',
    describe: `threads walking: this one and N-1 worker threads (default: every core, here ${DEFAULT_WORKERS}); the result is the same for any N`,
  },
  {
    flag: 'no-symmetry',
    negated: true,
    describe: 'count distinct states without treating users, tab slots and meeting ids as interchangeable (the walks are the same)',
  },
];

export const SIMULATE_FLAGS: readonly FlagSpec[] = [
  ...SELECTION_FLAGS,
  PRESET_FLAG,
  ...CHECK_BOUND_FLAGS,
  ...FAULT_FLAGS,
  ...LIVENESS_FLAGS,
  ...WALK_FLAGS,
  ...OUTPUT_FLAGS,
];

/** --weights A=W,B=W: names and non-negative numbers (the names are checked against each model when it is built). */
export function parseWeights(raw: unknown): Parsed<Readonly<Record<string, number>>> {
  if (raw === undefined) return ok({});
  const weights: Record<string, number> = {};
  const items = String(raw)
    .split(',')
    .map((x) => x.trim())
    .filter((x) => x !== '');
  if (items.length === 0) return fail('--weights needs ACTION=WEIGHT pairs, comma-separated (e.g. --weights tick=4,closeTab=0)');
  for (const item of items) {
    const m = /^([^=\s]+)\s*=\s*(\d+(\.\d*)?|\.\d+)$/.exec(item);
    if (m === null) return fail(`--weights: '${item}' is not ACTION=WEIGHT with WEIGHT a number >= 0 (e.g. --weights tick=4,closeTab=0)`);
    if (Object.hasOwn(weights, m[1])) return fail(`--weights: ${m[1]} is given twice`);
    weights[m[1]] = Number(m[2]);
  }
  return ok(weights);
}

/** A count flag: an integer of at least `min` that the walks can count to exactly (a safe integer). */
function parseCount(flag: string, raw: unknown, min: number): Parsed<number> {
  const n = parseInteger(flag, raw, min, Infinity);
  if (n.ok && !Number.isSafeInteger(n.value)) return fail(`--${flag} must be at most 2^53-1 (got ${String(raw).trim()})`);
  return n;
}

export function parseSimulate(raw: RawFlags): Parsed<SimulateArgs> {
  const job = parseJobFlags('simulate', raw);
  if (!job.ok) return job;
  let seed: number | null = null;
  if (raw.seed !== undefined) {
    const n = parseCount('seed', raw.seed, 0);
    if (!n.ok) return n;
    seed = n.value;
  }
  let runs: number | undefined;
  if (raw.runs !== undefined) {
    const n = parseCount('runs', raw.runs, 1);
    if (!n.ok) return n;
    runs = n.value;
  }
  let maxSteps = DEFAULT_MAX_STEPS;
  if (raw['max-steps'] !== undefined) {
    const n = parseCount('max-steps', raw['max-steps'], 0);
    if (!n.ok) return n;
    maxSteps = n.value;
  }
  let maxTimeMs: number | undefined;
  if (raw['max-time'] !== undefined) {
    const ms = parseSeconds('max-time', raw['max-time']);
    if (!ms.ok) return ms;
    maxTimeMs = ms.value;
  }
  const weights = parseWeights(raw.weights);
  if (!weights.ok) return weights;
  return ok({
    command: 'simulate',
    ...job.value,
    seed,
    ...(runs !== undefined ? { runs } : {}),
    maxSteps,
    ...(maxTimeMs !== undefined ? { maxTimeMs } : {}),
    weights: weights.value,
    swarm: raw.swarm === true,
    shrink: raw.shrink !== false,
  });
}

export type { CheckArgs };
