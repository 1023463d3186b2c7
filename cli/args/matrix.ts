// `matrix`: designs × bounds, as a verdict table. Lists (--designs, --users,
// --lag) are comma-separated; each value is checked against its bound's
// range (model/bounds.ts).
import { existsSync, statSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { dirname } from 'node:path';
import { BOUND_SPECS, DEFAULT_BOUNDS, boundsError, type Bounds } from '../../model/index.ts';
import { DEBUG_FLAG, fail, HELP_FLAG, ok, parseInteger, parsePath, type FlagSpec, type Parsed, type RawFlags } from './common.ts';
import { many, parseDesignList } from './check.ts';
import { DESIGN_NAMES } from '../../model/index.ts';

export const MATRIX_FORMATS = ['text', 'markdown', 'json'] as const;
export type MatrixFormat = (typeof MATRIX_FORMATS)[number];

export interface MatrixArgs {
  readonly command: 'matrix';
  /** built-in designs, in the order given (default: every design, in DESIGNS order) */
  readonly designs: readonly string[];
  /** design files, after the built-in designs */
  readonly designFiles: readonly string[];
  /** the users × lag grid, each list ascending and without repeats */
  readonly users: readonly number[];
  readonly lag: readonly number[];
  /** live tabs per user in every cell */
  readonly tabs: number;
  /** add each design's timing sweeps (model/designs.ts timingBoundsOf) to the grid */
  readonly sweeps: boolean;
  /** the fault matrix: each design under no fault, each fault alone, and all of them (no sweeps) */
  readonly faults: boolean;
  /** check the liveness properties too (--no-liveness: safety only) */
  readonly liveness: boolean;
  /** the cap on distinct states, per cell */
  readonly maxStates: number;
  /** cells checked at once, each in its own worker thread */
  readonly jobs: number;
  readonly format: MatrixFormat;
  /** write the table to this file (whole or not at all) instead of stdout */
  readonly out?: string;
  /** a matrix to compare with (its JSON, or a Markdown file holding its table): exit 1 on drift */
  readonly expect?: string;
  readonly debug: boolean;
}

export const MATRIX_DEFAULTS = {
  users: [1, 2, 3],
  lag: [0, 1, 2],
  tabs: 2,
  // Deterministic (the BFS stops at the same state every run). The designs
  // that break an invariant do so within it at every cell; the designs that
  // keep them (fixed-ttl, fixed, refuse-latecomers) need millions of states
  // from 2 users on (fixed: 2.9M at 2 users × lag 0, 13M at lag 1), which the
  // proofs of `npm run prove` explore instead.
  maxStates: 1_000_000,
  jobs: availableParallelism(),
} as const;

/**
 * The fault matrix's defaults: 2 users with 1 live tab each at lag 0 (the
 * smallest bound where a split needs two users and where fixed-ttl holds
 * without faults), and a cap above every cell (fixed with every fault,
 * liveness included: 1.6M states). fixed at 2 tabs with every fault is one of
 * `npm run prove`'s proofs.
 */
export const FAULT_MATRIX_DEFAULTS = { users: [2], lag: [0], tabs: 1, maxStates: 10_000_000 } as const;

const MAX_JOBS = 64;

export const MATRIX_FLAGS: readonly FlagSpec[] = [
  { flag: 'designs', value: 'NAMES', describe: 'designs to check, comma-separated, or all (default: all, unless --design-file)' },
  { flag: 'design-file', value: 'FILES', describe: 'also check the design each FILE describes, comma-separated' },
  { flag: 'users', value: 'LIST', describe: `users of each grid cell, comma-separated (default: ${MATRIX_DEFAULTS.users.join(',')})` },
  { flag: 'lag', value: 'LIST', describe: `presence lags of each grid cell, comma-separated (default: ${MATRIX_DEFAULTS.lag.join(',')})` },
  {
    flag: 'tabs',
    value: 'N',
    describe: `live tabs per user in every cell (default ${MATRIX_DEFAULTS.tabs}; with --faults, ${FAULT_MATRIX_DEFAULTS.tabs})`,
  },
  { flag: 'no-sweeps', negated: true, describe: "only the users × lag grid, without each design's timing sweeps" },
  { flag: 'no-liveness', negated: true, describe: 'check safety only in every cell (see check --help)' },
  {
    flag: 'faults',
    describe:
      `the fault matrix: each design with no fault, with each fault alone, and with all of them, on the grid (default 2 users × 1 tab, lag 0, ` +
      `cap ${FAULT_MATRIX_DEFAULTS.maxStates.toLocaleString('en-US')}; no sweeps)`,
  },
  {
    flag: 'max-states',
    value: 'N',
    describe: `stop each cell at N distinct states (default ${MATRIX_DEFAULTS.maxStates.toLocaleString('en-US')}); such a cell is incomplete: no violation up to its depth`,
  },
  {
    flag: 'jobs',
    value: 'N',
    describe: `cells checked at once, each in a worker thread (default: one a core, here ${MATRIX_DEFAULTS.jobs})`,
  },
  {
    flag: 'format',
    value: 'F',
    describe: `the table's format: ${MATRIX_FORMATS.join(', ')} (default: text, or what the --out file name implies)`,
  },
  { flag: 'json', describe: 'the same as --format json: one JSON document' },
  { flag: 'out', value: 'FILE', describe: 'write the table to FILE instead of stdout (.md: markdown, .json: json)' },
  {
    flag: 'expect',
    value: 'FILE',
    describe: 'compare with a matrix in FILE (its JSON, or Markdown holding its table, e.g. docs/matrix.md), time aside; exit 1 on drift',
  },
  DEBUG_FLAG,
  HELP_FLAG,
];

/** A comma-separated list of a bound's values, each in its range, ascending, without repeats. */
function parseBoundList(name: 'users' | 'lag', raw: unknown): Parsed<readonly number[]> {
  const spec = BOUND_SPECS.find((b) => b.name === name)!;
  const text = String(raw).trim();
  const wanted = `--${spec.flag} must be a comma-separated list of integers from ${spec.min} to ${spec.max}`;
  const items = text.split(',').map((t) => t.trim());
  if (text === '' || items.some((t) => !/^[-+]?\d+$/.test(t))) return fail(`${wanted} (got '${String(raw)}')`);
  const values = items.map(Number);
  for (const v of values) {
    if (boundsError({ ...DEFAULT_BOUNDS, [name]: v } as Bounds) !== null) return fail(`${wanted} (got ${v} in '${text}')`);
  }
  return ok([...new Set(values)].sort((a, b) => a - b));
}

/** The format an --out file name implies (text when it implies none). */
export function matrixFormatOfPath(path: string): MatrixFormat {
  if (/\.json$/i.test(path)) return 'json';
  if (/\.(md|markdown)$/i.test(path)) return 'markdown';
  return 'text';
}

export function parseMatrix(raw: RawFlags): Parsed<MatrixArgs> {
  const positionals = raw._.map(String);
  if (positionals.length > 0) return fail(`unexpected argument '${positionals[0]}' after matrix (see matrix --help)`);

  const designFiles = many(raw['design-file']);
  if (designFiles.some((f) => f === '')) return fail('--design-file needs a file path (see matrix --help)');
  let designs: readonly string[] = designFiles.length > 0 ? [] : DESIGN_NAMES;
  if (raw.designs !== undefined) {
    const parsed = parseDesignList('designs', raw.designs);
    if (!parsed.ok) return parsed;
    designs = parsed.value;
  }

  const faults = raw.faults === true;
  if (faults && raw.sweeps === false) return fail('--no-sweeps does not apply with --faults (the fault matrix has no sweeps)');
  const defaults = faults ? FAULT_MATRIX_DEFAULTS : MATRIX_DEFAULTS;
  const lists: { users: readonly number[]; lag: readonly number[] } = { users: defaults.users, lag: defaults.lag };
  for (const name of ['users', 'lag'] as const) {
    if (raw[name] === undefined) continue;
    const parsed = parseBoundList(name, raw[name]);
    if (!parsed.ok) return parsed;
    lists[name] = parsed.value;
  }

  let tabs: number = defaults.tabs;
  if (raw.tabs !== undefined) {
    const spec = BOUND_SPECS.find((b) => b.name === 'tabs')!;
    const n = parseInteger('tabs', raw.tabs, spec.min, spec.max);
    if (!n.ok) return n;
    tabs = n.value;
  }
  let maxStates: number = defaults.maxStates;
  if (raw['max-states'] !== undefined) {
    const n = parseInteger('max-states', raw['max-states'], 1, Infinity);
    if (!n.ok) return n;
    maxStates = n.value;
  }
  let jobs: number = MATRIX_DEFAULTS.jobs;
  if (raw.jobs !== undefined) {
    const n = parseInteger('jobs', raw.jobs, 1, MAX_JOBS);
    if (!n.ok) return n;
    jobs = n.value;
  }

  let out: string | undefined;
  if (raw.out !== undefined) {
    const path = parsePath('out', raw.out, 'matrix');
    if (!path.ok) return path;
    out = path.value;
    const dir = dirname(out);
    if (!existsSync(dir) || !statSync(dir).isDirectory()) return fail(`--out ${out}: no such directory '${dir}'`);
  }
  let expect: string | undefined;
  if (raw.expect !== undefined) {
    const path = parsePath('expect', raw.expect, 'matrix');
    if (!path.ok) return path;
    expect = path.value;
    if (!existsSync(expect) || !statSync(expect).isFile()) return fail(`--expect ${expect}: no such file`);
  }

  let format: MatrixFormat = out !== undefined ? matrixFormatOfPath(out) : 'text';
  if (raw.format !== undefined) {
    const named = MATRIX_FORMATS.find((f) => f === raw.format);
    if (!named) return fail(`unknown --format '${String(raw.format)}' (matrix formats: ${MATRIX_FORMATS.join(', ')})`);
    format = named;
  }
  if (raw.json === true) {
    if (raw.format !== undefined && format !== 'json') return fail(`--json and --format ${format} disagree: give one`);
    format = 'json';
  }

  return ok({
    command: 'matrix',
    designs,
    designFiles,
    users: lists.users,
    lag: lists.lag,
    tabs,
    sweeps: !faults && raw.sweeps !== false,
    faults,
    liveness: raw.liveness !== false,
    maxStates,
    jobs,
    format,
    ...(out !== undefined ? { out } : {}),
    ...(expect !== undefined ? { expect } : {}),
    debug: raw.debug === true,
  });
}
