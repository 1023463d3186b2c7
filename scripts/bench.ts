// npm run bench [-- CONFIG ...] [--runs N] [--against REV] [--json]
// npm run bench -- --spin [SPIN-CONFIG ...] [--runs N] [--write] [--json]
// Measures the checker on the presence model: per configuration (design ×
// users × tabs × lag × symmetry × workers × liveness × faults), distinct
// states, transitions, time, states/s, transitions/s, peak RSS, bytes per
// state (visited set, checker, whole process) and, with liveness, the stored
// graph's edges and bytes per edge; then the symmetry reduction factor of each
// configuration also run without symmetry. Each configuration runs in a child
// process of its own, so peak RSS is that run's alone. A CONFIG is
// design:users:lag, then optionally ":nosym" (symmetry off), ":wN" (N threads
// expanding states, the search's own and N-1 workers; default 1), ":tN" (N tabs per user; default 2), ":live" (the
// liveness properties too; default safety only), ":faults" (every fault in
// force) and ":memN" (a memory budget of N MiB, what does not fit spilled to
// files in a temporary directory, as check --memory does), e.g.
// `fixed:2:0:nosym:w2`, `fixed:3:0:t1`, `fixed:2:0:live:faults` or `fixed:2:1:live:mem200`.
// `--runs N` runs each configuration N times. `--against REV` also measures
// another commit (checked out beside this one for the run, sharing
// node_modules), alternating its runs with this one's so both meet the same
// machine (its speed drifts over minutes), and prints their medians and the
// speed-up: how a change is measured.
// `--spin` puts presence-check beside SPIN (issue 26): a SPIN-CONFIG is
// fixed:users:tabs:lag[:faults] (only fixed has a Promela model,
// spin/fixed.pml); for each, presence-check's safety search on one thread,
// SPIN's compiled verifier (BFS, safety, no partial-order reduction),
// presence-check on two threads and the engine alone (its one-thread search
// over successors recorded beforehand: the model's code taken out, a ceiling
// for any speed-up of it; bench/engine-alone.ts), alternated run by run, then
// the medians and the ratios of distinct states/s (bench/spin-comparison.ts).
// `--write` (which implies --spin) saves the figures to
// docs/results/bench.json, from which `npm run docs` renders the table of
// docs/checker.md.
// Bad input: one line, exit 2; SPIN or gcc not installed: one line naming
// the install step, exit 7.
// Figures only: nothing here asserts a speed (tests check correctness).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';
import { checkParallel } from '../checker/index.ts';
import { designByName, FAULT_NAMES, faultsInForce, presenceModel } from '../model/index.ts';
import {
  BENCH_RESULT,
  benchCommand,
  comparisonText,
  DEFAULT_SPIN_CONFIGS,
  parseSpinConfig,
  presenceConfig,
  type ComparedConfig,
  type SavedBench,
  type SpinConfig,
  type ToolFigures,
} from '../bench/spin-comparison.ts';
import { engineAlone } from '../bench/engine-alone.ts';
import { runSpin, spinMissing, spinVersion, type SpinResult } from '../spin/run.ts';
import { FileSpillStore, SpillDir } from '../cli/spill-files.ts';

// Issue 14's side-by-side: fixed and fixed-ttl at 2 users × lag 0 on one and
// two threads (the states/s targets), fixed at the default bounds with and
// without liveness (what `check` costs), and symmetry's reduction.
const DEFAULT_CONFIGS = [
  'current:2:1',
  'current:2:1:nosym',
  'fixed-ttl:2:0',
  'fixed-ttl:2:0:w2',
  'fixed:1:2',
  'fixed:1:2:nosym',
  'fixed:2:0',
  'fixed:2:0:w2',
  'fixed:2:0:nosym:w2',
  'fixed:2:0:live',
  'fixed:2:0:t1:live:faults',
  'fixed:3:0:t1:w2',
  'fixed:2:1:w2',
  'fixed:2:1:live:w2',
];

interface Figures {
  readonly config: string;
  readonly verdict: string;
  readonly states: number;
  readonly transitions: number;
  readonly seconds: number;
  readonly statesPerSecond: number;
  readonly transitionsPerSecond: number;
  /** liveness only: the stored graph's edges and its bytes per edge (0 without liveness) */
  readonly edges: number;
  readonly graphBytesPerEdge: number;
  readonly peakRssMb: number;
  readonly visitedBytesPerState: number;
  readonly rssBytesPerState: number;
  readonly peakFrontier: number;
  /** visited set and the largest packed frontier together, per distinct state */
  readonly checkerBytesPerState: number;
  readonly workers: number;
  /** :memN: bytes written to disk (frontier, graph and visited set), in MB */
  readonly spilledMb: number;
}

interface Config {
  readonly design: string;
  readonly users: number;
  readonly lag: number;
  readonly symmetry: boolean;
  readonly workers: number;
  readonly tabs: number;
  readonly liveness: boolean;
  readonly faults: boolean;
  /** :memN: the memory budget in MiB (null: none) */
  readonly memoryMiB: number | null;
}

function parseConfig(config: string): Config {
  const [design, users, lag, ...flags] = config.split(':');
  const good =
    design &&
    /^\d+$/.test(users ?? '') &&
    /^\d+$/.test(lag ?? '') &&
    flags.every((f) => f === 'nosym' || f === 'live' || f === 'faults' || /^[wt][1-9]\d*$/.test(f) || /^mem[1-9]\d*$/.test(f));
  if (!good) throw new Error(`bad configuration '${config}': expected design:users:lag[:nosym][:wN][:tN][:live][:faults][:memN]`);
  const numberAfter = (letter: string, otherwise: number) => {
    const f = flags.find((x) => x.startsWith(letter));
    return f ? Number(f.slice(1)) : otherwise;
  };
  return {
    design,
    users: Number(users),
    lag: Number(lag),
    symmetry: !flags.includes('nosym'),
    workers: numberAfter('w', 1),
    tabs: numberAfter('t', 2),
    liveness: flags.includes('live'),
    faults: flags.includes('faults'),
    memoryMiB: flags.some((f) => f.startsWith('mem')) ? Number(flags.find((f) => f.startsWith('mem'))!.slice(3)) : null,
  };
}

/** In the child: one run, its figures as one JSON line. */
async function measure(config: string): Promise<Figures> {
  const { design, users, lag, symmetry, workers, tabs, liveness, faults, memoryMiB } = parseConfig(config);
  const source = {
    module: new URL('../model/index.ts', import.meta.url).href,
    export: 'presenceModel',
    args: [design, { users, lag, tabs }, { symmetry, liveness, faults: faults ? FAULT_NAMES : [] }],
  };
  const spill = memoryMiB !== null ? new SpillDir(null) : null;
  const store = spill !== null ? new FileSpillStore(spill.path) : null;
  let result: Awaited<ReturnType<typeof checkParallel>>;
  try {
    result = await checkParallel(source, { workers, ...(store !== null ? { memory: { bytes: memoryMiB! * 2 ** 20, store } } : {}) });
  } finally {
    store?.close();
    spill?.remove();
  }
  const spilled = result.memory === null ? 0 : Object.values(result.memory.spilled).reduce((a, b) => a + b, 0);
  const peakRss = process.resourceUsage().maxRSS * 1024;
  return {
    config,
    verdict: result.verdict,
    states: result.states,
    transitions: result.transitions,
    seconds: result.elapsedMs / 1000,
    statesPerSecond: Math.round(result.states / (result.elapsedMs / 1000)),
    transitionsPerSecond: Math.round(result.transitions / (result.elapsedMs / 1000)),
    edges: result.edges,
    graphBytesPerEdge: result.edges > 0 ? Math.round((result.graphBytes / result.edges) * 10) / 10 : 0,
    peakRssMb: Math.round(peakRss / 2 ** 20),
    visitedBytesPerState: Math.round(result.visitedBytes / result.states),
    rssBytesPerState: Math.round(peakRss / result.states),
    peakFrontier: result.peakFrontier,
    checkerBytesPerState: Math.round((result.visitedBytes + result.peakFrontierBytes) / result.states),
    workers: result.workers,
    spilledMb: Math.round(spilled / 2 ** 20),
  };
}

function table(rows: readonly Figures[]): string {
  const head = [
    'configuration',
    'verdict',
    'states',
    'transitions',
    'time s',
    'states/s',
    'transitions/s',
    'edges',
    'B/edge',
    'peak RSS MB',
    'visited B/state',
    'checker B/state',
    'RSS B/state',
    'peak frontier',
    'workers',
    'spilled MB',
  ];
  const cells = rows.map((r) => [
    r.config,
    r.verdict,
    r.states.toLocaleString('en-US'),
    r.transitions.toLocaleString('en-US'),
    r.seconds.toFixed(1),
    r.statesPerSecond.toLocaleString('en-US'),
    r.transitionsPerSecond.toLocaleString('en-US'),
    r.edges > 0 ? r.edges.toLocaleString('en-US') : '—',
    r.edges > 0 ? String(r.graphBytesPerEdge) : '—',
    String(r.peakRssMb),
    String(r.visitedBytesPerState),
    String(r.checkerBytesPerState),
    String(r.rssBytesPerState),
    r.peakFrontier.toLocaleString('en-US'),
    String(r.workers),
    parseConfig(r.config).memoryMiB === null ? '—' : String(r.spilledMb),
  ]);
  const widths = head.map((h, i) => Math.max(h.length, ...cells.map((c) => c[i].length)));
  const line = (c: readonly string[]) => c.map((x, i) => (i < 2 ? x.padEnd(widths[i]) : x.padStart(widths[i]))).join('  ');
  return [line(head), ...cells.map(line)].join('\n');
}

/** Symmetry's reduction factor for each configuration run both with and without it. */
function reductions(rows: readonly Figures[]): { config: string; factor: number }[] {
  const out: { config: string; factor: number }[] = [];
  for (const r of rows) {
    const c = parseConfig(r.config);
    if (!c.symmetry) continue;
    const plain = rows.find((o) => {
      const x = parseConfig(o.config);
      return (
        !x.symmetry &&
        x.design === c.design &&
        x.users === c.users &&
        x.lag === c.lag &&
        x.tabs === c.tabs &&
        x.liveness === c.liveness &&
        x.faults === c.faults &&
        o.verdict === r.verdict
      );
    });
    if (plain && r.verdict === 'holds') out.push({ config: r.config, factor: Math.round((plain.states / r.states) * 100) / 100 });
  }
  return out;
}

/** In the child: one timed pass of the engine alone (bench/engine-alone.ts) on a SPIN configuration's model, as the comparison reads it. */
function measureEngineAlone(config: string): ToolFigures {
  const c = parseSpinConfig(config);
  const model = presenceModel(
    c.design,
    { users: c.users, lag: c.lag, tabs: c.tabs },
    { symmetry: true, liveness: false, faults: c.faults ? FAULT_NAMES : [] },
  );
  const [run] = engineAlone(model, 1);
  return {
    verdict: '—',
    states: run.states,
    transitions: run.targets,
    seconds: run.seconds,
    statesPerSecond: Math.round(run.states / run.seconds),
    transitionsPerSecond: Math.round(run.targets / run.seconds),
    bytesPerState: Math.round(run.visitedBytes / run.states),
    // the process also held the recorded successors: its peak says nothing of the search's
    peakRssMb: null,
  };
}

/** One child process measuring `config` with the bench script `script` (this one, or another commit's); `mode` --child-engine: the engine alone. */
function runChild<T = Figures>(script: string, config: string, mode: '--child' | '--child-engine' = '--child'): T | string {
  const child = spawnSync(process.execPath, ['--max-old-space-size=16384', '--import', 'tsx', script, mode, config], {
    encoding: 'utf8',
    maxBuffer: 1 << 20,
    cwd: dirname(dirname(script)),
  });
  if (child.status !== 0) return (child.stderr || '').trim().split('\n').at(-1) ?? `exit ${child.status}`;
  return JSON.parse(child.stdout.trim().split('\n').at(-1)!) as T;
}

function median(xs: readonly number[]): number {
  const sorted = [...xs].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid] : Math.round(((sorted[mid - 1] + sorted[mid]) / 2) * 10) / 10;
}

/** The before/after table of --against: medians of the runs, and the speed-up. */
function comparison(rows: readonly { config: string; before: Figures[]; after: Figures[] }[], rev: string): string {
  const head = ['configuration', 'states', `${rev} s`, 'now s', 'speed-up', `${rev} states/s`, 'now states/s', 'runs'];
  const cells = rows.map(({ config, before, after }) => {
    const b = median(before.map((f) => f.seconds));
    const a = median(after.map((f) => f.seconds));
    const states =
      before[0].states === after[0].states ? after[0].states.toLocaleString('en-US') : `${before[0].states} → ${after[0].states}`;
    return [
      config,
      states,
      b.toFixed(1),
      a.toFixed(1),
      `${(b / a).toFixed(2)}×`,
      median(before.map((f) => f.statesPerSecond)).toLocaleString('en-US'),
      median(after.map((f) => f.statesPerSecond)).toLocaleString('en-US'),
      String(after.length),
    ];
  });
  const widths = head.map((h, i) => Math.max(h.length, ...cells.map((c) => c[i].length)));
  const line = (c: readonly string[]) => c.map((x, i) => (i === 0 ? x.padEnd(widths[i]) : x.padStart(widths[i]))).join('  ');
  return [line(head), ...cells.map(line)].join('\n');
}

function fail(message: string): never {
  process.stderr.write(`bench: ${message}\n`);
  process.exit(2);
}

/** A checkout of `rev` beside this one (sharing node_modules), and how to remove it. */
function checkout(rev: string): { script: string; remove: () => void } {
  const root = dirname(dirname(fileURLToPath(import.meta.url)));
  const dir = mkdtempSync(join(tmpdir(), 'bench-'));
  const git = (...a: string[]) => spawnSync('git', ['-C', root, ...a], { encoding: 'utf8' });
  const added = git('worktree', 'add', '--detach', dir, rev);
  if (added.status !== 0) fail(`--against ${rev}: ${(added.stderr || '').trim().split('\n').at(-1)}`);
  const remove = () => git('worktree', 'remove', '--force', dir);
  const script = join(dir, 'scripts', 'bench.ts');
  if (!existsSync(script)) {
    remove();
    fail(`--against ${rev}: that commit has no scripts/bench.ts`);
  }
  symlinkSync(join(root, 'node_modules'), join(dir, 'node_modules'));
  return { script, remove };
}

/** The commit measured, and whether files outside docs/ had changes beside it (then the figures are of neither). */
function commitOf(root: string): string {
  const git = (...a: string[]) => execFileSync('git', a, { cwd: root, encoding: 'utf8' }).trim();
  const changed = git('status', '--porcelain', '--untracked-files=no', '--', '.', ':(exclude)docs') !== '';
  return `${git('rev-parse', '--short', 'HEAD')}${changed ? ' with uncommitted changes' : ''}`;
}

/** Exit code when SPIN (or gcc) is not installed: the bench cannot make its comparison. */
const EXIT_NO_SPIN = 7;

/** presence-check's figures of one run, as the comparison reads them. */
function presenceFigures(f: Figures): ToolFigures {
  return {
    verdict: f.verdict,
    states: f.states,
    transitions: f.transitions,
    seconds: f.seconds,
    statesPerSecond: f.statesPerSecond,
    transitionsPerSecond: f.transitionsPerSecond,
    bytesPerState: f.visitedBytesPerState,
    peakRssMb: f.peakRssMb,
  };
}

function spinFigures(r: SpinResult): ToolFigures {
  // pan's elapsed time has a resolution of 10 ms: a run that short gives no rate worth reading
  const seconds = Math.max(r.seconds, 0.01);
  return {
    verdict: r.verdict === 'violated' ? `violated (${r.property})` : r.verdict,
    states: r.states,
    transitions: r.transitions,
    seconds: r.seconds,
    statesPerSecond: Math.round(r.states / seconds),
    transitionsPerSecond: Math.round(r.transitions / seconds),
    bytesPerState: Math.round(r.memoryBytes / r.states),
    peakRssMb: r.peakRssBytes === null ? null : Math.round(r.peakRssBytes / 2 ** 20),
  };
}

/** SPIN's run of a configuration (its memory limit: --spin-memory is not offered; 16 GB is what this machine can spare). */
function spinRunOf(c: SpinConfig, faults: readonly string[], hashBits: number) {
  return runSpin({ users: c.users, tabs: c.tabs, lag: c.lag, faults, hashBits, memoryMb: 16384 });
}

/**
 * The side-by-side of issue 26: per configuration, a first SPIN run that
 * sizes its hash table (2^bits slots for its states: what a SPIN user does
 * after pan's "hint: increase hashtable-size"), not counted; then `runs`
 * rounds of presence-check on one thread, SPIN, presence-check on two
 * threads, each in a process of its own.
 */
async function compareWithSpin(configs: readonly string[], runs: number, json: boolean, write: boolean): Promise<void> {
  let parsed: SpinConfig[] = [];
  try {
    parsed = configs.map(parseSpinConfig);
  } catch (e) {
    fail(e instanceof Error ? e.message : String(e));
  }
  const missing = spinMissing();
  if (missing !== null) {
    process.stderr.write(`bench: --spin needs SPIN: ${missing}\n`);
    process.exit(EXIT_NO_SPIN);
  }
  const self = fileURLToPath(import.meta.url);
  const fixed = designByName('fixed')!;
  const loadStart = loadavg().map((x) => Math.round(x * 100) / 100) as [number, number, number];
  const done: ComparedConfig[] = [];
  for (const [n, c] of parsed.entries()) {
    const config = configs[n];
    const faults = c.faults ? faultsInForce(fixed, FAULT_NAMES).inForce : [];
    const say = (what: string) => {
      if (!json) process.stderr.write(`${config}: ${what}\n`);
    };
    say("sizing SPIN's hash table ...");
    const sizing = spinRunOf(c, faults, 24);
    if (sizing.verdict === 'incomplete') {
      process.stderr.write(`bench: ${config}: SPIN stopped early (${sizing.limit ?? 'a limit'}): smaller bounds\n`);
      process.exitCode = 1;
      continue;
    }
    const hashBits = Math.max(10, Math.ceil(Math.log2(sizing.states)));
    const one: ToolFigures[] = [];
    const spinRuns: ToolFigures[] = [];
    const two: ToolFigures[] = [];
    const engine: ToolFigures[] = [];
    let failed = false;
    for (let r = 0; r < runs && !failed; r++) {
      const round = runs > 1 ? ` (run ${r + 1}/${runs})` : '';
      for (const [what, take] of [
        ['presence-check, 1 thread', () => runChild(self, presenceConfig(c, 1))],
        ['SPIN', () => spinFigures(spinRunOf(c, faults, hashBits))],
        ['presence-check, 2 threads', () => runChild(self, presenceConfig(c, 2))],
        ['presence-check, engine alone', () => runChild<ToolFigures>(self, config, '--child-engine')],
      ] as const) {
        say(`${what}${round} ...`);
        const got = take();
        if (typeof got === 'string') {
          process.stderr.write(`bench: ${config}: ${what} failed: ${got}\n`);
          process.exitCode = 1;
          failed = true;
          break;
        }
        if (what === 'SPIN') spinRuns.push(got as ToolFigures);
        else if (what.endsWith('engine alone')) engine.push(got as ToolFigures);
        else (what.endsWith('1 thread') ? one : two).push(presenceFigures(got as Figures));
      }
    }
    if (!failed)
      done.push({ config, faults, one, spin: spinRuns, two, engine, spinHashBits: hashBits, spinVectorBytes: sizing.vectorBytes });
  }
  const version = spinVersion();
  if (json) process.stdout.write(`${JSON.stringify({ spin: version, configs: done })}\n`);
  else process.stdout.write(`${comparisonText(done, version.replace(/^Spin Version (\S+).*$/, 'SPIN $1'))}\n`);
  if (!write) return;
  if (done.length < parsed.length) {
    process.stderr.write(`bench: not writing ${BENCH_RESULT}: a configuration failed\n`);
    return;
  }
  const root = dirname(dirname(self));
  const saved: SavedBench = {
    format: 'presence-check/bench-spin',
    command: benchCommand(configs, runs),
    runs,
    ran: {
      date: new Date().toISOString().slice(0, 10),
      commit: commitOf(root),
      node: process.version,
      cores: cpus().length,
      cpu: cpus()[0]?.model.trim() ?? 'unknown',
      memoryGiB: Math.round(totalmem() / 2 ** 30),
      loadAverage: { start: loadStart, end: Math.round(loadavg()[0] * 100) / 100 },
      spin: version,
      gcc: execFileSync('gcc', ['--version'], { encoding: 'utf8' }).split('\n')[0].trim(),
    },
    configs: done,
  };
  writeFileSync(join(root, BENCH_RESULT), `${JSON.stringify(saved, null, 2)}\n`);
  if (!json) process.stdout.write(`wrote ${BENCH_RESULT} (npm run docs renders it into docs/checker.md)\n`);
}

const args = process.argv.slice(2);
if (args[0] === '--child') {
  process.stdout.write(`${JSON.stringify(await measure(args[1]))}\n`);
} else if (args[0] === '--child-engine') {
  process.stdout.write(`${JSON.stringify(measureEngineAlone(args[1]))}\n`);
} else {
  const json = args.includes('--json');
  const flagValue = (flag: string): string | undefined => {
    const i = args.indexOf(flag);
    if (i < 0) return undefined;
    const v = args[i + 1];
    if (v === undefined || v.startsWith('--')) fail(`${flag} needs a value`);
    return v;
  };
  const against = flagValue('--against');
  const runsText = flagValue('--runs') ?? '1';
  if (!/^[1-9]\d*$/.test(runsText)) fail(`--runs ${runsText}: expected a positive whole number`);
  const runs = Number(runsText);
  const write = args.includes('--write');
  const spin = write || args.includes('--spin');
  const configs = args.filter(
    (a, i) =>
      !['--json', '--spin', '--write'].includes(a) &&
      !['--against', '--runs'].includes(a) &&
      !['--against', '--runs'].includes(args[i - 1]),
  );
  for (const c of configs) if (c.startsWith('--')) fail(`unknown option ${c} (options: --json, --runs N, --against REV, --spin, --write)`);
  if (spin) {
    if (against !== undefined) fail('--against measures presence-check against another commit; --spin against SPIN: one at a time');
    await compareWithSpin(configs.length > 0 ? configs : DEFAULT_SPIN_CONFIGS, runs, json, write);
    process.exit(process.exitCode ?? 0);
  }
  const chosen = configs.length > 0 ? configs : DEFAULT_CONFIGS;
  try {
    chosen.forEach(parseConfig);
  } catch (e) {
    fail(e instanceof Error ? e.message : String(e));
  }
  const self = fileURLToPath(import.meta.url);
  const other = against === undefined ? null : checkout(against);
  const rows: Figures[] = [];
  const compared: { config: string; before: Figures[]; after: Figures[] }[] = [];
  try {
    for (const config of chosen) {
      const before: Figures[] = [];
      const after: Figures[] = [];
      // alternated, so that both see the same machine: its speed drifts over minutes
      for (let r = 0; r < runs; r++) {
        if (!json) process.stderr.write(`${config}${runs > 1 ? ` (run ${r + 1}/${runs})` : ''} ...\n`);
        if (other !== null) {
          const old = runChild(other.script, config);
          if (typeof old === 'string') {
            process.stderr.write(`bench: ${config} failed at ${against}: ${old}\n`);
            process.exitCode = 1;
            break;
          }
          before.push(old);
        }
        const now = runChild(self, config);
        if (typeof now === 'string') {
          process.stderr.write(`bench: ${config} failed: ${now}\n`);
          process.exitCode = 1;
          break;
        }
        after.push(now);
        rows.push(now);
      }
      if (other !== null && before.length > 0 && after.length > 0) compared.push({ config, before, after });
    }
  } finally {
    other?.remove();
  }
  const factors = reductions(rows);
  if (json)
    process.stdout.write(`${JSON.stringify({ runs: rows, symmetryReduction: factors, ...(other ? { against, compared } : {}) })}\n`);
  else {
    process.stdout.write(`${table(rows)}\n`);
    process.stdout.write(
      "(each verdict is at its configuration's bounds, with every fault in force under :faults and none otherwise, " +
        'assuming what the design assumes: `npx tsx cli.ts check --design D` prints it)\n',
    );
    if (factors.length > 0) {
      process.stdout.write(
        `\nsymmetry reduction (states without / with, complete runs): ${factors.map((f) => `${f.config} ${f.factor}×`).join(', ')}\n`,
      );
    }
    if (compared.length > 0) process.stdout.write(`\nagainst ${against} (medians, runs alternated):\n${comparison(compared, against!)}\n`);
  }
}
