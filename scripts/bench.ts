// npm run bench [-- CONFIG ...] [-- --json]
// Measures the checker on the presence model: per configuration (design ×
// users × lag × symmetry × workers), distinct states, transitions, time,
// states/s, peak RSS and bytes per state, and the symmetry reduction factor
// of each configuration also run without symmetry. Each configuration runs in
// a child process of its own, so peak RSS is that run's alone. A CONFIG is
// design:users:lag, then optionally ":nosym" (symmetry off), ":wN" (N
// worker threads; default 1) and ":tN" (N tabs per user; default 2), e.g.
// `fixed:2:0:nosym:w2` or `fixed:3:0:t1`.
// Figures only: nothing here asserts a speed (tests check correctness).
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { checkParallel } from '../checker/index.ts';

const DEFAULT_CONFIGS = [
  'current:2:1',
  'current:2:1:nosym',
  'pending-joins:2:1',
  'shipped:2:0',
  'fixed:1:2',
  'fixed:1:2:nosym',
  'fixed:2:0',
  'fixed:2:0:w2',
  'fixed:2:0:nosym:w2',
  'fixed:3:0:t1:w2',
];

interface Figures {
  readonly config: string;
  readonly verdict: string;
  readonly states: number;
  readonly transitions: number;
  readonly seconds: number;
  readonly statesPerSecond: number;
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
}

function parseConfig(config: string): Config {
  const [design, users, lag, ...flags] = config.split(':');
  const good =
    design && /^\d+$/.test(users ?? '') && /^\d+$/.test(lag ?? '') && flags.every((f) => f === 'nosym' || /^[wt][1-9]\d*$/.test(f));
  if (!good) throw new Error(`bad configuration '${config}': expected design:users:lag[:nosym][:wN][:tN]`);
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
  };
}

/** In the child: one run, its figures as one JSON line. */
async function measure(config: string): Promise<Figures> {
  const { design, users, lag, symmetry, workers, tabs } = parseConfig(config);
  const source = {
    module: new URL('../model/index.ts', import.meta.url).href,
    export: 'presenceModel',
    args: [design, { users, lag, tabs }, { symmetry }],
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
      return !x.symmetry && x.design === c.design && x.users === c.users && x.lag === c.lag && x.tabs === c.tabs && o.verdict === r.verdict;
    });
    if (plain && r.verdict === 'holds') out.push({ config: r.config, factor: Math.round((plain.states / r.states) * 100) / 100 });
  }
  return out;
}

const args = process.argv.slice(2);
if (args[0] === '--child') {
  process.stdout.write(`${JSON.stringify(await measure(args[1]))}\n`);
} else {
  const json = args.includes('--json');
  const configs = args.filter((a) => a !== '--json');
  const chosen = configs.length > 0 ? configs : DEFAULT_CONFIGS;
  chosen.forEach(parseConfig);
  const self = fileURLToPath(import.meta.url);
  const rows: Figures[] = [];
  for (const config of chosen) {
    if (!json) process.stderr.write(`${config} ...\n`);
    const child = spawnSync(process.execPath, ['--max-old-space-size=16384', '--import', 'tsx', self, '--child', config], {
      encoding: 'utf8',
      maxBuffer: 1 << 20,
    });
    if (child.status !== 0) {
      process.stderr.write(`bench: ${config} failed: ${(child.stderr || '').trim().split('\n').at(-1)}\n`);
      process.exitCode = 1;
      continue;
    }
    rows.push(JSON.parse(child.stdout.trim().split('\n').at(-1)!) as Figures);
  }
  const factors = reductions(rows);
  if (json) process.stdout.write(`${JSON.stringify({ runs: rows, symmetryReduction: factors })}\n`);
  else {
    process.stdout.write(`${table(rows)}\n`);
    if (factors.length > 0) {
      process.stdout.write(
        `\nsymmetry reduction (states without / with, complete runs): ${factors.map((f) => `${f.config} ${f.factor}×`).join(', ')}\n`,
      );
    }
  }
}
