// npm run bench [-- CONFIG ...] [-- --json]
// Measures the checker on the presence model: per configuration (design ×
// users × tabs × lag × symmetry × workers × liveness × faults), distinct
// states, transitions, time, states/s, transitions/s, peak RSS, bytes per
// state (visited set, checker, whole process) and, with liveness, the stored
// graph's edges and bytes per edge; then the symmetry reduction factor of each
// configuration also run without symmetry. Each configuration runs in a child
// process of its own, so peak RSS is that run's alone. A CONFIG is
// design:users:lag, then optionally ":nosym" (symmetry off), ":wN" (N worker
// threads; default 1), ":tN" (N tabs per user; default 2), ":live" (the
// liveness properties too; default safety only) and ":faults" (every fault in
// force), e.g. `fixed:2:0:nosym:w2`, `fixed:3:0:t1` or `fixed:2:0:live:faults`.
// Figures only: nothing here asserts a speed (tests check correctness).
import { spawnSync } from 'node:child_process';
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

const args = process.argv.slice(2);
if (args[0] === '--child') {
  process.stdout.write(`${JSON.stringify(await measure(args[1]))}\n`);
} else {
  const json = args.includes('--json');
  const configs = args.filter((a) => a !== '--json');
  const chosen = configs.length > 0 ? configs : DEFAULT_CONFIGS;
  try {
    chosen.forEach(parseConfig);
  } catch (e) {
    process.stderr.write(`bench: ${e instanceof Error ? e.message : String(e)}\n`);
    process.exit(2);
  }
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
