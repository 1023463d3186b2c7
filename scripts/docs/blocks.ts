// The generated blocks of README.md and docs/*.md: between
// `<!-- docs:NAME -->` and `<!-- /docs:NAME -->` a file holds what BLOCKS
// [NAME] writes, from the code (flags, bounds, presets, faults, switches,
// exit codes, bad input run in this process) or from saved results
// (results.ts: outputs, verdicts, state counts, times, memory). The prose
// around the blocks is written by hand; a figure never is.
import { FAULTS, DESIGNS, BOUND_SPECS, SWITCH_DOCS, timingAssumptionOf, type Design } from '../../model/index.ts';
import { CHECK_FLAGS } from '../../cli/args/check.ts';
import { EXIT_CODE_DOC } from '../../cli/exit.ts';
import { main } from '../../cli/main.ts';
import { PRESETS, PRESET_NAMES, DEFAULT_PRESET, presetText } from '../../cli/presets.ts';
import { designsText } from '../../cli/commands/designs.ts';
import { count } from '../../report/text.ts';
import type { RunReport } from '../../report/types.ts';
import { commandOf, reportsOf, type SavedResult } from './results.ts';
import { simulatePage } from './simulate.ts';
import { MODEL_BLOCKS } from './model-blocks.ts';
import { BENCH_RESULT, benchCommand, benchMarkdown, DEFAULT_SPIN_CONFIGS, type SavedBench } from '../../bench/spin-comparison.ts';
import { SPIN_INSTALL } from '../../spin/run.ts';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface Context {
  readonly root: string;
  result(name: string): SavedResult;
}

type Block = (ctx: Context) => string | Promise<string>;

/** 0.4 s, 56 s, 5 min 27 s */
export function took(ms: number): string {
  if (ms < 10_000) return `${(ms / 1000).toFixed(1)} s`;
  const s = Math.round(ms / 1000);
  return s < 60 ? `${s} s` : `${Math.floor(s / 60)} min ${String(s % 60).padStart(2, '0')} s`;
}

export const gb = (bytes: number) => `${(bytes / 1e9).toFixed(1)} GB`;

/** "on a 2-core machine (2026-12-06, Node v20.20.2)", and how busy it was when other work made it so */
const where = (r: SavedResult) => {
  const load = r.ran.loadAverage;
  const busy =
    load !== undefined && Math.max(...load) > r.ran.cores * 0.75 ? `; load average ${load[0]} to ${load[1]} from other work` : '';
  return `on a ${r.ran.cores}-core machine (${r.ran.date}, Node ${r.ran.node}${busy})`;
};

/** One line for a saved check of one design: its command, verdict, states (and edges), time, peak memory and machine. */
function savedCheckLine(r: SavedResult): string {
  const [report] = reportsOf(r);
  const edges = report.edges > 0 ? ` and ${count(report.edges)} edges` : '';
  return (
    `\`${commandOf(r).replace(/ --json$/, '')}\` ${report.verdict === 'holds' ? 'holds' : `ends ${report.verdict}`}: ` +
    `${count(report.states)} states${edges}, liveness included, in ${took(r.elapsedMs)} (peak ${gb(r.peakRssBytes)}) ${where(r)}.`
  );
}

const fence = (lang: string, text: string) => `\`\`\`${lang}\n${text.replace(/\n+$/, '')}\n\`\`\``;

const table = (head: readonly string[], rows: readonly (readonly string[])[], align?: readonly string[]) =>
  [`| ${head.join(' | ')} |`, `|${(align ?? head.map(() => '---')).join('|')}|`, ...rows.map((r) => `| ${r.join(' | ')} |`)].join('\n');

const code = (s: string) => `\`${s}\``;
const cell = (s: string) => s.replace(/\|/g, '\\|');

/** A run's verdict in a table cell: ✗ property, steps / ✓ states. */
function verdictCell(r: RunReport): string {
  switch (r.verdict) {
    case 'holds':
      return `✓ holds, ${count(r.states)} states`;
    case 'violated':
      return r.loop !== null
        ? `✗ ${code(r.property ?? '?')}, lasso of ${r.trace.length - 1} steps`
        : `✗ ${code(r.property ?? '?')}, ${r.trace.length - 1} steps`;
    case 'vacuous':
      return '✗ vacuous';
    case 'incomplete':
      return `incomplete (${r.limit})`;
    case 'none-found':
      return 'none found (a simulation: proves nothing)';
  }
}

/** A command and what it printed, as a reader's terminal shows it. */
function session(r: SavedResult, text = r.stdout): string {
  return fence('', `$ ${commandOf(r)}\n${text}`);
}

/** The text report with each step's diff lines left out (the steps, the violation). */
function stepsOnly(text: string): string {
  const lines = text.split('\n');
  const start = lines.findIndex((l) => /^(shortest trace|lasso) \(/.test(l));
  const head = lines.slice(0, start).filter((l) => /^(check |VIOLATED|holds|INCOMPLETE)/.test(l));
  const steps = lines.slice(start).filter((l) => /^(shortest trace|lasso) |^ +\d+ +t=|^property |^ {2}\S/.test(l));
  return [head[0], '(faults and assumptions as in the example above)', ...head.slice(1), '', ...steps].join('\n');
}

/** What a saved check judged: "safety and liveness", or "safety only" for a --no-liveness run. */
const judged = (r: SavedResult) => (r.argv.includes('--no-liveness') ? 'safety only' : 'safety and liveness');

/** The bounds a preset sets, as flags: users=2 tabs=1 lag=0 */
const presetBounds = (name: keyof typeof PRESETS) => presetText(name);

function presetTable(): string {
  return table(
    ['preset', 'bounds', ...BOUND_SPECS.filter((b) => PRESET_NAMES.some((p) => b.name in PRESETS[p])).map((b) => `--${b.flag}`)],
    PRESET_NAMES.map((p) => [
      `${code(p)}${p === DEFAULT_PRESET ? ' (default)' : ''}`,
      presetBounds(p),
      ...BOUND_SPECS.filter((b) => PRESET_NAMES.some((q) => b.name in PRESETS[q])).map((b) =>
        String((PRESETS[p] as Record<string, number>)[b.name] ?? b.default),
      ),
    ]),
  );
}

/** Both presets' verdicts, design by design. */
function verdictTable(ctx: Context): string {
  const quick = reportsOf(ctx.result('check-quick'));
  const thorough = reportsOf(ctx.result('check-thorough'));
  const designs = DESIGNS.map((d) => d.name).filter((d) => thorough.some((r) => r.design === d));
  const rows = designs.map((d) => {
    const q = quick.find((r) => r.design === d);
    const t = thorough.find((r) => r.design === d)!;
    return [code(d), q !== undefined ? verdictCell(q) : '—', verdictCell(t)];
  });
  const what = (r: SavedResult) => (judged(r) === 'safety only' ? ', safety only' : '');
  return table(
    [
      'design',
      `quick (${presetBounds('quick')}${what(ctx.result('check-quick'))})`,
      `thorough (${presetBounds('thorough')}${what(ctx.result('check-thorough'))})`,
    ],
    rows,
  );
}

/** What each preset proves: its verdicts, how they compare, its time and memory here. */
function presetsProve(ctx: Context): string {
  const runs = { quick: ctx.result('check-quick'), thorough: ctx.result('check-thorough') } as const;
  const thorough = reportsOf(runs.thorough);
  const quick = reportsOf(runs.quick);
  const same = quick.filter((q) => {
    const t = thorough.find((r) => r.design === q.design);
    return t !== undefined && t.verdict === q.verdict && (t.verdict !== 'violated' || t.property === q.property);
  });
  const lines: string[] = [];
  for (const p of PRESET_NAMES) {
    const reports = p === 'quick' ? quick : thorough;
    const violated = reports.filter((r) => r.verdict === 'violated').map((r) => code(r.design!));
    const holds = reports.filter((r) => r.verdict === 'holds').map((r) => code(r.design!));
    lines.push(
      `- **${p}** (${presetBounds(p)}${p === DEFAULT_PRESET ? '; the default' : ''}): ` +
        `${violated.length} designs violated (${violated.join(', ')}), ${holds.length} hold (${holds.join(', ')}), ` +
        `${judged(runs[p])}, no faults; ${took(runs[p].elapsedMs)} for all ${reports.length}, ` +
        `peak ${gb(runs[p].peakRssBytes)} resident, ${where(runs[p])}.`,
    );
  }
  const differ = quick.filter((q) => !same.includes(q)).map((q) => code(q.design!));
  lines.push(
    '',
    differ.length === 0
      ? `The two presets give every design the same verdict (and each violated design the same property).`
      : judged(runs.thorough) === 'safety only' && quick.filter((q) => !same.includes(q)).every((q) => q.loop !== null)
        ? `The presets differ on ${differ.join(', ')}: violated at quick by liveness, which the thorough run does not judge (safety only); every safety verdict is the same at both.`
        : `The presets differ on ${differ.join(', ')}: the quick verdict of these is not the thorough one.`,
  );
  return lines.join('\n');
}

async function badInput(argv: readonly string[], setup?: () => void): Promise<string> {
  setup?.();
  let err = '';
  await main([...argv], { stdout: { write: () => true }, stderr: { isTTY: false, write: (s: string) => (err += s) } });
  return err.trimEnd();
}

const BAD_INPUT: readonly (readonly string[])[] = [
  ['check', '--frobnicate'],
  ['check', '--desing', 'current'],
  ['check', '--design', 'curent'],
  ['check', '--users', 'two'],
  ['check', '--users', '7'],
  ['check', '--lag', '1.5'],
  ['check', '--max-states', '0'],
  ['check', '--max-time', 'soon'],
  ['check', '--preset', 'thorow'],
  ['chek'],
  ['check', '--model', 'missing.ts'],
  ['check', '--model', 'examples/die-hard.ts', '--users', '3'],
  ['check', '--no-liveness', '--no-settling'],
  ['check', '--faults', 'lock-lots'],
  ['check', '--faults', 'presence-flap', '--flap-ticks', '0'],
  ['check', '--flaps', '2'],
  ['check', '--faults', 'refresh-fails', '--judge', 'no-cal-cut'],
  ['check', '--trace-out', 'out.md'],
  ['check', '--memory', 'lots'],
  ['check', '--spill-dir', '/tmp'],
  ['designs', 'show', 'fixd'],
];

function designRow(d: Design): string[] {
  const r = d.reservation;
  const reservation =
    r === null
      ? 'null'
      : [
          r.key,
          r.checksActive,
          r.onRefused,
          r.joinedDeletesKey ? 'deletes' : 'keeps',
          r.store,
          r.refresh ? 'refresh' : '',
          r.pollClears ? 'pollClears' : '',
          r.refuses !== undefined && r.refuses !== 'inactive' ? `refuses: ${r.refuses}` : '',
        ]
          .filter((x) => x !== '')
          .join(', ');
  const timing = timingAssumptionOf(d);
  return [
    code(d.name),
    d.processMeetings.join(', '),
    reservation,
    `${d.joinedInsertsSession} / ${d.leaveClosesSession}`,
    d.deactivation,
    `${d.getOrCreate} / ${d.ownerDeactivate}`,
    timing === null ? '—' : cell(timing.text),
  ];
}

/** A scenario file with one mistake, and the line replay prints for it. */
const BAD_SCENARIOS: readonly (readonly [string, string])[] = [
  ['an unclosed `{`', 'design: current\nsteps:\n  - getOrCreateMeeting: { user: 1 }\n  - connect: { user: 1\n'],
  ['`- conect: { user: 1 }`', 'design: current\nsteps:\n  - getOrCreateMeeting: { user: 1 }\n  - conect: { user: 1 }\n'],
  ['`- getOrCreateMeeting: { user: u3 }`', 'design: current\nsteps:\n  - getOrCreateMeeting: { user: u3 }\n'],
  ['`- connect:` then `user: 1` on the next line', 'design: current\nsteps:\n  - connect:\n    user: 1\n'],
  ['`users: 2` at the top level', 'design: current\nusers: 2\nsteps:\n  - getOrCreateMeeting: { user: 1 }\n'],
];

async function replayBadInput(): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), 'presence-docs-'));
  const rows: string[][] = [];
  try {
    for (const [what, text] of BAD_SCENARIOS) {
      const file = join(dir, 's.yaml');
      writeFileSync(file, text);
      const err = (await badInput(['replay', file])).replaceAll(`${dir}/`, '');
      rows.push([what, code(cell(err))]);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return table(['in the file', 'stderr'], rows);
}

/**
 * docs/checker.md's comparison with SPIN, from docs/results/bench.json
 * (`npm run bench -- --spin --write`); without that file, how to make it.
 */
function benchTable(ctx: Context): string {
  const path = join(ctx.root, BENCH_RESULT);
  if (!existsSync(path))
    return (
      `No figures are saved yet: \`${benchCommand(DEFAULT_SPIN_CONFIGS, 1)}\` measures them (SPIN and gcc installed: ` +
      `\`${SPIN_INSTALL}\`; a minute or two) and saves ${BENCH_RESULT}, from which \`npm run docs\` writes this table.`
    );
  const saved = JSON.parse(readFileSync(path, 'utf8')) as SavedBench;
  if (saved.format !== 'presence-check/bench-spin')
    throw new Error(`${BENCH_RESULT} is not the bench's comparison with SPIN: run \`${benchCommand(DEFAULT_SPIN_CONFIGS, 1)}\``);
  return benchMarkdown(saved);
}

export const BLOCKS: Readonly<Record<string, Block>> = {
  ...MODEL_BLOCKS,
  'bench-table': benchTable,
  'simulate-page': simulatePage,
  'cli-replay-bad-input': replayBadInput,
  'readme-presets': presetsProve,
  'readme-verdicts': verdictTable,
  'readme-verdict-example': (ctx) => {
    const r = ctx.result('check-faults-example');
    const lines = r.stdout.split('\n');
    const verdict = lines.findIndex((l) => /^(holds|VIOLATED|VACUOUS|INCOMPLETE)/.test(l));
    return session(r, [...lines.slice(0, verdict + 1), "(then each property's status, and how often each action fired)"].join('\n'));
  },
  'readme-trace-example': (ctx) => {
    const r = ctx.result('check-trace-example');
    return session(r, stepsOnly(r.stdout));
  },
  'readme-ci': (ctx) => savedCheckLine(ctx.result('ci-gate')),
  'findings-every-fault': (ctx) => savedCheckLine(ctx.result('check-every-fault')),
  'checker-every-fault': (ctx) => savedCheckLine(ctx.result('check-every-fault')),
  'readme-workflow': (ctx) => fence('yaml', readFileSync(join(ctx.root, 'examples/ci/presence.yml'), 'utf8')),
  'cli-presets': () => presetTable(),
  'cli-check-flags': () =>
    table(
      ['flag', 'what it does'],
      CHECK_FLAGS.filter((f) => !BOUND_SPECS.some((b) => b.flag === f.flag)).map((f) => [
        code(`--${f.flag}${f.value !== undefined ? ` ${f.value}` : ''}`),
        // the help says how many cores this machine has; the page is the same on every machine
        cell(f.describe.replace(/, here \d+\)/, ')')),
      ]),
    ),
  'cli-bounds': () =>
    table(
      ['flag', 'meaning', ...PRESET_NAMES, 'range'],
      BOUND_SPECS.map((b) => [
        code(`--${b.flag}`),
        cell(b.description),
        ...PRESET_NAMES.map((p) => String((PRESETS[p] as Record<string, number>)[b.name] ?? b.default)),
        `${b.min}-${b.max}`,
      ]),
      ['---', '---', ...PRESET_NAMES.map(() => '---:'), '---'],
    ),
  'cli-faults': () =>
    table(
      ['fault', 'what may happen', 'guarantee it lifts', 'designs it touches'],
      FAULTS.map((f) => {
        const touches = DESIGNS.filter((d) => f.applies(d)).map((d) => d.name);
        return [code(f.name), cell(f.summary), cell(f.guarantee), touches.length === DESIGNS.length ? 'all' : touches.join(', ') || 'none'];
      }),
    ),
  'cli-table-example': (ctx) => session(ctx.result('check-table')),
  'cli-lasso-example': (ctx) => {
    const r = ctx.result('check-lasso');
    const lines = r.stdout.split('\n');
    const verdict = lines.find((l) => l.startsWith('VIOLATED'))!;
    const start = lines.findIndex((l) => l.startsWith('lasso ('));
    const tail = lines.slice(start).filter((l) => l.trim() !== '');
    const cycle = tail.findIndex((l) => l.includes('↻ the cycle starts here'));
    return fence('', [`$ ${commandOf(r)}`, verdict, '...', tail[0], '...', ...tail.slice(Math.max(1, cycle - 5))].join('\n'));
  },
  'cli-memory-example': (ctx) => {
    const r = ctx.result('check-memory');
    const lines = r.stdout.split('\n');
    const pick = (start: string) => lines.find((l) => l.startsWith(start))!;
    return `${fence('', [`$ ${commandOf(r)}`, lines[0], '...', pick('holds'), '...', pick('memory: ')].join('\n'))}\n\nExit ${r.exitCode}, in ${took(r.elapsedMs)}, ${Math.round(r.peakRssBytes / 2 ** 20)} MiB peak RSS (the whole process).`;
  },
  'cli-exit-codes': () =>
    table(
      ['code', 'meaning'],
      EXIT_CODE_DOC.map(([c, t]) => [String(c), cell(t)]),
    ),
  'cli-bad-input': async () => {
    const rows: string[][] = [];
    for (const argv of BAD_INPUT) rows.push([code(argv.join(' ')), code(cell(await badInput(argv)))]);
    return table(['input', 'stderr'], rows);
  },
  'cli-switches': () =>
    table(
      ['switch', 'values (`SWITCH_DOCS`)'],
      Object.entries(SWITCH_DOCS).map(([k, v]) => [code(k), cell(v)]),
    ),
  'cli-designs': () =>
    table(
      [
        'design',
        'processMeetings',
        'reservation',
        'joinedInserts / leaveCloses',
        'deactivation',
        'getOrCreate / ownerDeactivate',
        'timing assumption',
      ],
      DESIGNS.map(designRow),
    ),
  'cli-designs-command': () => fence('', `$ presence-check designs\n${designsText()}`),
  'cli-design-file-example': (ctx) => {
    const r = ctx.result('design-file-example');
    const lines = r.stdout.split('\n');
    const verdict = lines.find((l) => l.startsWith('VIOLATED'))!;
    const steps = lines.filter((l) => /^ +\d+ +t=/.test(l));
    return `${fence('', [`$ ${commandOf(r)}`, verdict, '...', ...steps.slice(-5)].join('\n'))}\n\nExit ${r.exitCode}, in ${took(r.elapsedMs)}.`;
  },
  'cli-replay-examples': (ctx) => {
    const a = ctx.result('replay-doc-timeline');
    const b = ctx.result('replay-fixed-timeline');
    const first = (r: SavedResult) => r.stdout.split('\n').find((l) => /^[A-Z ]+:/.test(l)) ?? '';
    const why = b.stdout.split('\n').find((l) => / is not enabled: /.test(l)) ?? '';
    return [
      fence('', [`$ ${commandOf(a)}`, first(a), `(exit ${a.exitCode})`].join('\n')),
      '',
      fence('', [`$ ${commandOf(b)}`, first(b), '...', why, `(exit ${b.exitCode})`].join('\n')),
    ].join('\n');
  },
  'cli-matrix-example': (ctx) => {
    const r = ctx.result('matrix-example');
    return `From \`${commandOf(r)}\` (exit ${r.exitCode}):\n\n${r.stdout.trimEnd()}`;
  },
  // the same content where a second page shows it (each block name is shown once)
  'findings-ci': (ctx) => BLOCKS['readme-ci'](ctx),
  'readme-fixed-ablations': (ctx) => MODEL_BLOCKS['fixed-ablations'](ctx),
  'readme-implementation-assumptions': (ctx) => MODEL_BLOCKS['implementation-assumptions'](ctx),
  'findings-fixed-cut': (ctx) => session(ctx.result('check-fixed-cut'), stepsOnly(ctx.result('check-fixed-cut').stdout)),
  'findings-no-settling': (ctx) => session(ctx.result('check-no-settling'), stepsOnly(ctx.result('check-no-settling').stdout)),
  'findings-thorough': (ctx) => {
    const r = ctx.result('check-thorough');
    const rows = reportsOf(r).map((x) => [
      code(x.design!),
      x.verdict === 'holds' ? `holds (${judged(r)})` : x.verdict,
      x.property !== null ? code(x.property) : '—',
      x.verdict === 'violated' ? (x.loop !== null ? `lasso of ${x.trace.length - 1}` : String(x.trace.length - 1)) : '—',
      count(x.states),
      took(x.elapsedMs),
    ]);
    return (
      `\`${commandOf(r).replace(/ --json$/, '')}\` (${judged(r)}, no faults):\n\n` +
      table(['design', 'verdict', 'property', 'trace', 'states', 'time'], rows, ['---', '---', '---', '---:', '---:', '---:']) +
      `\n\nThe whole command took ${took(r.elapsedMs)} ${where(r)}, peak ${gb(r.peakRssBytes)} resident.`
    );
  },
};
