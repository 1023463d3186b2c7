// `replay FILE`: a scenario (YAML or JSON), or a trace that check wrote
// (--trace-out ... .json or .itf.json), replayed step by step.
import { BOUND_SPECS, DESIGN_NAMES, type Bounds, type FaultName } from '../../model/index.ts';
import { BOUND_FLAGS, DEBUG_FLAG, fail, HELP_FLAG, ok, parsePath, type FlagSpec, type Parsed, type RawFlags } from './common.ts';
import { parseBoundFlags, parseFaults } from './check.ts';
import { didYouMean } from './suggest.ts';

export interface ReplayArgs {
  readonly command: 'replay';
  /** the scenario or trace file, as given */
  readonly file: string;
  /** --design (overrides the file's `design:`) */
  readonly design?: string;
  /** --design-file: replay on the design a file describes */
  readonly designFile?: string;
  /** the bound flags given (each overrides the file's `bounds:`) */
  readonly boundsGiven: Partial<Bounds>;
  /** --faults: the faults in force (overrides the file's) */
  readonly faults?: readonly FaultName[];
  readonly json: boolean;
  /** --model: replay on a user's model instead of a presence design */
  readonly modelPath?: string;
  /** --no-settling: judge a lasso without assuming the environment settles (default: as the check that wrote it, else settling) */
  readonly settles?: boolean;
  readonly debug: boolean;
}

export const REPLAY_FLAGS: readonly FlagSpec[] = [
  {
    flag: 'design',
    value: 'NAME',
    describe: "the design to replay on (default: the file's `design:`, or the design of the check that wrote the trace)",
  },
  { flag: 'design-file', value: 'FILE', describe: 'replay on the design FILE describes (a design file, as for check)' },
  {
    flag: 'model',
    value: 'FILE',
    describe: 'replay on the Model exported by FILE (default for a trace of a --model check: the model it names)',
  },
  ...BOUND_FLAGS,
  {
    flag: 'faults',
    value: 'NAMES',
    describe: "the faults in force, comma-separated, all or none (default: the trace's, or the scenario's `faults:`, else none)",
  },
  {
    flag: 'no-settling',
    negated: true,
    describe:
      'judge a lasso (a file with a loop) without assuming the environment settles (default: as the check that wrote the trace did)',
  },
  { flag: 'json', describe: 'print the replay as one JSON object' },
  DEBUG_FLAG,
  HELP_FLAG,
];

export function parseReplay(raw: RawFlags): Parsed<ReplayArgs> {
  const positionals = raw._.map(String);
  if (positionals.length === 0 || positionals[0].trim() === '')
    return fail('replay needs a scenario or trace file: usage: replay FILE [options] (see replay --help)');
  if (positionals.length > 1) return fail(`unexpected argument '${positionals[1]}' after replay FILE (see replay --help)`);

  const given = parseBoundFlags(raw);
  if (!given.ok) return given;
  const faults = raw.faults === undefined ? null : parseFaults(raw.faults);
  if (faults !== null && !faults.ok) return faults;

  let design: string | undefined;
  if (raw.design !== undefined) {
    const names = String(raw.design)
      .split(',')
      .map((n) => n.trim())
      .filter((n) => n !== '');
    if (names.length !== 1 || names[0] === 'all')
      return fail(`replay takes one design (got '${String(raw.design)}'; designs: ${DESIGN_NAMES.join(', ')})`);
    if (!DESIGN_NAMES.includes(names[0]))
      return fail(
        `unknown design '${names[0]}' (${didYouMean(names[0], DESIGN_NAMES)}designs: ${DESIGN_NAMES.join(', ')}; a design of your own: --design-file)`,
      );
    design = names[0];
  }
  let designFile: string | undefined;
  if (raw['design-file'] !== undefined) {
    const path = parsePath('design-file', raw['design-file'], 'replay');
    if (!path.ok) return path;
    if (design !== undefined) return fail('give --design or --design-file, not both');
    designFile = path.value;
  }

  let modelPath: string | undefined;
  if (raw.model !== undefined) {
    const path = parsePath('model', raw.model, 'replay');
    if (!path.ok) return path;
    modelPath = path.value;
    const clashes = [
      ...(raw.design !== undefined ? ['--design'] : []),
      ...(designFile !== undefined ? ['--design-file'] : []),
      ...BOUND_SPECS.filter((b) => raw[b.flag] !== undefined).map((b) => `--${b.flag}`),
      ...(raw.faults !== undefined ? ['--faults'] : []),
      ...(raw.settling !== undefined ? ['--no-settling'] : []),
    ];
    if (clashes.length > 0) {
      return fail(
        `${clashes.join(', ')} ${clashes.length > 1 ? 'do' : 'does'} not apply to --model (${clashes.length > 1 ? 'they configure' : 'it configures'} the presence designs)`,
      );
    }
  }

  return ok({
    command: 'replay',
    file: positionals[0],
    ...(design !== undefined ? { design } : {}),
    ...(designFile !== undefined ? { designFile } : {}),
    boundsGiven: given.value,
    ...(faults !== null ? { faults: faults.value } : {}),
    json: raw.json === true,
    ...(modelPath !== undefined ? { modelPath } : {}),
    ...(raw.settling === false ? { settles: false } : {}),
    debug: raw.debug === true,
  });
}
