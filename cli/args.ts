// Command-line arguments: a pure function from argv (without `node cli.ts`)
// to a typed description of the run, its help text, or one error message.
// yargs does the tokenizing and rejects unknown flags (strict); every value
// is validated here, so that each bad input gets one line naming the flag
// and its valid range or choices.
import { availableParallelism } from 'node:os';
import yargs from 'yargs';
import { BOUND_SPECS, DEFAULT_BOUNDS, DESIGNS, DESIGN_NAMES, boundsError, type Bounds } from '../model/index.ts';
import type { ReplayArgs } from './replay.ts';
import { MATRIX_FLAGS, matrixOnlyFlagsError, parseMatrixArgs, type MatrixArgs } from './matrix-args.ts';

export interface CheckArgs {
  readonly command: 'check';
  /** design names to check, in the order given (empty with --model) */
  readonly designs: readonly string[];
  /** every bound, defaults filled in */
  readonly bounds: Bounds;
  /** the bounds given on the command line (to repeat them in hints) */
  readonly boundsGiven: Partial<Bounds>;
  readonly symmetry: boolean;
  readonly exact: boolean;
  /** worker threads expanding states (1: the search runs in one thread) */
  readonly workers: number;
  readonly maxStates?: number;
  readonly maxTimeMs?: number;
  readonly maxDepth?: number;
  readonly json: boolean;
  /** --trace-out FILE and its format (one design or model only) */
  readonly traceOut?: { readonly path: string; readonly format: TraceFormat };
  /** --model, as given (resolved against the working directory by the loader) */
  readonly modelPath?: string;
  readonly debug: boolean;
}

export type ParseResult =
  | { readonly kind: 'run'; readonly options: CheckArgs }
  | { readonly kind: 'replay'; readonly options: ReplayArgs }
  | { readonly kind: 'matrix'; readonly options: MatrixArgs }
  | { readonly kind: 'help'; readonly text: string }
  | { readonly kind: 'error'; readonly message: string };

export const PROGRAM = 'presence-check';

/** Formats of --trace-out: the terminal text, or one of the export formats (export/). */
export const TRACE_FORMATS = ['text', 'markdown', 'mermaid', 'itf', 'json'] as const;
export type TraceFormat = (typeof TRACE_FORMATS)[number];

/** The format a --trace-out file name implies, if any. */
export function formatOfPath(path: string): TraceFormat | null {
  if (/\.itf\.json$/i.test(path)) return 'itf';
  if (/\.json$/i.test(path)) return 'json';
  if (/\.(md|markdown)$/i.test(path)) return 'markdown';
  if (/\.(mmd|mermaid)$/i.test(path)) return 'mermaid';
  if (/\.txt$/i.test(path)) return 'text';
  return null;
}
export const COMMAND = 'npx tsx cli.ts';

/** --workers by default: one a core (the coordinating thread mostly waits on them) */
export const DEFAULT_WORKERS = availableParallelism();
const MAX_WORKERS = 256;

interface FlagDoc {
  readonly flag: string;
  readonly value?: string;
  readonly describe: string;
}

const SELECTION: readonly FlagDoc[] = [
  { flag: 'design', value: 'NAMES', describe: 'the design to check, several comma-separated, or all (default: all; see "designs" below)' },
  {
    flag: 'model', value: 'FILE',
    describe: 'check (or replay on) the Model exported by FILE (a .ts or .js module; `export default` or `export const model`) '
      + 'instead of the presence designs; --design, the bounds and --no-symmetry do not apply',
  },
];

const SEARCH: readonly FlagDoc[] = [
  {
    flag: 'no-symmetry',
    describe: 'do not treat users, tab slots and meeting ids as interchangeable: explore every permutation separately (slower; a cross-check of the symmetry reduction)',
  },
  {
    flag: 'exact',
    describe: 'key the visited set by the full state encoding instead of a 64-bit fingerprint (more memory; no risk of two states colliding; runs on one thread)',
  },
  {
    flag: 'workers', value: 'N',
    describe: `worker threads expanding each BFS level (default: every core, here ${DEFAULT_WORKERS}); the result, trace included, is the same for any N`,
  },
  { flag: 'max-states', value: 'N', describe: 'stop each check once N distinct states are known (verdict: incomplete)' },
  { flag: 'max-time', value: 'SECONDS', describe: 'stop each check after SECONDS, fractions allowed (verdict: incomplete)' },
  { flag: 'max-depth', value: 'N', describe: 'do not expand states N steps or more from the start (verdict: incomplete if any were left)' },
];

const OUTPUT: readonly FlagDoc[] = [
  { flag: 'json', describe: 'print one JSON object per checked design, one a line (JSON Lines), with the full trace; no progress line' },
  { flag: 'trace-out', value: 'FILE', describe: 'also write the run (its shortest trace, if any) to FILE; one design or --model only' },
  { flag: 'format', value: 'F', describe: `the --trace-out format: ${TRACE_FORMATS.join(', ')} (default: from the file name: .md, .mmd, .itf.json, .json, .txt)` },
  { flag: 'debug', describe: 'print the stack trace of an internal error' },
  { flag: 'help', describe: 'show this help (-h)' },
];

const BOUND_FLAGS: readonly FlagDoc[] = BOUND_SPECS.map((b) => ({
  flag: b.flag, value: 'N', describe: `${b.description} [${b.min} to ${b.max}, default ${b.default}]`,
}));

export const COMMANDS: readonly (readonly [string, string])[] = [
  ['check', 'explore every state within the bounds and check every property (the default use)'],
  ['replay FILE', 'run the steps of a scenario file (YAML or JSON) one by one on the unreduced model, checking the '
    + 'invariants after each; a step whose guard is false is reported with the reason'],
  ['matrix', "check designs × bounds (users × lag, and each design's timing bounds) and print the verdict table"],
];

export const EXIT_CODE_DOC: readonly (readonly [number, string])[] = [
  [0, 'every property holds within the bounds, and every witness was reached and every action fired'],
  [1, 'a property is violated, or a check is vacuous (a witness never reached, or an action never fired)'],
  [2, 'bad input: unknown command, flag or design, a bound out of range, an unusable --model; nothing was run'],
  [3, 'incomplete: --max-states, --max-time or --max-depth stopped the search first, or the checker ran out of memory'],
  [4, 'internal error: the model or the checker threw (--debug shows where)'],
  [130, 'interrupted (Ctrl-C): the partial summary is printed'],
];

function wrap(text: string, width: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/)) {
    if (line !== '' && line.length + 1 + word.length > width) {
      lines.push(line);
      line = word;
    } else line = line === '' ? word : `${line} ${word}`;
  }
  if (line !== '') lines.push(line);
  return lines;
}

function section(title: string, rows: readonly (readonly [string, string])[], left = 26): string[] {
  const out = [`${title}:`];
  for (const [name, text] of rows) {
    const body = wrap(text, 78 - left);
    const head = `  ${name}`;
    if (head.length >= left) {
      out.push(head);
      out.push(...body.map((l) => ' '.repeat(left) + l));
    } else {
      out.push(head.padEnd(left) + (body[0] ?? ''));
      out.push(...body.slice(1).map((l) => ' '.repeat(left) + l));
    }
  }
  return out;
}

const flagRows = (docs: readonly FlagDoc[]) =>
  docs.map((d): [string, string] => [`--${d.flag}${d.value ? ` ${d.value}` : ''}`, d.describe]);

export function helpText(): string {
  return [
    `${PROGRAM}: exhaustive explicit-state model checking of Reflector's presence protocol`,
    '',
    `usage: ${COMMAND} check [options]`,
    `       ${COMMAND} replay FILE [--design NAME] [bounds] [--model FILE] [--json]`,
    `       ${COMMAND} matrix [--designs NAMES] [--users LIST] [--lag LIST] [options]`,
    '',
    ...section('commands', COMMANDS, 16),
    '',
    ...wrap('Explores every state reachable within the bounds, breadth first, and checks each design\'s '
      + 'invariants in every state, so a violation comes with a shortest trace. Witnesses ("sometimes" '
      + 'properties) must each be reached and every action must fire, or the check is vacuous.', 78),
    '',
    ...section('what to check', flagRows(SELECTION)),
    '',
    ...section('bounds (integers; presence designs only)', flagRows(BOUND_FLAGS)),
    '',
    ...section('search', flagRows(SEARCH)),
    '',
    ...section('output', flagRows(OUTPUT)),
    '',
    ...section('matrix options', flagRows(MATRIX_FLAGS)),
    '',
    ...section('designs', DESIGNS.map((d): [string, string] => [d.name, d.summary])),
    '',
    ...section('exit codes', EXIT_CODE_DOC.map(([code, text]): [string, string] => [String(code), text]), 8),
    ...wrap('With several designs the exit code is the worst of their verdicts: violated or vacuous (1), '
      + 'then incomplete (3), then holds (0).', 70).map((l) => `        ${l}`),
    '',
    ...wrap('replay exits 0 when every step replays and every invariant holds after each, 1 when an invariant '
      + 'is violated or a step is not enabled (the trace so far and the reason are printed), 2 on bad input '
      + '(a malformed scenario, an unknown design or action, bad parameters; one line naming the file\'s line and '
      + 'the step). A scenario is `steps:` (a list of `- action`, `- action: {param: value}` or '
      + '`- {action: name, param: value}`), with optional `design:` and `bounds:` that --design and the bound '
      + 'flags override; users may be written u1 or 1, meetings M1 or 1, a tab u1#1 (see README.md, '
      + '"Scenario replay"). --design takes one design; --no-symmetry, --exact and the limits do not apply.', 78),
    '',
    ...wrap('matrix exits 0 when every cell was checked (a violation is a result, and a cell stopped by --max-states '
      + 'is incomplete: no violation up to its depth), 1 when it differs from --expect, 2 on bad input, 130 on Ctrl-C '
      + '(the partial table is printed). Cells run on one thread each, with symmetry on: the table is the same every '
      + 'run but for the time column (see README.md, "The verdict matrix").', 78),
    '',
    'examples:',
    `  ${COMMAND} check`,
    `  ${COMMAND} check --design current --users 2 --lag 1`,
    `  ${COMMAND} check --design fixed --users 3 --lag 2 --max-time 600`,
    `  ${COMMAND} check --model path/to/model.ts --json`,
    `  ${COMMAND} replay specs/scenarios/doc-timeline.yaml`,
    `  ${COMMAND} replay specs/scenarios/doc-timeline-fixed.yaml --json`,
    `  ${COMMAND} matrix --designs shipped,fixed --format markdown`,
    `  ${COMMAND} matrix --expect README.md`,
    '',
  ].join('\n');
}

/** The raw shape yargs gives back for our options. */
interface RawArgs {
  readonly _: readonly (string | number)[];
  readonly file?: string | number;
  readonly design?: string;
  readonly model?: string;
  readonly symmetry?: boolean;
  readonly exact?: boolean;
  readonly workers?: string;
  readonly 'max-states'?: string;
  readonly 'max-time'?: string;
  readonly 'max-depth'?: string;
  readonly json?: boolean;
  readonly 'trace-out'?: string;
  readonly format?: string;
  readonly debug?: boolean;
  readonly help?: boolean;
  readonly [flag: string]: unknown;
}

const KNOWN_FLAGS = ['design', 'model', ...BOUND_SPECS.map((b) => b.flag), 'no-symmetry', 'exact', 'workers', 'max-states',
  'max-time', 'max-depth', 'json', 'trace-out', 'format', 'debug', 'help'];

function rephrase(message: string): string {
  const unknown = /^Unknown arguments?: (.*)$/.exec(message);
  if (unknown) {
    const names = unknown[1].split(', ').map((n) => (n.length === 1 ? `-${n}` : `--${n}`));
    return `unknown option ${names.join(', ')} (options: ${KNOWN_FLAGS.map((f) => `--${f}`).join(', ')}; see --help)`;
  }
  const missing = /^Not enough arguments following: (.*)$/.exec(message);
  if (missing) return `--${missing[1]} needs a value (see --help)`;
  return `${message} (see --help)`;
}

function parseInteger(flag: string, raw: unknown, min: number, max: number): number | string {
  const text = String(raw).trim();
  const range = max === Infinity ? `an integer of at least ${min}` : `an integer from ${min} to ${max}`;
  if (!/^[-+]?\d+$/.test(text)) return `--${flag} must be ${range} (got '${raw}')`;
  const value = Number(text);
  if (value < min || value > max) return `--${flag} must be ${range} (got ${value})`;
  return value;
}

function parseDesigns(raw: string): readonly string[] | string {
  const names = raw.split(',').map((n) => n.trim()).filter((n) => n !== '');
  const valid = `designs: ${DESIGN_NAMES.join(', ')}, or all`;
  if (names.length === 0) return `--design needs a design name (${valid})`;
  const bad = names.filter((n) => n !== 'all' && !DESIGN_NAMES.includes(n));
  if (bad.length > 0) {
    return `unknown design${bad.length > 1 ? 's' : ''} ${bad.map((n) => `'${n}'`).join(', ')} (${valid})`;
  }
  if (names.includes('all')) return DESIGN_NAMES;
  return [...new Set(names)];
}

export function parseArgs(argv: readonly string[]): ParseResult {
  let failure: string | null = null;
  const parser = yargs([...argv])
    .scriptName(COMMAND)
    .exitProcess(false)
    .help(false)
    .version(false)
    .command('check', 'check designs (or a --model) and report')
    .command('replay <file>', 'replay a scenario file')
    .command('matrix', 'check designs × bounds')
    .demandCommand(1, 'missing command')
    .strict()
    .parserConfiguration({ 'duplicate-arguments-array': false })
    .option('design', { type: 'string', requiresArg: true })
    .option('model', { type: 'string', requiresArg: true })
    .option('symmetry', { type: 'boolean' })
    .option('exact', { type: 'boolean' })
    .option('workers', { type: 'string', requiresArg: true })
    .option('max-states', { type: 'string', requiresArg: true })
    .option('max-time', { type: 'string', requiresArg: true })
    .option('max-depth', { type: 'string', requiresArg: true })
    .option('json', { type: 'boolean' })
    .option('trace-out', { type: 'string', requiresArg: true })
    .option('format', { type: 'string', requiresArg: true })
    .option('debug', { type: 'boolean' })
    .option('help', { alias: 'h', type: 'boolean' })
    // matrix (cli/matrix-args.ts)
    .option('designs', { type: 'string', requiresArg: true })
    .option('jobs', { type: 'string', requiresArg: true })
    .option('out', { type: 'string', requiresArg: true })
    .option('expect', { type: 'string', requiresArg: true })
    .option('sweeps', { type: 'boolean' })
    .fail((message: string | undefined, error: Error | undefined) => {
      failure ??= message ?? error?.message ?? 'cannot parse the arguments';
    });
  for (const b of BOUND_SPECS) parser.option(b.flag, { type: 'string', requiresArg: true });

  let raw: RawArgs;
  try {
    raw = parser.parseSync() as unknown as RawArgs;
  } catch (e) {
    return { kind: 'error', message: rephrase(e instanceof Error ? e.message : String(e)) };
  }
  if (raw.help) return { kind: 'help', text: helpText() };

  const positionals = raw._.map(String);
  if (positionals.length === 0) return { kind: 'error', message: `missing command: usage: ${COMMAND} check [options] (see --help)` };
  if (positionals[0] !== 'check' && positionals[0] !== 'replay' && positionals[0] !== 'matrix') {
    return { kind: 'error', message: `unknown command '${positionals[0]}' (commands: check, replay, matrix; see --help)` };
  }
  if (positionals[0] === 'matrix') return parseMatrixArgs(raw, positionals, failure);
  const matrixOnly = matrixOnlyFlagsError(raw, positionals[0]);
  if (matrixOnly !== null) return { kind: 'error', message: matrixOnly };
  if (positionals[0] === 'replay') return parseReplay(raw, positionals, failure);
  if (positionals.length > 1) {
    return { kind: 'error', message: `unexpected argument '${positionals[1]}' after check (see --help)` };
  }
  if (failure !== null) return { kind: 'error', message: rephrase(failure) };

  const given = parseBoundFlags(raw);
  if (typeof given === 'string') return { kind: 'error', message: given };
  const boundsGiven = given as Partial<Bounds>;

  let designs: readonly string[] = DESIGN_NAMES;
  if (raw.design !== undefined) {
    const parsed = parseDesigns(raw.design);
    if (typeof parsed === 'string') return { kind: 'error', message: parsed };
    designs = parsed;
  }

  let workers = DEFAULT_WORKERS;
  if (raw.workers !== undefined) {
    const n = parseInteger('workers', raw.workers, 1, MAX_WORKERS);
    if (typeof n === 'string') return { kind: 'error', message: n };
    workers = n;
  }

  const limits: { maxStates?: number; maxTimeMs?: number; maxDepth?: number } = {};
  if (raw['max-states'] !== undefined) {
    const n = parseInteger('max-states', raw['max-states'], 1, Infinity);
    if (typeof n === 'string') return { kind: 'error', message: n };
    limits.maxStates = n;
  }
  if (raw['max-depth'] !== undefined) {
    const n = parseInteger('max-depth', raw['max-depth'], 0, Infinity);
    if (typeof n === 'string') return { kind: 'error', message: n };
    limits.maxDepth = n;
  }
  if (raw['max-time'] !== undefined) {
    const text = String(raw['max-time']).trim();
    const seconds = /^(\d+(\.\d*)?|\.\d+)$/.test(text) ? Number(text) : NaN;
    if (!(seconds > 0)) return { kind: 'error', message: `--max-time must be a positive number of seconds (got '${raw['max-time']}')` };
    limits.maxTimeMs = Math.max(1, Math.round(seconds * 1000));
  }

  if (raw.model !== undefined) {
    if (raw.model.trim() === '') return { kind: 'error', message: '--model needs a file path (see --help)' };
    const clashes = [
      ...(raw.design !== undefined ? ['--design'] : []),
      ...BOUND_SPECS.filter((b) => raw[b.flag] !== undefined).map((b) => `--${b.flag}`),
      ...(raw.symmetry !== undefined ? [raw.symmetry ? '--symmetry' : '--no-symmetry'] : []),
    ];
    if (clashes.length > 0) {
      return {
        kind: 'error',
        message: `${clashes.join(', ')} ${clashes.length > 1 ? 'do' : 'does'} not apply to --model (they configure the presence designs)`,
      };
    }
  }

  const bounds: Bounds = { ...DEFAULT_BOUNDS, ...boundsGiven };
  const problem = raw.model === undefined ? boundsError(bounds) : null; // ranges, and any rule across bounds
  if (problem !== null) return { kind: 'error', message: problem };

  const traceOut = parseTraceOut(raw, raw.model !== undefined ? 1 : designs.length);
  if (typeof traceOut === 'string') return { kind: 'error', message: traceOut };

  return {
    kind: 'run',
    options: {
      command: 'check',
      designs: raw.model !== undefined ? [] : designs,
      bounds,
      boundsGiven,
      symmetry: raw.symmetry !== false,
      exact: raw.exact === true,
      workers,
      ...limits,
      json: raw.json === true,
      ...(traceOut !== null ? { traceOut } : {}),
      ...(raw.model !== undefined ? { modelPath: raw.model } : {}),
      debug: raw.debug === true,
    },
  };
}

/** The bound flags given, each checked against its range; or the first problem. */
function parseBoundFlags(raw: RawArgs): Partial<Record<keyof Bounds, number>> | string {
  const given: Partial<Record<keyof Bounds, number>> = {};
  for (const spec of BOUND_SPECS) {
    const value = raw[spec.flag];
    if (value === undefined) continue;
    const parsed = parseInteger(spec.flag, value, spec.min, spec.max);
    if (typeof parsed === 'string') return parsed;
    given[spec.name] = parsed;
  }
  return given;
}

function parseTraceOut(raw: RawArgs, runs: number): { path: string; format: TraceFormat } | null | string {
  const path = raw['trace-out'];
  if (path === undefined) {
    return raw.format !== undefined ? '--format applies to --trace-out only (see --help)' : null;
  }
  if (path.trim() === '') return '--trace-out needs a file path (see --help)';
  if (runs !== 1) return `--trace-out writes one run: give one --design (or --model), not ${runs}`;
  const valid = `formats: ${TRACE_FORMATS.join(', ')}`;
  if (raw.format !== undefined) {
    const format = TRACE_FORMATS.find((f) => f === raw.format);
    return format ? { path, format } : `unknown --format '${raw.format}' (${valid})`;
  }
  const implied = formatOfPath(path);
  return implied ? { path, format: implied } : `--trace-out ${path}: give --format (${valid}), or a file name ending in .md, .mmd, .itf.json, .json or .txt`;
}

/** `replay FILE [--design NAME] [bounds] [--model FILE] [--json] [--debug]` */
function parseReplay(raw: RawArgs, positionals: readonly string[], failure: string | null): ParseResult {
  if (raw.file === undefined || String(raw.file).trim() === '') {
    return { kind: 'error', message: `replay needs a scenario file: usage: ${COMMAND} replay FILE [options] (see --help)` };
  }
  if (positionals.length > 1) return { kind: 'error', message: `unexpected argument '${positionals[1]}' after replay FILE (see --help)` };
  if (failure !== null) return { kind: 'error', message: rephrase(failure) };

  const search = [
    ...(raw.symmetry !== undefined ? [raw.symmetry ? '--symmetry' : '--no-symmetry'] : []),
    ...(['exact', 'max-states', 'max-time', 'max-depth'] as const).filter((f) => raw[f] !== undefined).map((f) => `--${f}`),
  ];
  if (search.length > 0) {
    return {
      kind: 'error',
      message: `${search.join(', ')} ${search.length > 1 ? 'do' : 'does'} not apply to replay (it follows the scenario's steps on the unreduced model; there is no search)`,
    };
  }

  const given = parseBoundFlags(raw);
  if (typeof given === 'string') return { kind: 'error', message: given };

  let design: string | undefined;
  if (raw.design !== undefined) {
    const names = raw.design.split(',').map((n) => n.trim()).filter((n) => n !== '');
    if (names.length !== 1 || names[0] === 'all') {
      return { kind: 'error', message: `replay takes one design (got '${raw.design}'; designs: ${DESIGN_NAMES.join(', ')})` };
    }
    if (!DESIGN_NAMES.includes(names[0])) {
      return { kind: 'error', message: `unknown design '${names[0]}' (designs: ${DESIGN_NAMES.join(', ')})` };
    }
    design = names[0];
  }

  if (raw.model !== undefined) {
    if (raw.model.trim() === '') return { kind: 'error', message: '--model needs a file path (see --help)' };
    const clashes = [
      ...(raw.design !== undefined ? ['--design'] : []),
      ...BOUND_SPECS.filter((b) => raw[b.flag] !== undefined).map((b) => `--${b.flag}`),
    ];
    if (clashes.length > 0) {
      return {
        kind: 'error',
        message: `${clashes.join(', ')} ${clashes.length > 1 ? 'do' : 'does'} not apply to --model (they configure the presence designs)`,
      };
    }
  }

  return {
    kind: 'replay',
    options: {
      command: 'replay',
      file: String(raw.file),
      ...(design !== undefined ? { design } : {}),
      boundsGiven: given as Partial<Bounds>,
      json: raw.json === true,
      ...(raw.model !== undefined ? { modelPath: raw.model } : {}),
      debug: raw.debug === true,
    },
  };
}
