// `check`: which designs (or a user's model) at which bounds, how to search,
// and where the report goes.
import { availableParallelism } from 'node:os';
import {
  BOUND_SPECS,
  DESIGN_NAMES,
  FAULT_BOUND_SPECS,
  FAULT_NAMES,
  boundsError,
  JUDGEABLE,
  PREMISES,
  type Bounds,
  type FaultBounds,
  type FaultName,
} from '../../model/index.ts';
import { formatOfPath, TRACE_FORMATS, type TraceFormat } from '../../export/index.ts';
import {
  BOUND_FLAGS,
  DEBUG_FLAG,
  fail,
  HELP_FLAG,
  ok,
  parseInteger,
  parsePath,
  type FlagSpec,
  type Parsed,
  type RawFlags,
} from './common.ts';
import { didYouMean } from './suggest.ts';
import { DEFAULT_PRESET, PRESET_NAMES, PRESETS, presetBounds, presetText, type PresetName } from '../presets.ts';
import type { PresetUse } from '../../report/types.ts';

export interface CheckArgs {
  readonly command: 'check';
  /** built-in design names to check, in the order given (empty with --model, or with only --design-file) */
  readonly designs: readonly string[];
  /** design files to check (after the built-in designs) */
  readonly designFiles: readonly string[];
  /** every bound: the preset's, overridden by the bound flags given */
  readonly bounds: Bounds;
  /** the preset the bounds start from (--preset, or quick), and the bound flags that override it; null with --model */
  readonly preset: PresetUse | null;
  /** the faults in force (--faults), in FAULTS order */
  readonly faults: readonly FaultName[];
  /** bounds on a fault in force (--flap-ticks, --flaps); only those given (none: unbounded) */
  readonly faultBounds: Partial<FaultBounds>;
  /** properties to judge although a fault in force lifts their premise (--judge), in the order given */
  readonly judge: readonly string[];
  readonly symmetry: boolean;
  /** check the liveness (leadsTo) properties (--no-liveness: safety only) */
  readonly liveness: boolean;
  /** for liveness: the environment settles (--no-settling: it may churn forever) */
  readonly settles: boolean;
  readonly exact: boolean;
  /** worker threads expanding states (1: the search runs in one thread) */
  readonly workers: number;
  readonly maxStates?: number;
  readonly maxTimeMs?: number;
  readonly maxDepth?: number;
  /** --memory N: the bytes the search's own structures may hold before the frontier and the liveness graph spill to disk */
  readonly memoryBytes?: number;
  /** --spill-dir DIR: where the spill directory is made (default: the system's temporary directory) */
  readonly spillDir?: string;
  /** test the encoding on every state (not only the first 2,000) */
  readonly checkEncoding: boolean;
  readonly json: boolean;
  /** --quiet: no progress on stderr */
  readonly quiet: boolean;
  /** --progress-every SECONDS: the interval of the progress lines off a terminal (default 30 s) */
  readonly progressEveryMs?: number;
  /** --summary FILE: append a Markdown verdict table to FILE (a CI job's summary) */
  readonly summary?: string;
  /** --trace-out FILE (or - for stdout) and its format (one design or model only) */
  readonly traceOut?: { readonly path: string; readonly format: TraceFormat };
  /** --model, as given (resolved against the working directory by the loader) */
  readonly modelPath?: string;
  readonly debug: boolean;
}

/** --workers by default: one a core (the coordinating thread is one of them) */
export const DEFAULT_WORKERS = availableParallelism();
const MAX_WORKERS = 256;

export const PRESET_FLAG: FlagSpec = {
  flag: 'preset',
  value: 'NAME',
  describe: `the bounds to start from: ${PRESET_NAMES.map((p) => `${p} (${presetText(p)})`).join(' or ')}; default ${DEFAULT_PRESET}; each bound flag given overrides the preset's value`,
};

/** The bound flags as check documents them: a bound a preset sets shows each preset's value. */
export const CHECK_BOUND_FLAGS: readonly FlagSpec[] = BOUND_SPECS.map((b, i) => {
  const set = PRESET_NAMES.filter((p) => (PRESETS[p] as Partial<Bounds>)[b.name] !== undefined);
  const defaults =
    set.length === 0
      ? `default ${b.default}`
      : PRESET_NAMES.map((p) => `${p} ${(PRESETS[p] as Partial<Bounds>)[b.name] ?? b.default}`).join(', ');
  return { ...BOUND_FLAGS[i], describe: `${b.description} [${b.min} to ${b.max}; ${defaults}]` };
});

export const SELECTION_FLAGS: readonly FlagSpec[] = [
  {
    flag: 'design',
    value: 'NAMES',
    describe: 'the design to check, several comma-separated, or all (default: all, unless --design-file or --model)',
  },
  {
    flag: 'design-file',
    value: 'FILES',
    describe:
      'also check the design each FILE describes (YAML: name, base, switches; see docs/cli.md "Design files"); several comma-separated',
  },
  {
    flag: 'model',
    value: 'FILE',
    describe:
      'check the Model exported by FILE (.ts, .mts, .cts, .js, .mjs or .cjs, in an ES module or CommonJS package; ' +
      '`export default` or `export const model`, or module.exports) ' +
      'instead of the presence designs; --design, the bounds and --no-symmetry do not apply',
  },
];

export const FAULT_FLAGS: readonly FlagSpec[] = [
  {
    flag: 'faults',
    value: 'NAMES',
    describe: `failures of the infrastructure the run includes, comma-separated, or all (default: none; each verdict names the faults in force and what it assumes instead): ${FAULT_NAMES.join(', ')}`,
  },
  // each fault's bounds: off by default (the fault as strong as reality); given, each is an assumption every verdict names
  ...FAULT_BOUND_SPECS.map(
    (b): FlagSpec => ({
      flag: b.flag,
      value: 'N',
      describe: `${b.description} [${b.min} to ${b.max}; only with ${b.fault} in --faults; every verdict names the bound as an assumption]`,
    }),
  ),
  {
    flag: 'judge',
    value: 'PROPS',
    describe:
      'judge these properties although a fault in force lifts their premise, comma-separated (each verdict otherwise names them as not judged): ' +
      Object.entries(PREMISES)
        .map(([p, premise]) => `${p} (not judged under ${premise.fault} unless named here)`)
        .join(', '),
  },
];

export const LIVENESS_FLAGS: readonly FlagSpec[] = [
  {
    flag: 'no-liveness',
    negated: true,
    describe:
      "check safety only: skip the liveness properties (latecomer-joins, ...; a --model's leadsTo properties), " +
      'which need the whole state graph in memory',
  },
  {
    flag: 'no-settling',
    negated: true,
    describe: 'check liveness without assuming the environment settles: users may open and close tabs, and faults strike, forever',
  },
];

export const SEARCH_FLAGS: readonly FlagSpec[] = [
  {
    flag: 'no-symmetry',
    negated: true,
    describe:
      'do not treat users, tab slots and meeting ids as interchangeable: explore every permutation separately (slower; a cross-check of the symmetry reduction)',
  },
  {
    flag: 'exact',
    describe:
      'key the visited set by the full state encoding instead of a 64-bit fingerprint (more memory; no risk of two states colliding; runs on one thread)',
  },
  {
    flag: 'workers',
    value: 'N',
    describe: `threads expanding each BFS level: the search's own and N-1 worker threads (default: every core, here ${DEFAULT_WORKERS}); the result, trace included, is the same for any N`,
  },
  { flag: 'max-states', value: 'N', describe: 'stop each check once N distinct states are known (verdict: incomplete)' },
  { flag: 'max-time', value: 'SECONDS', describe: 'stop each check after SECONDS, fractions allowed (verdict: incomplete)' },
  { flag: 'max-depth', value: 'N', describe: 'do not expand states N steps or more from the start (verdict: incomplete if any were left)' },
  {
    flag: 'memory',
    value: 'N',
    describe:
      "cap the memory of the search's own structures at N (512M, 8G; a plain number is MB): past it the BFS frontier, then the liveness graph, " +
      'then the visited set spill to disk, and the report says what spilled; a run whose unspillable part outgrows N stops (verdict: incomplete). ' +
      "Default: no cap (a run that fills 85% of the machine's memory stops, verdict: incomplete)",
  },
  {
    flag: 'spill-dir',
    value: 'DIR',
    describe:
      "with --memory: spill into a new directory under DIR (default: the system's temporary directory), removed when the check ends, also on Ctrl-C or an error",
  },
  {
    flag: 'check-encoding',
    describe:
      "test the model's encoding against its own equality on every state, not only the first 2,000 (keeps every state in memory: a debugging aid)",
  },
];

export const OUTPUT_FLAGS: readonly FlagSpec[] = [
  { flag: 'json', describe: 'print one JSON object per checked design, one a line (JSON Lines), with the full trace; no progress line' },
  {
    flag: 'quiet',
    describe: 'no progress on stderr (default: a line redrawn in place on a terminal; otherwise, as in a CI log, a plain line every 30 s)',
  },
  {
    flag: 'trace-out',
    value: 'FILE',
    describe: 'also write the run (its shortest trace, if any) to FILE, or to stdout with -; one design or --model only',
  },
  {
    flag: 'progress-every',
    value: 'SECONDS',
    describe: 'off a terminal, a progress line every SECONDS, fractions allowed (default 30)',
  },
  {
    flag: 'summary',
    value: 'FILE',
    describe:
      'also append the verdicts to FILE as a Markdown table, with what they rest on (e.g. "$GITHUB_STEP_SUMMARY"); written after an interrupt too',
  },
  {
    flag: 'format',
    value: 'F',
    describe: `the --trace-out format: ${TRACE_FORMATS.join(', ')} (default: from the file name: .md, .mmd, .itf.json, .json, .txt)`,
  },
  DEBUG_FLAG,
  HELP_FLAG,
];

export const CHECK_FLAGS: readonly FlagSpec[] = [
  ...SELECTION_FLAGS,
  PRESET_FLAG,
  ...CHECK_BOUND_FLAGS,
  ...FAULT_FLAGS,
  ...LIVENESS_FLAGS,
  ...SEARCH_FLAGS,
  ...OUTPUT_FLAGS,
];

/** --faults NAMES: faults by name, or all, or none; in FAULTS order, without repeats. */
export function parseFaults(raw: unknown): Parsed<readonly FaultName[]> {
  if (raw === undefined) return ok([]);
  const names = String(raw)
    .split(',')
    .map((n) => n.trim())
    .filter((n) => n !== '');
  const valid = `faults: ${FAULT_NAMES.join(', ')}, all, or none`;
  if (names.length === 0) return fail(`--faults needs a fault name (${valid})`);
  const bad = names.filter((n) => n !== 'all' && n !== 'none' && !(FAULT_NAMES as readonly string[]).includes(n));
  if (bad.length > 0) {
    const hint = bad.length === 1 ? didYouMean(bad[0], FAULT_NAMES) : '';
    return fail(`unknown fault${bad.length > 1 ? 's' : ''} ${bad.map((n) => `'${n}'`).join(', ')} (${hint}${valid})`);
  }
  if (names.includes('all')) return ok(FAULT_NAMES);
  return ok(FAULT_NAMES.filter((f) => names.includes(f)));
}

/**
 * --flap-ticks N, --flaps N: each in its range, and only with the fault it
 * bounds asked for: a bound on a fault the run leaves out would do nothing,
 * so it is an error rather than a silent no-op.
 */
export function parseFaultBounds(raw: RawFlags, faults: readonly FaultName[]): Parsed<Partial<FaultBounds>> {
  const given: { -readonly [K in keyof FaultBounds]?: number } = {};
  for (const spec of FAULT_BOUND_SPECS) {
    const value = raw[spec.flag];
    if (value === undefined) continue;
    const parsed = parseInteger(spec.flag, value, spec.min, spec.max);
    if (!parsed.ok) return parsed;
    if (!faults.includes(spec.fault))
      return fail(
        `--${spec.flag} bounds ${spec.fault}, which --faults does not include: add it (--faults ${[...faults, spec.fault].join(',')}) or drop --${spec.flag}`,
      );
    given[spec.name] = parsed.value;
  }
  return ok(given);
}

/**
 * --judge PROPS: properties some fault can leave unjudged (model PREMISES),
 * each with that fault asked for (else it is judged anyway, and the flag would
 * do nothing: an error, as for a fault bound); unknown names get a did-you-mean.
 */
export function parseJudge(raw: unknown, faults: readonly FaultName[]): Parsed<readonly string[]> {
  if (raw === undefined) return ok([]);
  const names = String(raw)
    .split(',')
    .map((n) => n.trim())
    .filter((n) => n !== '');
  if (names.length === 0) return fail(`--judge needs a property name (properties a fault can leave unjudged: ${JUDGEABLE.join(', ')})`);
  const bad = names.find((n) => !JUDGEABLE.includes(n));
  if (bad !== undefined)
    return fail(
      `--judge: '${bad}' is not a property a fault leaves unjudged (${didYouMean(bad, JUDGEABLE)}properties a fault can leave unjudged: ${JUDGEABLE.join(', ')}; every other property is always judged)`,
    );
  for (const n of names) {
    const fault = PREMISES[n].fault;
    if (!faults.includes(fault))
      return fail(
        `--judge ${n}: only ${fault} leaves it unjudged, and --faults does not include ${fault}, so it is judged anyway: drop --judge ${n} or add ${fault} to --faults`,
      );
  }
  return ok([...new Set(names)]);
}

/** --preset NAME (default quick). */
export function parsePreset(raw: unknown): Parsed<PresetName> {
  if (raw === undefined) return ok(DEFAULT_PRESET);
  const name = String(raw).trim();
  const found = PRESET_NAMES.find((p) => p === name);
  if (found !== undefined) return ok(found);
  return fail(`unknown preset '${name}' (${didYouMean(name, PRESET_NAMES)}presets: ${PRESET_NAMES.join(', ')})`);
}

/** The bound flags given, each checked against its range; or the first problem. */
export function parseBoundFlags(raw: RawFlags): Parsed<Partial<Bounds>> {
  const given: Partial<Record<keyof Bounds, number>> = {};
  for (const spec of BOUND_SPECS) {
    const value = raw[spec.flag];
    if (value === undefined) continue;
    const parsed = parseInteger(spec.flag, value, spec.min, spec.max);
    if (!parsed.ok) return parsed;
    given[spec.name] = parsed.value;
  }
  return ok(given);
}

/** --design NAMES: built-in designs, or all; unknown names are one error naming them. */
export function parseDesignList(flag: string, raw: unknown): Parsed<readonly string[]> {
  const names = String(raw)
    .split(',')
    .map((n) => n.trim())
    .filter((n) => n !== '');
  const valid = `designs: ${DESIGN_NAMES.join(', ')}, or all`;
  if (names.length === 0) return fail(`--${flag} needs a design name (${valid})`);
  const bad = names.filter((n) => n !== 'all' && !DESIGN_NAMES.includes(n));
  if (bad.length > 0) {
    const hint = bad.length === 1 ? didYouMean(bad[0], DESIGN_NAMES) : '';
    return fail(
      `unknown design${bad.length > 1 ? 's' : ''} ${bad.map((n) => `'${n}'`).join(', ')} (${hint}${valid}; a design of your own: --design-file)`,
    );
  }
  if (names.includes('all')) return ok(DESIGN_NAMES);
  return ok([...new Set(names)]);
}

/** A comma-separated list flag's items (none when the flag is absent). */
export const many = (raw: unknown): string[] =>
  raw === undefined
    ? []
    : String(raw)
        .split(',')
        .map((x) => x.trim());

/** What check and simulate both take: which models, at which bounds, with which faults, on how many threads, and the output. */
export type JobArgs = Pick<
  CheckArgs,
  | 'designs'
  | 'designFiles'
  | 'bounds'
  | 'faults'
  | 'faultBounds'
  | 'judge'
  | 'symmetry'
  | 'liveness'
  | 'settles'
  | 'workers'
  | 'preset'
  | 'json'
  | 'quiet'
  | 'progressEveryMs'
  | 'summary'
  | 'traceOut'
  | 'modelPath'
  | 'debug'
>;

/** The job description's flags (SELECTION, BOUND, FAULT, LIVENESS flags, --no-symmetry, --workers and the output flags), for `command`. */
export function parseJobFlags(command: string, raw: RawFlags): Parsed<JobArgs> {
  const positionals = raw._.map(String);
  if (positionals.length > 0) return fail(`unexpected argument '${positionals[0]}' after ${command} (see ${command} --help)`);

  const given = parseBoundFlags(raw);
  if (!given.ok) return given;
  const preset = parsePreset(raw.preset);
  if (!preset.ok) return preset;
  const faults = parseFaults(raw.faults);
  if (!faults.ok) return faults;
  const designFiles = many(raw['design-file']);
  if (designFiles.some((f) => f === '')) return fail(`--design-file needs a file path (see ${command} --help)`);

  let designs: readonly string[] = designFiles.length > 0 ? [] : DESIGN_NAMES;
  if (raw.design !== undefined) {
    const parsed = parseDesignList('design', raw.design);
    if (!parsed.ok) return parsed;
    designs = parsed.value;
  }

  let workers = DEFAULT_WORKERS;
  if (raw.workers !== undefined) {
    const n = parseInteger('workers', raw.workers, 1, MAX_WORKERS);
    if (!n.ok) return n;
    workers = n.value;
  }

  let progressEveryMs: number | undefined;
  if (raw['progress-every'] !== undefined) {
    const ms = parseSeconds('progress-every', raw['progress-every']);
    if (!ms.ok) return ms;
    progressEveryMs = ms.value;
  }

  let modelPath: string | undefined;
  if (raw.model !== undefined) {
    const path = parsePath('model', raw.model, command);
    if (!path.ok) return path;
    modelPath = path.value;
    const clashes = [
      ...(raw.design !== undefined ? ['--design'] : []),
      ...(designFiles.length > 0 ? ['--design-file'] : []),
      ...BOUND_SPECS.filter((b) => raw[b.flag] !== undefined).map((b) => `--${b.flag}`),
      ...(raw.preset !== undefined ? ['--preset'] : []),
      ...(raw.faults !== undefined ? ['--faults'] : []),
      ...FAULT_BOUND_SPECS.filter((b) => raw[b.flag] !== undefined).map((b) => `--${b.flag}`),
      ...(raw.judge !== undefined ? ['--judge'] : []),
      ...(raw.symmetry !== undefined ? ['--no-symmetry'] : []),
      ...(raw.settling !== undefined ? ['--no-settling'] : []),
    ];
    if (clashes.length > 0) {
      return fail(
        `${clashes.join(', ')} ${clashes.length > 1 ? 'do' : 'does'} not apply to --model (${clashes.length > 1 ? 'they configure' : 'it configures'} the presence designs)`,
      );
    }
  }

  // after the --model clashes: with --model these flags are the clash, not a missing fault
  const faultBounds = parseFaultBounds(raw, faults.value);
  if (!faultBounds.ok) return faultBounds;
  const judge = parseJudge(raw.judge, faults.value);
  if (!judge.ok) return judge;

  if (raw.liveness === false && raw.settling === false)
    return fail('--no-settling is about liveness, which --no-liveness turns off: give one of them');
  const bounds: Bounds = { ...presetBounds(preset.value), ...given.value };
  const overridden = BOUND_SPECS.filter((b) => given.value[b.name] !== undefined).map((b) => b.flag);
  const problem = modelPath === undefined ? boundsError(bounds) : null;
  if (problem !== null) return fail(problem);

  let summary: string | undefined;
  if (raw.summary !== undefined) {
    const path = parsePath('summary', raw.summary, command);
    if (!path.ok) return path;
    summary = path.value;
  }

  const runs = modelPath !== undefined ? 1 : designs.length + designFiles.length;
  const traceOut = parseTraceOut(command, raw, runs);
  if (!traceOut.ok) return traceOut;

  return ok({
    designs: modelPath !== undefined ? [] : designs,
    designFiles,
    bounds,
    preset: modelPath === undefined ? { name: preset.value, overridden } : null,
    faults: faults.value,
    faultBounds: faultBounds.value,
    judge: judge.value,
    symmetry: raw.symmetry !== false,
    liveness: raw.liveness !== false,
    settles: raw.settling !== false,
    workers,
    json: raw.json === true,
    quiet: raw.quiet === true,
    ...(progressEveryMs !== undefined ? { progressEveryMs } : {}),
    ...(traceOut.value !== null ? { traceOut: traceOut.value } : {}),
    ...(summary !== undefined ? { summary } : {}),
    ...(modelPath !== undefined ? { modelPath } : {}),
    debug: raw.debug === true,
  });
}

/** --max-time SECONDS, fractions allowed, as milliseconds (at least 1). */
export function parseSeconds(flag: string, raw: unknown): Parsed<number> {
  const text = String(raw).trim();
  const seconds = /^(\d+(\.\d*)?|\.\d+)$/.test(text) ? Number(text) : NaN;
  if (!(seconds > 0)) return fail(`--${flag} must be a positive number of seconds (got '${String(raw)}')`);
  return ok(Math.max(1, Math.round(seconds * 1000)));
}

export function parseCheck(raw: RawFlags): Parsed<CheckArgs> {
  const job = parseJobFlags('check', raw);
  if (!job.ok) return job;

  const limits: { maxStates?: number; maxTimeMs?: number; maxDepth?: number } = {};
  if (raw['max-states'] !== undefined) {
    const n = parseInteger('max-states', raw['max-states'], 1, Infinity);
    if (!n.ok) return n;
    limits.maxStates = n.value;
  }
  if (raw['max-depth'] !== undefined) {
    const n = parseInteger('max-depth', raw['max-depth'], 0, Infinity);
    if (!n.ok) return n;
    limits.maxDepth = n.value;
  }
  if (raw['max-time'] !== undefined) {
    const ms = parseSeconds('max-time', raw['max-time']);
    if (!ms.ok) return ms;
    limits.maxTimeMs = ms.value;
  }
  const memory: { memoryBytes?: number; spillDir?: string } = {};
  if (raw.memory !== undefined) {
    const bytes = parseMemory('memory', raw.memory);
    if (!bytes.ok) return bytes;
    memory.memoryBytes = bytes.value;
  }
  if (raw['spill-dir'] !== undefined) {
    if (raw.memory === undefined) return fail('--spill-dir is where --memory spills: give --memory N too');
    const dir = parsePath('spill-dir', raw['spill-dir'], 'check');
    if (!dir.ok) return dir;
    memory.spillDir = dir.value;
  }

  return ok({
    command: 'check',
    ...job.value,
    exact: raw.exact === true,
    ...limits,
    ...memory,
    checkEncoding: raw['check-encoding'] === true,
  });
}

/** The smallest --memory taken (below it, hardly a model fits what cannot spill). */
export const MIN_MEMORY_BYTES = 2 ** 20;

/** A size in bytes: 512M, 8G, 1.5G, 64K, 1T (binary units, an optional B or iB), or a plain number of MB. */
export function parseMemory(flag: string, raw: unknown): Parsed<number> {
  const text = String(raw).trim();
  const m = /^(\d+(?:\.\d+)?|\.\d+)\s*(?:([kmgt])(?:i?b)?)?$/i.exec(text);
  const units: Record<string, number> = { k: 2 ** 10, m: 2 ** 20, g: 2 ** 30, t: 2 ** 40 };
  const bytes = m === null ? NaN : Math.floor(Number(m[1]) * units[(m[2] ?? 'm').toLowerCase()]);
  if (!Number.isFinite(bytes) || bytes < MIN_MEMORY_BYTES)
    return fail(`--${flag} must be a size of at least 1M, like 512M, 8G or 2048 (MB) (got '${String(raw)}')`);
  return ok(bytes);
}

function parseTraceOut(command: string, raw: RawFlags, runs: number): Parsed<{ path: string; format: TraceFormat } | null> {
  const path = raw['trace-out'];
  if (path === undefined) return raw.format !== undefined ? fail(`--format applies to --trace-out only (see ${command} --help)`) : ok(null);
  const text = String(path);
  if (text.trim() === '') return fail(`--trace-out needs a file path, or - for stdout (see ${command} --help)`);
  if (runs !== 1) return fail(`--trace-out writes one run: give one --design (or --model), not ${runs}`);
  const valid = `formats: ${TRACE_FORMATS.join(', ')}`;
  if (raw.format !== undefined) {
    const format = TRACE_FORMATS.find((f) => f === raw.format);
    return format ? ok({ path: text, format }) : fail(`unknown --format '${String(raw.format)}' (${valid})`);
  }
  if (text === '-') return fail(`--trace-out - writes to stdout: give its --format (${valid})`);
  const implied = formatOfPath(text);
  return implied
    ? ok({ path: text, format: implied })
    : fail(`--trace-out ${text}: give --format (${valid}), or a file name ending in .md, .mmd, .itf.json, .json or .txt`);
}
