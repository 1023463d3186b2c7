// The saved results the docs are written from: each a command of this tool,
// run once by `npm run docs -- --rerun` and kept in docs/results/NAME.json
// (what it printed, its exit code, its time and peak memory, and where and
// when it ran). `npm run docs` and the docs test read them and never re-run
// a check; figures in README.md and docs/ come from them or from the code.
//
// To add a result: a line in RESULTS, then `npm run docs -- --rerun NAME`
// and a block (blocks.ts) that shows it. To drop one: delete its line and
// `npm run docs` removes its file. After a change to the model, rerun all:
// `npm run docs -- --rerun` (the docs test fails until then).
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { RunReport } from '../../report/types.ts';

export interface ResultSpec {
  /** the file: docs/results/NAME.json */
  readonly name: string;
  /** the command line after `presence-check` */
  readonly argv: readonly string[];
  /** where it runs, relative to the repository root (default: the root) */
  readonly cwd?: string;
  /** what the docs show it for */
  readonly shows: string;
  /**
   * why `npm run prove` does not run it again (specs/prove/docs-results.test.ts):
   * only for a command longer than the whole prove budget; `npm run docs --
   * --rerun NAME` still does
   */
  readonly notReproved?: string;
}

/** Every saved result, cheapest first (`--rerun` runs them in this order). */
export const RESULTS: readonly ResultSpec[] = [
  {
    name: 'check-lasso',
    argv: ['check', '--design', 'current', '--users', '1', '--tabs', '1', '--lag', '0'],
    shows: 'docs/cli.md: a lasso in the text report',
  },
  {
    name: 'check-memory',
    argv: ['check', '--design', 'fixed', '--users', '2', '--tabs', '1', '--lag', '0', '--memory', '4M'],
    shows: 'docs/cli.md: a check under --memory whose frontier, liveness graph and visited set spill, and what its report says',
  },
  {
    name: 'check-table',
    argv: ['check', '--design', 'current,fail-loudly,shipped,refuse-latecomers', '--users', '2', '--tabs', '1', '--lag', '0'],
    shows: 'docs/cli.md: several designs, one row each, and their premises',
  },
  {
    name: 'check-faults-example',
    argv: ['check', '--design', 'fixed', '--users', '2', '--tabs', '1', '--lag', '0', '--faults', 'all'],
    shows: 'README: what a verdict rests on',
  },
  {
    name: 'check-trace-example',
    argv: ['check', '--design', 'current', '--preset', 'thorough'],
    shows: 'README: reading a trace',
  },
  {
    name: 'check-no-settling',
    argv: ['check', '--design', 'fixed', '--users', '2', '--tabs', '1', '--lag', '0', '--no-settling'],
    shows: 'docs/findings.md: liveness without settling (churn that never stops starves a latecomer)',
  },
  {
    name: 'check-fixed-cut',
    argv: [
      'check',
      '--design',
      'fixed',
      '--users',
      '1',
      '--tabs',
      '1',
      '--lag',
      '0',
      '--faults',
      'refresh-fails',
      '--judge',
      'no-call-cut',
      '--no-liveness',
    ],
    shows: "docs/findings.md: fixed's one premise, lifted: a refresh that does not land cuts the call (never a split)",
  },
  {
    name: 'design-file-example',
    argv: ['check', '--design-file', 'fixed-joined-deletes.yaml', '--users', '2', '--tabs', '2', '--lag', '0'],
    cwd: 'docs/results',
    shows: 'docs/cli.md: a design file of your own',
  },
  {
    name: 'replay-doc-timeline',
    argv: ['replay', 'specs/scenarios/doc-timeline.yaml'],
    shows: "docs/cli.md: replaying the design doc's timeline",
  },
  {
    name: 'replay-fixed-timeline',
    argv: ['replay', 'specs/scenarios/doc-timeline-fixed.yaml'],
    shows: 'docs/cli.md: a step that is not enabled',
  },
  {
    name: 'matrix-example',
    argv: [
      'matrix',
      '--designs',
      'current,fixed',
      '--users',
      '1,2',
      '--lag',
      '0',
      '--no-sweeps',
      '--max-states',
      '100000',
      '--format',
      'markdown',
    ],
    shows: 'docs/cli.md: the matrix',
  },
  {
    name: 'simulate-current',
    argv: ['simulate', '--design', 'current', '--users', '6', '--tabs', '3', '--lag', '4', '--seed', '7', '--json'],
    shows: 'docs/simulate.md: current violated past exhaustive reach, and its shrunk trace',
  },
  {
    name: 'simulate-fixed',
    argv: ['simulate', '--design', 'fixed', '--users', '6', '--tabs', '3', '--lag', '4', '--seed', '1', '--runs', '10000', '--json'],
    shows: 'docs/simulate.md: fixed none found after 10^6 steps, with its coverage',
  },
  {
    name: 'check-quick',
    argv: ['check', '--json'],
    shows: "README: the quick preset's verdicts and time; progress estimates for these runs",
  },
  {
    name: 'ci-gate',
    argv: ['check', '--design', 'fixed', '--faults', 'all', '--users', '2', '--tabs', '1', '--lag', '1', '--json'],
    shows: "README: the CI gate's bound, its time",
  },
  {
    name: 'check-every-fault',
    argv: ['check', '--design', 'fixed', '--faults', 'all', '--users', '2', '--tabs', '2', '--lag', '1', '--json'],
    notReproved:
      'minutes on one thread, which npm run prove spends proving the same claim (specs/prove/fixed-faults-proof.test.ts) rather than comparing a saved report',
    shows: "docs/findings.md and docs/checker.md: liveness with every fault at the thorough preset's bounds, its time and memory",
  },
  {
    name: 'check-thorough',
    // safety and liveness: every design that keeps its invariants needs its whole graph at these bounds, which the
    // symmetry-reduced liveness analysis keeps to minutes for all twelve (the saved run's time)
    argv: ['check', '--preset', 'thorough', '--json'],
    notReproved:
      "every design at 2 users × 2 tabs × lag 1, liveness included: minutes on two threads (the saved run's time), which npm run prove's 15 minutes leave no room for; each design it finds violated is checked again there, and fixed at these bounds, liveness included, is proved there (specs/prove/fixed-proof.test.ts)",
    shows: "README and docs/findings.md: the thorough preset's verdicts and time; docs/traces",
  },
];

/** How a result was run: this machine, this day, this commit. */
export interface Provenance {
  readonly date: string;
  readonly commit: string;
  readonly node: string;
  readonly cores: number;
  readonly cpu: string;
  readonly memoryGiB: number;
  /** the machine's 1-minute load average when the command started and when it ended (other work slows it) */
  readonly loadAverage?: readonly [number, number];
}

export interface SavedResult {
  readonly format: 'presence-check/doc-result';
  readonly name: string;
  readonly argv: readonly string[];
  readonly cwd: string;
  readonly exitCode: number;
  readonly stdout: string;
  readonly stderr: string;
  /** wall time of the whole command */
  readonly elapsedMs: number;
  /** the process's peak resident memory (worker threads included) */
  readonly peakRssBytes: number;
  readonly ran: Provenance;
}

export const RESULTS_DIR = 'docs/results';

export const resultPath = (name: string) => `${RESULTS_DIR}/${name}.json`;

export function readResult(root: string, name: string): SavedResult {
  const path = join(root, resultPath(name));
  if (!existsSync(path)) throw new Error(`${resultPath(name)} is missing: run \`npm run docs -- --rerun ${name}\``);
  return JSON.parse(readFileSync(path, 'utf8')) as SavedResult;
}

/** The result files in docs/results that RESULTS does not name. */
/** Files of docs/results written by other scripts, which `npm run docs` reads and never removes. */
export const OTHER_RESULTS: readonly string[] = [
  // npm run ablations (scripts/ablations.ts)
  'ablations.json',
  // npm run bench -- --write (scripts/bench.ts)
  'bench.json',
];

export function strayResults(root: string): string[] {
  const known = new Set([...RESULTS.map((r) => `${r.name}.json`), ...OTHER_RESULTS]);
  return readdirSync(join(root, RESULTS_DIR))
    .filter((f) => f.endsWith('.json') && !known.has(f))
    .map((f) => `${RESULTS_DIR}/${f}`);
}

/** Fields of a report that the exports read and that a report saved by an older presence-check lacks. */
const RECENT_FIELDS = ['job', 'encodingCheck', 'cycleLength'] as const;

/** The reports of a --json result, one a line; one saved by an older presence-check is refused (rerun it). */
export function reportsOf(result: SavedResult): RunReport[] {
  if (!result.argv.includes('--json')) throw new Error(`${result.name}: not a --json result`);
  const reports = result.stdout
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => JSON.parse(l) as RunReport);
  for (const r of reports) {
    const missing = RECENT_FIELDS.filter((f) => !(f in r));
    if (missing.length > 0)
      throw new Error(
        `${resultPath(result.name)} was saved by an older presence-check (its reports have no ${missing.join(', ')}): run \`npm run docs -- --rerun ${result.name}\``,
      );
  }
  return reports;
}

/** The command as a reader types it. */
export const commandOf = (result: { readonly argv: readonly string[] }) =>
  ['presence-check', ...result.argv.map((a) => (/^[\w./,=:-]+$/.test(a) ? a : `'${a}'`))].join(' ');
