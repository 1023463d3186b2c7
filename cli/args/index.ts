// The command line, as a pure function: argv (without `node cli.ts`) to a
// typed description of the run, a help text, or one error message. Each
// command declares its own flags (check.ts, replay.ts, matrix.ts), and its
// --help lists exactly those.
import { DESIGNS } from '../../model/index.ts';
import { EXIT, EXIT_CODE_DOC } from '../exit.ts';
import { REPLAY_VERDICTS } from '../../report/types.ts';
import { program } from '../program.ts';
import {
  CHECK_FLAGS,
  FAULT_FLAGS,
  LIVENESS_FLAGS,
  OUTPUT_FLAGS,
  parseCheck,
  PRESET_FLAG,
  CHECK_BOUND_FLAGS,
  SEARCH_FLAGS,
  SELECTION_FLAGS,
  type CheckArgs,
  type JobArgs,
} from './check.ts';
import { parseSimulate, SIMULATE_FLAGS, WALK_FLAGS, type SimulateArgs } from './simulate.ts';
import { FAULTS } from '../../model/index.ts';
import { flagRows, paragraph, parseFlags, section, type FlagSpec, type Parsed, type RawFlags } from './common.ts';
import { MATRIX_FLAGS, parseMatrix, type MatrixArgs } from './matrix.ts';
import { parseReplay, REPLAY_FLAGS, type ReplayArgs } from './replay.ts';
import { DESIGNS_FLAGS, parseDesigns, type DesignsArgs } from './designs.ts';
import { didYouMean } from './suggest.ts';
import { packageVersion } from '../program.ts';

export type { CheckArgs, DesignsArgs, JobArgs, MatrixArgs, ReplayArgs, SimulateArgs };
export { DEFAULT_WORKERS } from './check.ts';
export { MATRIX_DEFAULTS, MATRIX_FORMATS, type MatrixFormat } from './matrix.ts';

export const PROGRAM = 'presence-check';

export type ParseResult =
  | { readonly kind: 'check'; readonly options: CheckArgs }
  | { readonly kind: 'simulate'; readonly options: SimulateArgs }
  | { readonly kind: 'designs'; readonly options: DesignsArgs }
  | { readonly kind: 'replay'; readonly options: ReplayArgs }
  | { readonly kind: 'matrix'; readonly options: MatrixArgs }
  | { readonly kind: 'help'; readonly text: string }
  | { readonly kind: 'error'; readonly message: string };

interface CommandSpec {
  readonly usage: string;
  readonly summary: string;
  readonly flags: readonly FlagSpec[];
  readonly parse: (raw: RawFlags) => Parsed<CheckArgs | SimulateArgs | ReplayArgs | MatrixArgs | DesignsArgs>;
  readonly help: () => string[];
}

const designRows = () => DESIGNS.map((d): [string, string] => [d.name, d.summary]);
const exitRows = () =>
  section(
    'exit codes',
    EXIT_CODE_DOC.map(([code, text]): [string, string] => [String(code), text]),
    8,
  );

/** The help's sections for the job a command runs (check and simulate share them). */
function jobSections(what: string): string[] {
  return [
    ...section(what, flagRows(SELECTION_FLAGS)),
    '',
    ...section('bounds (integers; presence designs only)', flagRows([PRESET_FLAG, ...CHECK_BOUND_FLAGS])),
    '',
    ...section('faults', [...flagRows(FAULT_FLAGS), ...FAULTS.map((f): [string, string] => [`  ${f.name}`, f.summary])]),
    '',
    ...section('liveness', flagRows(LIVENESS_FLAGS)),
    '',
  ];
}

const COMMANDS: Readonly<Record<'check' | 'simulate' | 'replay' | 'matrix' | 'designs', CommandSpec>> = {
  check: {
    usage: 'check [options]',
    summary: 'explore every state within the bounds and check every property (the default use)',
    flags: CHECK_FLAGS,
    parse: parseCheck,
    help: () => [
      ...paragraph(
        'Explores every interleaving within the bounds, breadth first, and checks every property: the first ' +
          'violation found is printed with a shortest trace. Witnesses ("sometimes" properties) must each be reached and ' +
          'every action must fire, or the check is vacuous. Liveness ("leadsTo") properties are judged on the whole state ' +
          'graph under the fairness the actions declare; a violation is a lasso: a stem, then a cycle that repeats forever.',
      ),
      '',
      ...jobSections('what to check'),
      ...section('search', flagRows(SEARCH_FLAGS)),
      '',
      ...section('output', flagRows(OUTPUT_FLAGS)),
      '',
      ...section('designs', designRows()),
      '',
      ...exitRows(),
      ...paragraph(
        'With several designs the exit code is the worst of their verdicts: violated or vacuous (1), ' +
          'then incomplete (3), then holds (0).',
        8,
      ),
      '',
      'examples:',
      `  ${program()} check`,
      `  ${program()} check --design current --users 2 --lag 1`,
      `  ${program()} check --design-file my-design.yaml --users 2 --lag 0`,
      `  ${program()} check --design fixed --faults all --users 2 --lag 0`,
      `  ${program()} check --design refuse-latecomers --users 2 --lag 0 --json`,
      `  ${program()} check --design current --trace-out current.md`,
      `  ${program()} check --model examples/die-hard.ts --json`,
    ],
  },
  simulate: {
    usage: 'simulate [options]',
    summary: 'random walks past exhaustive reach (seeded, reproducible); a violation is shrunk to a short trace; never "holds"',
    flags: SIMULATE_FLAGS,
    parse: parseSimulate,
    help: () => [
      ...paragraph(
        "Walks the model at random from its initial states, as TLC's -simulate and `quint run` do, for bounds an " +
          'exhaustive check cannot reach: each step picks one of the enabled transitions (uniformly, by --weights, or by ' +
          "each walk's own drawn strategy with --swarm). Every invariant is checked on every state and every transition " +
          'invariant on every step. A violation is shrunk (steps dropped and replayed, then a bounded breadth-first search ' +
          'from the states of the trace) to a short trace that is a real run, which --trace-out writes in any format and ' +
          '`replay` replays. When no walk violates anything the verdict is none-found, never holds: walks sample the ' +
          'states and prove nothing; the report gives the runs, steps, distinct states seen, how often each action was ' +
          'taken and which witnesses were reached. A finite walk cannot judge liveness: a leadsTo property is reported ' +
          'only when a walk closes a fair lasso that violates it (a state visited twice, or one that nothing fair leaves), ' +
          'else as not judged. The same --seed gives the same walks and the same result on any number of threads.',
      ),
      '',
      ...jobSections('what to simulate'),
      ...section('walks', flagRows(WALK_FLAGS)),
      '',
      ...section('output', flagRows(OUTPUT_FLAGS)),
      '',
      ...section('designs', designRows()),
      '',
      ...exitRows(),
      ...paragraph(
        'simulate exits 0 when no walk violated a property (none-found: which proves nothing), 1 when one did (its ' +
          'shrunk trace is printed), 2 on bad input, 5 when the model throws, 130 on Ctrl-C (the walks so far are ' +
          'reported). With several designs, the worst.',
        8,
      ),
      '',
      'examples:',
      `  ${program()} simulate --design current --users 4 --tabs 2 --lag 2 --seed 7 --max-time 60`,
      `  ${program()} simulate --design fixed --users 3 --tabs 2 --lag 1 --max-time 20`,
      `  ${program()} simulate --design current --users 6 --tabs 3 --lag 4 --swarm --trace-out current.itf.json`,
      `  ${program()} simulate --design fixed --users 4 --lag 2 --weights tick=4,closeTab=0.5 --runs 100000 --json`,
      `  ${program()} simulate --model examples/die-hard.ts --seed 1`,
    ],
  },
  replay: {
    usage: 'replay FILE [options]',
    summary: 'run the steps of a scenario (YAML or JSON) or of a trace that check wrote, one by one, on the unreduced model',
    flags: REPLAY_FLAGS,
    parse: parseReplay,
    help: () => [
      ...paragraph(
        'Runs the steps of FILE one by one as written (the steps name real users, tabs and meetings), checking the ' +
          'invariants on each state, the step properties on each step, and a deadlock after the last. FILE is a scenario ' +
          '(`steps:`, a list of `- action`, `- action: {param: value}` or `- {action: name, param: value}`, with optional ' +
          '`design:`, `bounds:`, `faults:`, `initial:`, `description:` and `loop:`; users u1, meetings M1, tabs u1#1), or a trace ' +
          'written by `check --trace-out` in json, itf, markdown or mermaid format, which records the job it was checked on ' +
          '(design and every switch, bounds, faults, options, or the --model file), replays on exactly that model, and must ' +
          'reach the verdict the check found at the same step. With ' +
          '`loop: K` (or a lasso that check wrote) the run is a lasso: after the last step it is back in the state after step K ' +
          'and goes round forever; replay checks that the cycle closes and is fair, and which liveness properties it violates.',
      ),
      '',
      ...section('options', flagRows(REPLAY_FLAGS)),
      '',
      ...exitRows(),
      ...paragraph(
        `replay's verdicts: ${Object.values(REPLAY_VERDICTS)
          .map((v) => `${v.word} (exit ${v.passes ? EXIT.holds : EXIT.failed})`)
          .join(', ')}; a trace file that does not reach what the check that wrote it found exits 1 too; ` +
          "2 on bad input (one line naming the file's line and the step); 5 when the model's own code throws.",
        8,
      ),
      '',
      'examples:',
      `  ${program()} replay specs/scenarios/doc-timeline.yaml`,
      `  ${program()} replay docs/traces/current.itf.json`,
    ],
  },
  matrix: {
    usage: 'matrix [options]',
    summary: "check designs × bounds (users × lag, and each design's timing bounds) and print the verdict table",
    flags: MATRIX_FLAGS,
    parse: parseMatrix,
    help: () => [
      ...paragraph(
        'Checks every design over a grid of users × presence lag, plus, per design, sweeps of the timing bounds ' +
          'its verdict depends on; each cell on one thread with symmetry on and a state cap, so that the table is the same ' +
          'every run but for the time column. Under the table: what its verdicts assume (shared, per design, and what ' +
          'each fault of a row lifts).',
      ),
      '',
      ...section('options', flagRows(MATRIX_FLAGS)),
      '',
      ...exitRows(),
      ...paragraph(
        'matrix exits 0 when every cell was checked (a violation is a result, and a cell stopped by --max-states ' +
          'is incomplete: no violation up to its depth), 1 when it differs from --expect, 2 on bad input, 4 on an ' +
          "internal error, 5 when a design's model throws, 6 when --out cannot be written (the table goes to stdout), " +
          '130 on Ctrl-C (the partial table is printed).',
        8,
      ),
      '',
      'examples:',
      `  ${program()} matrix --designs shipped,fixed --format markdown`,
      `  ${program()} matrix --expect docs/matrix.md`,
    ],
  },
  designs: {
    usage: 'designs [show NAME]',
    summary: 'list the built-in designs and the switches a design file sets; show NAME: a design as a design file',
    flags: DESIGNS_FLAGS,
    parse: parseDesigns,
    help: () => [
      ...paragraph(
        'Lists the built-in designs (what each is, and the timing condition its verdicts rest on), then the keys of a ' +
          'design file and every switch it may set, with the values each takes. `designs show NAME` prints a built-in ' +
          'design as the YAML file that checks it, every switch written out with what it means: copy it, change a switch, ' +
          'and give it to check --design-file.',
      ),
      '',
      ...section('options', flagRows(DESIGNS_FLAGS)),
      '',
      'examples:',
      `  ${program()} designs`,
      `  ${program()} designs show fixed > my-fixed.yaml`,
      `  ${program()} check --design-file my-fixed.yaml`,
    ],
  },
};

const NAMES = Object.keys(COMMANDS) as (keyof typeof COMMANDS)[];

/** The overview: what the tool is, its commands, where each command's help is. */
export function helpText(): string {
  return [
    `usage: ${program()} <command> [options]`,
    '',
    ...paragraph(
      'An exhaustive, explicit-state model checker for the presence protocol of Reflector rooms backed by Daily.co ' +
        "video rooms: it explores every interleaving of users' tabs, the backend, Daily's lagging presence API, the DB, " +
        'Redis and the workers within small bounds, and proves every property or prints a shortest counterexample.',
    ),
    '',
    ...section(
      'commands',
      NAMES.map((n): [string, string] => [COMMANDS[n].usage, COMMANDS[n].summary]),
    ),
    '',
    `Each command's own options: ${program()} <command> --help; the version: ${program()} --version`,
    '',
    ...exitRows(),
    '',
  ].join('\n');
}

export function commandHelp(name: keyof typeof COMMANDS): string {
  const c = COMMANDS[name];
  return [`usage: ${program()} ${c.usage}`, '', ...c.help(), ''].join('\n');
}

export function parseArgs(argv: readonly string[]): ParseResult {
  const [first, ...rest] = argv;
  if (first === undefined)
    return {
      kind: 'error',
      message: `missing command: usage: ${program()} <command> [options] (commands: ${NAMES.join(', ')}; see --help)`,
    };
  if (first === '--help' || first === '-h' || first === 'help') return { kind: 'help', text: helpText() };
  if (first === '--version' || first === '-V' || first === 'version') return { kind: 'help', text: `${packageVersion()}\n` };
  if (!(NAMES as readonly string[]).includes(first)) {
    return {
      kind: 'error',
      message: first.startsWith('-')
        ? `missing command before ${first}: usage: ${program()} <command> [options] (commands: ${NAMES.join(', ')}; see --help)`
        : `unknown command '${first}' (${didYouMean(first, NAMES)}commands: ${NAMES.join(', ')}; see --help)`,
    };
  }
  const name = first as keyof typeof COMMANDS;
  const command = COMMANDS[name];
  const raw = parseFlags(name, rest, command.flags);
  if (!raw.ok) return { kind: 'error', message: raw.message };
  if (raw.value.help === true) return { kind: 'help', text: commandHelp(name) };
  const parsed = command.parse(raw.value);
  if (!parsed.ok) return { kind: 'error', message: parsed.message };
  return { kind: name, options: parsed.value } as ParseResult;
}
