// npm run bench [-- CONFIG ...] [-- --json]
// Measures the checker on the presence model: per configuration (design ×
// users × lag × symmetry), distinct states, transitions, time, states/s,
// peak RSS and bytes per state. Each configuration runs in a child process of
// its own, so peak RSS is that run's alone. A CONFIG is design:users:lag, with
// ":nosym" to switch symmetry off, e.g. `fixed:2:0:nosym`.
// Figures only: nothing here asserts a speed (tests check correctness).
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { check } from '../checker/index.ts';
import { presenceModel } from '../model/index.ts';

const DEFAULT_CONFIGS = [
  'current:2:1', 'current:2:1:nosym', 'pending-joins:2:1', 'shipped:2:0',
  'fixed:1:2', 'fixed:2:0', 'fixed:2:0:nosym',
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
}

function parseConfig(config: string): { design: string; users: number; lag: number; symmetry: boolean } {
  const [design, users, lag, flag] = config.split(':');
  if (!design || !/^\d+$/.test(users ?? '') || !/^\d+$/.test(lag ?? '') || (flag !== undefined && flag !== 'nosym')) {
    throw new Error(`bad configuration '${config}': expected design:users:lag[:nosym]`);
  }
  return { design, users: Number(users), lag: Number(lag), symmetry: flag !== 'nosym' };
}

/** In the child: one run, its figures as one JSON line. */
function measure(config: string): Figures {
  const { design, users, lag, symmetry } = parseConfig(config);
  const result = check(presenceModel(design, { users, lag }, { symmetry }));
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
  };
}

function table(rows: readonly Figures[]): string {
  const head = ['configuration', 'verdict', 'states', 'transitions', 'time s', 'states/s', 'peak RSS MB',
    'visited B/state', 'RSS B/state', 'peak frontier'];
  const cells = rows.map((r) => [r.config, r.verdict, r.states.toLocaleString('en-US'), r.transitions.toLocaleString('en-US'),
    r.seconds.toFixed(1), r.statesPerSecond.toLocaleString('en-US'), String(r.peakRssMb), String(r.visitedBytesPerState),
    String(r.rssBytesPerState), r.peakFrontier.toLocaleString('en-US')]);
  const widths = head.map((h, i) => Math.max(h.length, ...cells.map((c) => c[i].length)));
  const line = (c: readonly string[]) => c.map((x, i) => (i < 2 ? x.padEnd(widths[i]) : x.padStart(widths[i]))).join('  ');
  return [line(head), ...cells.map(line)].join('\n');
}

const args = process.argv.slice(2);
if (args[0] === '--child') {
  process.stdout.write(`${JSON.stringify(measure(args[1]))}\n`);
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
      encoding: 'utf8', maxBuffer: 1 << 20,
    });
    if (child.status !== 0) {
      process.stderr.write(`bench: ${config} failed: ${(child.stderr || '').trim().split('\n').at(-1)}\n`);
      process.exitCode = 1;
      continue;
    }
    rows.push(JSON.parse(child.stdout.trim().split('\n').at(-1)!) as Figures);
  }
  process.stdout.write(json ? `${JSON.stringify(rows)}\n` : `${table(rows)}\n`);
}
