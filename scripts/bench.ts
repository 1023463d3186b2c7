// npm run bench [-- CONFIG ...] [--runs N] [--against REV] [--json]
// Measures the checker on the presence model: per configuration (design ×
// users × tabs × lag × symmetry × workers × liveness × faults), distinct
// states, transitions, time, states/s, transitions/s, peak RSS, bytes per
// state (visited set, checker, whole process) and, with liveness, the stored
// graph's edges and bytes per edge; then the symmetry reduction factor of each
// configuration also run without symmetry. Each configuration runs in a child
// process of its own, so peak RSS is that run's alone. A CONFIG is
// design:users:lag, then optionally ":nosym" (symmetry off), ":wN" (N threads
// expanding states, the search's own and N-1 workers; default 1), ":tN" (N tabs per user; default 2), ":live" (the
// liveness properties too; default safety only) and ":faults" (every fault in
// force), e.g. `fixed:2:0:nosym:w2`, `fixed:3:0:t1` or `fixed:2:0:live:faults`.
// `--runs N` runs each configuration N times. `--against REV` also measures
// another commit (checked out beside this one for the run, sharing
// node_modules), alternating its runs with this one's so both meet the same
// machine (its speed drifts over minutes), and prints their medians and the
// speed-up: how a change is measured. Bad input: one line, exit 2.
// Figures only: nothing here asserts a speed (tests check correctness).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { checkParallel } from '../checker/index.ts';
import { FAULT_NAMES } from '../model/index.ts';

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
}

function parseConfig(config: string): Config {
  const [design, users, lag, ...flags] = config.split(':');
  const good =
    design &&
    /^\d+$/.test(users ?? '') &&
    /^\d+$/.test(lag ?? '') &&
    flags.every((f) => f === 'nosym' || f === 'live' || f === 'faults' || /^[wt][1-9]\d*$/.test(f));
  if (!good) throw new Error(`bad configuration '${config}': expected design:users:lag[:nosym][:wN][:tN][:live][:faults]`);
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
  };
}

/** In the child: one run, its figures as one JSON line. */
async function measure(config: string): Promise<Figures> {
  const { design, users, lag, symmetry, workers, tabs, liveness, faults } = parseConfig(config);
  const source = {
    module: new URL('../model/index.ts', import.meta.url).href,
    export: 'presenceModel',
    args: [design, { users, lag, tabs }, { symmetry, liveness, faults: faults ? FAULT_NAMES : [] }],
  };
  const result = await checkParallel(source, { workers });
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

/** One child process measuring `config` with the bench script `script` (this one, or another commit's). */
function runChild(script: string, config: string): Figures | string {
  const child = spawnSync(process.execPath, ['--max-old-space-size=16384', '--import', 'tsx', script, '--child', config], {
    encoding: 'utf8',
    maxBuffer: 1 << 20,
    cwd: dirname(dirname(script)),
  });
  if (child.status !== 0) return (child.stderr || '').trim().split('\n').at(-1) ?? `exit ${child.status}`;
  return JSON.parse(child.stdout.trim().split('\n').at(-1)!) as Figures;
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

const args = process.argv.slice(2);
if (args[0] === '--child') {
  process.stdout.write(`${JSON.stringify(await measure(args[1]))}\n`);
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
  const configs = args.filter(
    (a, i) => a !== '--json' && !['--against', '--runs'].includes(a) && !['--against', '--runs'].includes(args[i - 1]),
  );
  for (const c of configs) if (c.startsWith('--')) fail(`unknown option ${c} (options: --json, --runs N, --against REV)`);
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
