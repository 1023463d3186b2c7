// presence-check beside SPIN, on the design `fixed`: the figures of
// `npm run bench -- --spin` (scripts/bench.ts runs the searches), how they
// are summed up (medians of alternated runs), printed on a terminal and
// written as the generated table of docs/checker.md (`--write` saves them
// to docs/results/bench.json; scripts/docs/blocks.ts renders the block
// `bench-table` from that file, so no figure is typed by hand).
//
// The two searches are not over the same state space: SPIN runs
// spin/fixed.pml, a Promela model of fixed written apart from model/, which
// abstracts some things differently (spin/README.md) and has no symmetry
// reduction. What is compared is the rate: distinct states a second on one
// thread, each tool on its own model of the same design at the same bounds.

/** One search's figures. */
export interface ToolFigures {
  readonly verdict: string;
  readonly states: number;
  readonly transitions: number;
  /** the search's own time (presence-check: its elapsed search; SPIN: pan's elapsed time), seconds */
  readonly seconds: number;
  readonly statesPerSecond: number;
  readonly transitionsPerSecond: number;
  /** presence-check: visited set bytes / states; SPIN: its total actual memory / states */
  readonly bytesPerState: number;
  /** the process's peak resident memory (null: not measured, /usr/bin/time missing) */
  readonly peakRssMb: number | null;
}

/** A configuration of the comparison: fixed:USERS:TABS:LAG, and `:faults` for every fault that can touch fixed. */
export interface SpinConfig {
  readonly design: 'fixed';
  readonly users: number;
  readonly tabs: number;
  readonly lag: number;
  readonly faults: boolean;
}

export interface ComparedConfig {
  readonly config: string;
  /** the faults in force (presence-check's names) */
  readonly faults: readonly string[];
  /** presence-check, one thread; SPIN; presence-check, two threads (one entry a run, in run order) */
  readonly one: readonly ToolFigures[];
  readonly spin: readonly ToolFigures[];
  readonly two: readonly ToolFigures[];
  /**
   * presence-check's one-thread search over successors recorded beforehand
   * (bench/engine-alone.ts): the model's code taken out. Its transitions are
   * the targets it looked up (self-loops are not); it has no verdict and no
   * peak RSS of its own (its process also held the recording).
   */
  readonly engine: readonly ToolFigures[];
  /** SPIN's hash table slots (2^bits), sized by a first run that is not counted */
  readonly spinHashBits: number;
  readonly spinVectorBytes: number;
}

/** Where and when, as scripts/docs/results.ts's Provenance, with both tools' versions. */
export interface BenchProvenance {
  readonly date: string;
  readonly commit: string;
  readonly node: string;
  readonly cores: number;
  readonly cpu: string;
  readonly memoryGiB: number;
  /** the 1-, 5- and 15-minute load averages when the bench started, and the 1-minute one when it ended */
  readonly loadAverage: { readonly start: readonly [number, number, number]; readonly end: number };
  readonly spin: string;
  readonly gcc: string;
}

export interface SavedBench {
  readonly format: 'presence-check/bench-spin';
  readonly command: string;
  readonly runs: number;
  readonly ran: BenchProvenance;
  readonly configs: readonly ComparedConfig[];
}

export const BENCH_RESULT = 'docs/results/bench.json';

/** The configurations `npm run bench -- --spin` measures when given none. */
export const DEFAULT_SPIN_CONFIGS = ['fixed:2:2:1', 'fixed:3:1:1', 'fixed:2:1:1:faults'];

/** Reads `fixed:2:1:1` or `fixed:2:1:1:faults`; throws a one-line Error on anything else. */
export function parseSpinConfig(text: string): SpinConfig {
  const parts = text.split(':');
  const [design, users, tabs, lag, ...flags] = parts;
  const nums = [users, tabs, lag];
  if (parts.length < 4 || nums.some((n) => !/^\d+$/.test(n ?? '')) || flags.some((f) => f !== 'faults') || flags.length > 1)
    throw new Error(`bad SPIN configuration '${text}': expected design:users:tabs:lag[:faults], e.g. fixed:2:1:1`);
  if (design !== 'fixed') throw new Error(`bad SPIN configuration '${text}': only the design fixed has a Promela model (spin/fixed.pml)`);
  const [u, t, l] = nums.map(Number);
  if (u < 1 || t < 1 || t > 3 || u * t > 9 || l > 7)
    throw new Error(`bad SPIN configuration '${text}': spin/fixed.pml takes 1-3 tabs, at most 9 tab slots, lag 0-7`);
  return { design: 'fixed', users: u, tabs: t, lag: l, faults: flags.includes('faults') };
}

/** The presence-check bench configuration (design:users:lag:tN...) of a SPIN configuration, on `workers` threads. */
export function presenceConfig(c: SpinConfig, workers: number): string {
  return `${c.design}:${c.users}:${c.lag}:t${c.tabs}${workers > 1 ? `:w${workers}` : ''}${c.faults ? ':faults' : ''}`;
}

export function median(xs: readonly number[]): number {
  const sorted = [...xs].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** The median of one figure over a tool's runs (null when a run did not measure it). */
function med(runs: readonly ToolFigures[], key: keyof ToolFigures): number | null {
  const xs = runs.map((r) => r[key]);
  return xs.some((x) => typeof x !== 'number') ? null : median(xs as number[]);
}

/** presence-check's distinct states/s on one thread over SPIN's: the ratio of the medians, and its range run by run. */
export function ratioToSpin(c: ComparedConfig): { median: number; low: number; high: number } {
  const per = c.one.map((r, i) => r.statesPerSecond / c.spin[Math.min(i, c.spin.length - 1)].statesPerSecond);
  return { median: med(c.one, 'statesPerSecond')! / med(c.spin, 'statesPerSecond')!, low: Math.min(...per), high: Math.max(...per) };
}

/** The engine alone's distinct states/s over SPIN's (medians): how far any speed-up of the model's code could take the ratio. */
export function ceilingToSpin(c: ComparedConfig): number {
  return med(c.engine, 'statesPerSecond')! / med(c.spin, 'statesPerSecond')!;
}

/** Two threads over one: the ratio of presence-check's median search times. */
export function speedUp(c: ComparedConfig): number {
  return med(c.one, 'seconds')! / med(c.two, 'seconds')!;
}

const int = (x: number) => Math.round(x).toLocaleString('en-US');
const times = (x: number) => `${x.toFixed(2)}×`;

/** The rows of one configuration: each tool's medians. */
function rows(c: ComparedConfig, spinName: string): string[][] {
  const row = (tool: string, runs: readonly ToolFigures[]) => {
    const rss = med(runs, 'peakRssMb');
    return [
      c.config,
      tool,
      runs[0].verdict,
      int(runs[0].states),
      int(runs[0].transitions),
      med(runs, 'seconds')!.toFixed(2),
      int(med(runs, 'statesPerSecond')!),
      int(med(runs, 'transitionsPerSecond')!),
      String(Math.round(med(runs, 'bytesPerState')!)),
      rss === null ? '—' : int(rss),
    ];
  };
  return [
    row('presence-check, 1 thread', c.one),
    row('presence-check, 2 threads', c.two),
    row('presence-check, engine alone', c.engine),
    row(spinName, c.spin),
  ];
}

const HEAD = [
  'configuration',
  'search',
  'verdict',
  'distinct states',
  'transitions',
  'time s',
  'states/s',
  'transitions/s',
  'B/state',
  'peak RSS MB',
];

/** The comparison as a terminal table, then each configuration's ratio and speed-up. */
export function comparisonText(configs: readonly ComparedConfig[], spinName: string): string {
  const cells = configs.flatMap((c) => rows(c, spinName));
  const widths = HEAD.map((h, i) => Math.max(h.length, ...cells.map((r) => r[i].length)));
  const line = (r: readonly string[]) => r.map((x, i) => (i < 3 ? x.padEnd(widths[i]) : x.padStart(widths[i]))).join('  ');
  const notes = configs.map((c) => {
    const r = ratioToSpin(c);
    return (
      `${c.config}: presence-check / SPIN, distinct states/s on one thread: ${times(r.median)} (runs ${times(r.low)}-${times(r.high)}); ` +
      `the engine alone / SPIN: ${times(ceilingToSpin(c))}; ` +
      `two threads over one: ${times(speedUp(c))}; SPIN -w${c.spinHashBits}, state vector ${c.spinVectorBytes} B`
    );
  });
  return [line(HEAD), ...cells.map(line), '', ...notes].join('\n');
}

/** The command that measures the saved figures again: the same configurations and runs, --write included. */
export function benchCommand(configs: readonly string[], runs: number): string {
  return `npm run bench -- --spin --write ${configs.join(' ')}${runs > 1 ? ` --runs ${runs}` : ''}`;
}

/** A load average above this at the start (1 minute) means other work shared the machine. */
export const QUIET_LOAD = 1;

/** The block `bench-table` of docs/checker.md, from the saved figures. */
export function benchMarkdown(saved: SavedBench): string {
  const spinName = saved.ran.spin.replace(/^Spin Version (\S+).*$/, 'SPIN $1');
  const table = [
    `| ${HEAD.join(' | ')} |`,
    `|${HEAD.map((_, i) => (i < 3 ? '---' : '---:')).join('|')}|`,
    ...saved.configs.flatMap((c) => rows(c, spinName)).map((r) => `| ${r.map((x, i) => (i === 0 ? `\`${x}\`` : x)).join(' | ')} |`),
  ].join('\n');
  const ratios = saved.configs.map((c) => {
    const r = ratioToSpin(c);
    const range = c.one.length > 1 ? ` (run by run ${times(r.low)} to ${times(r.high)})` : '';
    return (
      `- \`${c.config}\`${c.faults.length > 0 ? ` (faults in force: ${c.faults.join(', ')})` : ''}: presence-check's distinct states/s on one ` +
      `thread are **${times(r.median)}** SPIN's${range}; the engine alone's are ${times(ceilingToSpin(c))} SPIN's; two threads run ${times(speedUp(c))} ` +
      `as fast as one; SPIN's hash table 2^${c.spinHashBits} slots, its state vector ${c.spinVectorBytes} bytes.`
    );
  });
  const load = saved.ran.loadAverage;
  const each = saved.runs === 1 ? 'one run of each search' : `the medians of ${saved.runs} runs of each search`;
  const machine =
    load.start[0] > QUIET_LOAD
      ? `These figures come from **one run of the bench on a machine shared with other work** (load average ${load.start.join(', ')} ` +
        `over 1, 5 and 15 minutes at the start, ${load.end} at the end): a quiet machine's rates are higher, and its ratios less noisy.`
      : `The machine was quiet: load average ${load.start.join(', ')} over 1, 5 and 15 minutes at the start, ${load.end} at the end.`;
  return [
    table,
    '',
    "B/state: the bytes of presence-check's visited set, and of SPIN's whole memory, over the distinct states. " +
      'Peak RSS: the whole process (presence-check: its Node process, worker threads included; SPIN: `pan`).',
    '',
    "*Engine alone*: presence-check's one-thread search with the model's code taken out. A first pass, not timed, records each " +
      "state's successors; the timed pass does only the search's own work over them (unpack each state and each successor, encode, " +
      'fingerprint, look up the visited set, queue the new ones): no guards, effects or property checks. Its transitions are the ' +
      "successors it looked up (self-loops are skipped, as by the search). Its rate is a ceiling: no speed-up of the model's code " +
      'alone can take the one-thread search past it (bench/engine-alone.ts).',
    '',
    ...ratios,
    '',
    `Measured ${saved.ran.date} at commit ${saved.ran.commit}, ${each}, the four searches alternated, ` +
      `on ${saved.ran.cores} cores (${saved.ran.cpu}) with ${saved.ran.memoryGiB} GiB: Node ${saved.ran.node}, ${saved.ran.spin}, ${saved.ran.gcc}. ` +
      `${machine} To measure again and rewrite this table: \`${saved.command}\`, then \`npm run docs\`.`,
  ].join('\n');
}
