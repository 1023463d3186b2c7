// The `matrix` command's arguments: from the raw flags yargs gave back
// (cli/args.ts does the tokenizing for every command) to MatrixArgs, or one
// error line. Lists (--designs, --users, --lag) are comma-separated; each
// value is checked against its bound's range (model/bounds.ts), and the
// flags that configure a single check are refused rather than ignored.
import { existsSync, statSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { dirname } from 'node:path';
import { BOUND_SPECS, DEFAULT_BOUNDS, DESIGN_NAMES, boundsError, type Bounds } from '../model/index.ts';

export const MATRIX_FORMATS = ['text', 'markdown', 'json'] as const;
export type MatrixFormat = (typeof MATRIX_FORMATS)[number];

export interface MatrixArgs {
  readonly command: 'matrix';
  /** designs, in the order given (default: every design, in DESIGNS order) */
  readonly designs: readonly string[];
  /** the users × lag grid, each list ascending and without repeats */
  readonly users: readonly number[];
  readonly lag: readonly number[];
  /** add each design's timing sweeps (model/designs.ts timingBoundsOf) to the grid */
  readonly sweeps: boolean;
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
  // Deterministic (the BFS stops at the same state every run). Every cell of
  // the default matrix finishes under it (the largest, pending-joins at 3
  // users × lag 2, at 971,188 states), but fixed's grid cells at 2-3 users
  // (1.7M states at 2 users × lag 0, 10.9M at lag 1) and shipped's one-user
  // cells (2.9M at lag 0); fixed's flips, centred on a small two-user cell,
  // all finish. Doubling it costs twice the time of those eight cells and
  // settles only fixed at 2 users × lag 0 (holds).
  maxStates: 1_000_000,
  jobs: availableParallelism(),
} as const;

const MAX_JOBS = 64;

interface FlagDoc {
  readonly flag: string;
  readonly value?: string;
  readonly describe: string;
}

/** The matrix command's flags, for --help. */
export const MATRIX_FLAGS: readonly FlagDoc[] = [
  { flag: 'designs', value: 'NAMES', describe: 'designs to check, comma-separated, or all (default: all)' },
  { flag: 'users', value: 'LIST', describe: `users of each grid cell, comma-separated (default: ${MATRIX_DEFAULTS.users.join(',')})` },
  { flag: 'lag', value: 'LIST', describe: `presence lags of each grid cell, comma-separated (default: ${MATRIX_DEFAULTS.lag.join(',')})` },
  { flag: 'no-sweeps', describe: "only the users × lag grid, without each design's timing sweeps" },
  {
    flag: 'max-states', value: 'N',
    describe: `stop each cell at N distinct states (default ${MATRIX_DEFAULTS.maxStates.toLocaleString('en-US')}); such a cell is incomplete: no violation up to its depth`,
  },
  { flag: 'jobs', value: 'N', describe: `cells checked at once, each in a worker thread (default: one a core, here ${MATRIX_DEFAULTS.jobs})` },
  { flag: 'format', value: 'F', describe: `the table's format: ${MATRIX_FORMATS.join(', ')} (default: text, or what the --out file name implies)` },
  { flag: 'json', describe: 'the same as --format json: one JSON document' },
  { flag: 'out', value: 'FILE', describe: 'write the table to FILE instead of stdout (.md: markdown, .json: json)' },
  { flag: 'expect', value: 'FILE', describe: 'compare with a matrix in FILE (its JSON, or Markdown holding its table, e.g. README.md), time aside; exit 1 on drift' },
];

/** The flags of `check` and `replay` that have no meaning for a matrix (its cells set them). */
const NOT_FOR_MATRIX = ['design', 'model', ...BOUND_SPECS.filter((b) => b.name !== 'users' && b.name !== 'lag').map((b) => b.flag),
  'symmetry', 'exact', 'workers', 'max-time', 'max-depth', 'trace-out'];

/** The flags only `matrix` takes. */
const MATRIX_ONLY = ['designs', 'jobs', 'out', 'expect', 'sweeps'];

const flagName = (f: string, raw: Readonly<Record<string, unknown>>) =>
  (f === 'symmetry' || f === 'sweeps') && raw[f] === false ? `--no-${f}` : `--${f}`;

/** For check and replay: the matrix-only flags given, as an error line, or null. */
export function matrixOnlyFlagsError(raw: Readonly<Record<string, unknown>>, command: string): string | null {
  const given = MATRIX_ONLY.filter((f) => raw[f] !== undefined).map((f) => flagName(f, raw));
  if (given.length === 0) return null;
  return `${given.join(', ')} ${given.length > 1 ? 'apply' : 'applies'} to matrix only, not to ${command} (see --help)`;
}

function rephrase(message: string): string {
  const unknown = /^Unknown arguments?: (.*)$/.exec(message);
  if (unknown) {
    const names = unknown[1].split(', ').map((n) => (n.length === 1 ? `-${n}` : `--${n}`));
    const options = MATRIX_FLAGS.map((f) => `--${f.flag}`).join(', ');
    return `unknown option ${names.join(', ')} (matrix options: ${options}; see --help)`;
  }
  const missing = /^Not enough arguments following: (.*)$/.exec(message);
  if (missing) return `--${missing[1]} needs a value (see --help)`;
  return `${message} (see --help)`;
}

function parseDesignList(raw: string): readonly string[] | string {
  const names = raw.split(',').map((n) => n.trim()).filter((n) => n !== '');
  const valid = `designs: ${DESIGN_NAMES.join(', ')}, or all`;
  if (names.length === 0) return `--designs needs a design name (${valid})`;
  const bad = names.filter((n) => n !== 'all' && !DESIGN_NAMES.includes(n));
  if (bad.length > 0) return `unknown design${bad.length > 1 ? 's' : ''} ${bad.map((n) => `'${n}'`).join(', ')} (${valid})`;
  if (names.includes('all')) return DESIGN_NAMES;
  return [...new Set(names)];
}

/** A comma-separated list of a bound's values, each in its range (boundsError's), ascending, without repeats. */
function parseBoundList(name: 'users' | 'lag', raw: unknown): readonly number[] | string {
  const spec = BOUND_SPECS.find((b) => b.name === name)!;
  const text = String(raw).trim();
  const wanted = `--${spec.flag} must be a comma-separated list of integers from ${spec.min} to ${spec.max}`;
  const items = text.split(',').map((t) => t.trim());
  if (text === '' || items.some((t) => !/^[-+]?\d+$/.test(t))) return `${wanted} (got '${raw}')`;
  const values = items.map(Number);
  for (const v of values) {
    if (boundsError({ ...DEFAULT_BOUNDS, [name]: v } as Bounds) !== null) return `${wanted} (got ${v} in '${text}')`;
  }
  return [...new Set(values)].sort((a, b) => a - b);
}

function parseCount(flag: string, raw: unknown, max: number): number | string {
  const text = String(raw).trim();
  const range = max === Infinity ? 'an integer of at least 1' : `an integer from 1 to ${max}`;
  if (!/^[-+]?\d+$/.test(text)) return `--${flag} must be ${range} (got '${raw}')`;
  const value = Number(text);
  if (value < 1 || value > max) return `--${flag} must be ${range} (got ${value})`;
  return value;
}

/** The format an --out file name implies (text when it implies none). */
export function matrixFormatOfPath(path: string): MatrixFormat {
  if (/\.json$/i.test(path)) return 'json';
  if (/\.(md|markdown)$/i.test(path)) return 'markdown';
  return 'text';
}

export type MatrixParse = { readonly kind: 'matrix'; readonly options: MatrixArgs } | { readonly kind: 'error'; readonly message: string };

/** `matrix [--designs D] [--users L] [--lag L] [--no-sweeps] [--max-states N] [--jobs N] [--format F | --json] [--out FILE] [--expect FILE]` */
export function parseMatrixArgs(raw: Readonly<Record<string, unknown>>, positionals: readonly string[], failure: string | null): MatrixParse {
  const error = (message: string): MatrixParse => ({ kind: 'error', message });
  if (positionals.length > 1) return error(`unexpected argument '${positionals[1]}' after matrix (see --help)`);
  if (failure !== null) return error(rephrase(failure));

  const stray = NOT_FOR_MATRIX.filter((f) => raw[f] !== undefined).map((f) => flagName(f, raw));
  if (stray.length > 0) {
    const hint = stray.includes('--design') ? '; matrix takes --designs' : '; its cells set the bounds and limits';
    return error(`${stray.join(', ')} ${stray.length > 1 ? 'do' : 'does'} not apply to matrix${hint} (see --help)`);
  }

  let designs: readonly string[] = DESIGN_NAMES;
  if (raw.designs !== undefined) {
    const parsed = parseDesignList(String(raw.designs));
    if (typeof parsed === 'string') return error(parsed);
    designs = parsed;
  }

  const lists: { users: readonly number[]; lag: readonly number[] } = { users: MATRIX_DEFAULTS.users, lag: MATRIX_DEFAULTS.lag };
  for (const name of ['users', 'lag'] as const) {
    if (raw[name] === undefined) continue;
    const parsed = parseBoundList(name, raw[name]);
    if (typeof parsed === 'string') return error(parsed);
    lists[name] = parsed;
  }

  let maxStates: number = MATRIX_DEFAULTS.maxStates;
  if (raw['max-states'] !== undefined) {
    const n = parseCount('max-states', raw['max-states'], Infinity);
    if (typeof n === 'string') return error(n);
    maxStates = n;
  }
  let jobs: number = MATRIX_DEFAULTS.jobs;
  if (raw.jobs !== undefined) {
    const n = parseCount('jobs', raw.jobs, MAX_JOBS);
    if (typeof n === 'string') return error(n);
    jobs = n;
  }

  const out = raw.out === undefined ? undefined : String(raw.out);
  if (out !== undefined) {
    if (out.trim() === '') return error('--out needs a file path (see --help)');
    const dir = dirname(out);
    if (!existsSync(dir) || !statSync(dir).isDirectory()) return error(`--out ${out}: no such directory '${dir}'`);
  }
  const expect = raw.expect === undefined ? undefined : String(raw.expect);
  if (expect !== undefined) {
    if (expect.trim() === '') return error('--expect needs a file path (see --help)');
    if (!existsSync(expect) || !statSync(expect).isFile()) return error(`--expect ${expect}: no such file`);
  }

  let format: MatrixFormat = out !== undefined ? matrixFormatOfPath(out) : 'text';
  if (raw.format !== undefined) {
    const named = MATRIX_FORMATS.find((f) => f === raw.format);
    if (!named) return error(`unknown --format '${String(raw.format)}' (matrix formats: ${MATRIX_FORMATS.join(', ')})`);
    format = named;
  }
  if (raw.json === true) {
    if (raw.format !== undefined && format !== 'json') return error(`--json and --format ${format} disagree: give one`);
    format = 'json';
  }

  return {
    kind: 'matrix',
    options: {
      command: 'matrix',
      designs,
      users: lists.users,
      lag: lists.lag,
      sweeps: raw.sweeps !== false,
      maxStates,
      jobs,
      format,
      ...(out !== undefined ? { out } : {}),
      ...(expect !== undefined ? { expect } : {}),
      debug: raw.debug === true,
    },
  };
}
