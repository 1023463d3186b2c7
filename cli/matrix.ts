// The verdict matrix: every design checked over a grid of users × presence
// lag, plus, per design, sweeps of the timing bounds its behaviour depends on
// (model/designs.ts timingBoundsOf, and the bounds of its timing assumption).
// Pure parts: the cell list, the table in three formats, reading a table back
// and comparing two (time aside). Then runMatrix, which runs cells
// concurrently on a Runner, and matrixCommand, the command's I/O.
//
// Determinism: every cell runs on one thread with symmetry on and a
// --max-states cap, so its verdict, counts and depth are the same every run
// (the checker stops at the same state); only the time column varies.
import { readFileSync } from 'node:fs';
import type { Limit, Verdict } from '../checker/index.ts';
import { BOUND_SPECS, DEFAULT_BOUNDS, boundsError, designByName, presenceModel, type Bounds, type Design } from '../model/index.ts';
import { timingAssumptionOf, timingBoundsOf } from '../model/designs.ts';
import { EXIT } from './exit.ts';
import { writeFileAtomic } from './files.ts';
import type { IO, MainDeps } from './main.ts';
import type { MatrixArgs, MatrixFormat } from './matrix-args.ts';
import { count, errorLine, seconds } from './report.ts';
import { inProcessRunner, type Job, type RunLimits, type Runner } from './run.ts';
import { TerminalBar } from './progress.ts';

// ------------------------------------------------------------------ cells

export interface Cell {
  readonly design: string;
  /** every bound, defaults filled in */
  readonly bounds: Bounds;
  /** the bound this cell varies from its design's sweep centre; null for a grid cell or the centre */
  readonly varies: keyof Bounds | null;
}

/** Where a design's sweeps are centred (other bounds default) and the values tried beside the centre's. */
export interface SweepPlan {
  readonly centre: Partial<Bounds>;
  readonly values: Partial<Record<keyof Bounds, readonly number[]>>;
}

/** Values tried for each bound a sweep varies, beside the default (lag: the grid's range). */
const SWEEP_VALUES: Readonly<Partial<Record<keyof Bounds, readonly number[]>>> = {
  lag: [0, 2],
  handshake: [0, 4],
  pollDelay: [1, 5],
  ttl: [1, 12],
  leftPollDelay: [0, 10],
  grace: [0, 6],
};

/**
 * fixed at the default bounds (2 users × lag 1) is 10.9M states. Its sweeps
 * are centred instead on a small two-user cell where its assumption, ttl >
 * handshake + lag, holds by one tick (2 > 1 + 0), so that one tick more of
 * handshake or lag, or one less of TTL, crosses it; each such cell finishes
 * (0.5M states or fewer), so the flip is visible under the default cap.
 */
const SWEEP_OVERRIDES: Readonly<Record<string, SweepPlan>> = {
  fixed: {
    centre: { users: 2, lag: 0, handshake: 1, ttl: 2 },
    // poll delays 0-1 (not 5: over 2M states here): the TTL, not the polls, carries fixed
    values: { handshake: [0, 2], pollDelay: [0, 1], ttl: [1, 3], lag: [1] },
  },
};

/** The bounds a design's sweeps vary: its timing bounds, then any other bound its timing assumption names. */
export function sweptBoundsOf(design: Design): readonly (keyof Bounds)[] {
  const timing: readonly (keyof Bounds)[] = timingBoundsOf(design);
  const assumed = timingAssumptionOf(design)?.bounds ?? [];
  return [...timing, ...assumed.filter((b) => !timing.includes(b))];
}

export function sweepPlanOf(design: Design): SweepPlan {
  const override = SWEEP_OVERRIDES[design.name];
  const values: Partial<Record<keyof Bounds, readonly number[]>> = {};
  for (const b of sweptBoundsOf(design)) values[b] = override?.values[b] ?? SWEEP_VALUES[b] ?? [];
  return { centre: override?.centre ?? {}, values };
}

/** What the matrix covers. */
export interface MatrixPlan {
  readonly designs: readonly string[];
  readonly users: readonly number[];
  readonly lag: readonly number[];
  readonly sweeps: boolean;
}

export const boundsKey = (b: Bounds) => BOUND_SPECS.map((s) => b[s.name]).join(',');

/**
 * The cells, in a fixed order: design by design (in the order given); for
 * each, the grid (users ascending, then lag), then its sweep centre and each
 * swept bound's values ascending. A cell already listed is not repeated.
 */
export function matrixCells(plan: MatrixPlan): Cell[] {
  const cells: Cell[] = [];
  for (const name of plan.designs) {
    const design = designByName(name);
    if (!design) throw new RangeError(`unknown design '${name}'`);
    const seen = new Set<string>();
    const add = (bounds: Bounds, varies: keyof Bounds | null) => {
      const problem = boundsError(bounds);
      if (problem !== null) throw new RangeError(`${name}: ${problem}`);
      const key = boundsKey(bounds);
      if (seen.has(key)) return;
      seen.add(key);
      cells.push({ design: name, bounds, varies });
    };
    for (const users of plan.users) for (const lag of plan.lag) add({ ...DEFAULT_BOUNDS, users, lag }, null);
    if (!plan.sweeps) continue;
    const sweep = sweepPlanOf(design);
    const centre: Bounds = { ...DEFAULT_BOUNDS, ...sweep.centre };
    add(centre, null);
    for (const [bound, values] of Object.entries(sweep.values) as [keyof Bounds, readonly number[]][]) {
      for (const v of [...values].sort((a, b) => a - b)) add({ ...centre, [bound]: v }, bound);
    }
  }
  return cells;
}

// --------------------------------------------------------------- outcomes

/** One checked cell: what the JSON document holds, and what the table rows are made from. */
export interface CellOutcome {
  readonly design: string;
  readonly bounds: Bounds;
  readonly varies: keyof Bounds | null;
  /** the design's timing assumption and whether this cell's bounds satisfy it */
  readonly assumption: { readonly text: string; readonly holds: boolean } | null;
  readonly verdict: Verdict;
  readonly property: string | null;
  /** what stopped an incomplete cell */
  readonly limit: Limit | null;
  readonly maxStates: number;
  /** steps of the shortest trace, for a violation */
  readonly traceLength: number | null;
  readonly states: number;
  readonly transitions: number;
  readonly depth: number;
  readonly elapsedMs: number;
}

export interface MatrixResult {
  readonly maxStates: number;
  /** the cells checked (an interrupted one included, as incomplete), in cell order */
  readonly cells: readonly CellOutcome[];
  /** the cells not started (Ctrl-C) */
  readonly notRun: readonly Cell[];
  readonly interrupted: boolean;
  readonly jobs: number;
  readonly elapsedMs: number;
}

export function assumptionOf(cell: Cell): CellOutcome['assumption'] {
  const a = timingAssumptionOf(designByName(cell.design)!);
  return a === null ? null : { text: a.text, holds: a.holds(cell.bounds) };
}

// ------------------------------------------------------------------ table

export const COLUMNS = ['design', 'bounds', 'timing assumption', 'verdict', 'trace', 'states', 'depth', 'time'] as const;
/** A table row: one string per column. */
export type MatrixRow = readonly string[];
const TIME = COLUMNS.indexOf('time');

/** users and lag, every bound the design's assumption names, and any other bound off its default. */
export function boundsText(design: string, bounds: Bounds): string {
  const named = timingAssumptionOf(designByName(design)!)?.bounds ?? [];
  return BOUND_SPECS
    .filter((s) => s.name === 'users' || s.name === 'lag' || named.includes(s.name) || bounds[s.name] !== DEFAULT_BOUNDS[s.name])
    .map((s) => `${s.flag}=${bounds[s.name]}`)
    .join(' ');
}

function verdictText(o: CellOutcome): string {
  switch (o.verdict) {
    case 'holds': return 'holds';
    case 'vacuous': return 'vacuous';
    case 'violated': return `violated: ${o.property ?? '?'}`;
    case 'incomplete': {
      const upTo = `no violation up to depth ${o.depth}`;
      switch (o.limit) {
        case 'max-states': return `incomplete: ${upTo} (${count(o.maxStates)}-state cap)`;
        case 'memory': return `incomplete: ${upTo} (out of memory)`;
        case 'interrupted': return `interrupted: ${upTo}`;
        default: return `incomplete: ${upTo} (${o.limit ?? 'stopped'})`;
      }
    }
  }
}

export function rowOf(o: CellOutcome): MatrixRow {
  return [
    o.design,
    boundsText(o.design, o.bounds),
    o.assumption === null ? '—' : `${o.assumption.text}: ${o.assumption.holds ? 'yes' : 'no'}`,
    verdictText(o),
    o.traceLength === null ? '—' : String(o.traceLength),
    count(o.states),
    String(o.depth),
    seconds(o.elapsedMs),
  ];
}

/** The row without its time: what must be the same every run. */
export const withoutTime = (row: MatrixRow): MatrixRow => row.filter((_, i) => i !== TIME);

export function summaryLine(r: MatrixResult): string {
  const tally = new Map<string, number>();
  for (const o of r.cells) {
    const key = o.verdict === 'incomplete' && o.limit === 'interrupted' ? 'interrupted' : o.verdict;
    tally.set(key, (tally.get(key) ?? 0) + 1);
  }
  const parts = ['holds', 'violated', 'vacuous', 'incomplete', 'interrupted'].filter((k) => tally.has(k)).map((k) => `${tally.get(k)} ${k}`);
  const notRun = r.notRun.length > 0 ? `; ${r.notRun.length} not run (interrupted)` : '';
  return `${r.cells.length} ${r.cells.length === 1 ? 'cell' : 'cells'}: ${parts.join(', ') || 'none'}${notRun}; `
    + `at most ${count(r.maxStates)} states a cell; ${seconds(r.elapsedMs)} on ${r.jobs} ${r.jobs === 1 ? 'job' : 'jobs'}`;
}

const notRunLine = (cells: readonly Cell[]) =>
  `not run: ${cells.map((c) => `${c.design} ${boundsText(c.design, c.bounds)}`).join('; ')}`;

export function formatMarkdown(r: MatrixResult): string {
  const line = (cells: readonly string[]) => `| ${cells.join(' | ')} |`;
  const lines = [line(COLUMNS), line(COLUMNS.map(() => '---')), ...r.cells.map((o) => line(rowOf(o))), '', summaryLine(r)];
  if (r.notRun.length > 0) lines.push('', notRunLine(r.notRun));
  return `${lines.join('\n')}\n`;
}

export function formatText(r: MatrixResult): string {
  const rows = [COLUMNS as readonly string[], ...r.cells.map(rowOf)];
  const widths = COLUMNS.map((_, i) => Math.max(...rows.map((row) => row[i].length)));
  // numbers right-aligned
  const right = new Set(['trace', 'states', 'depth', 'time'].map((c) => COLUMNS.indexOf(c as (typeof COLUMNS)[number])));
  const line = (row: readonly string[]) =>
    row.map((c, i) => (right.has(i) ? c.padStart(widths[i]) : c.padEnd(widths[i]))).join('  ').trimEnd();
  const lines = [line(rows[0]), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.slice(1).map(line), '', summaryLine(r)];
  if (r.notRun.length > 0) lines.push(notRunLine(r.notRun));
  return `${lines.join('\n')}\n`;
}

/** The JSON document: every cell's figures (each cell's row is computed from them), and the run's. */
export function matrixDocument(r: MatrixResult) {
  return {
    command: 'matrix',
    complete: !r.interrupted,
    maxStates: r.maxStates,
    jobs: r.jobs,
    elapsedMs: r.elapsedMs,
    cells: r.cells,
    notRun: r.notRun,
  };
}

export function formatMatrix(r: MatrixResult, format: MatrixFormat): string {
  switch (format) {
    case 'markdown': return formatMarkdown(r);
    case 'text': return formatText(r);
    case 'json': return `${JSON.stringify(matrixDocument(r), null, 2)}\n`;
  }
}

// ------------------------------------------------------- reading it back

/**
 * The rows of the matrix table in a Markdown text (a README holding it, or
 * the command's own Markdown), or in its JSON document; null when there is
 * none. The table is found by its header line.
 */
export function readMatrixRows(text: string): MatrixRow[] | null {
  const trimmed = text.trimStart();
  if (trimmed.startsWith('{')) {
    let doc: unknown;
    try {
      doc = JSON.parse(trimmed);
    } catch {
      return null;
    }
    const cells = (doc as { cells?: unknown } | null)?.cells;
    if (!Array.isArray(cells)) return null;
    const valid = cells.every((c: unknown) =>
      typeof c === 'object' && c !== null && typeof (c as CellOutcome).design === 'string' && designByName((c as CellOutcome).design)
      && typeof (c as CellOutcome).bounds === 'object' && typeof (c as CellOutcome).verdict === 'string');
    return valid ? (cells as CellOutcome[]).map(rowOf) : null;
  }
  const lines = text.split('\n').map((l) => l.trim());
  const header = `| ${COLUMNS.join(' | ')} |`;
  const start = lines.indexOf(header);
  if (start < 0) return null;
  const rows: MatrixRow[] = [];
  for (const l of lines.slice(start + 2)) {
    if (!l.startsWith('|')) break;
    rows.push(l.replace(/^\|\s*/, '').replace(/\s*\|$/, '').split(/\s+\|\s+/));
  }
  return rows;
}

const rowKey = (row: MatrixRow) => `${row[0]} ${row[1]}`;

/** How `actual` differs from `expected`, time aside: one line per cell that differs, is missing or is extra. */
export function matrixDrift(expected: readonly MatrixRow[], actual: readonly MatrixRow[]): string[] {
  const want = new Map(expected.map((r) => [rowKey(r), r]));
  const got = new Map(actual.map((r) => [rowKey(r), r]));
  const drift: string[] = [];
  for (const [key, row] of got) {
    const old = want.get(key);
    if (!old) {
      drift.push(`${key}: not in the expected matrix (now ${row[3]})`);
      continue;
    }
    const changes = COLUMNS.map((c, i) => [c, old[i] ?? '', row[i]] as const)
      .filter(([c, a, b], i) => i > 1 && c !== 'time' && a !== b)
      .map(([c, a, b]) => `${c} ${a} → ${b}`);
    if (changes.length > 0) drift.push(`${key}: ${changes.join(', ')}`);
  }
  for (const key of want.keys()) if (!got.has(key)) drift.push(`${key}: expected, but not in this matrix`);
  return drift;
}

// ---------------------------------------------------------------- running

/** What the live progress line shows. */
export interface MatrixProgress {
  readonly done: number;
  readonly total: number;
  readonly running: readonly { readonly cell: Cell; readonly states: number; readonly depth: number }[];
}

export interface MatrixRunOptions {
  readonly runner: Runner;
  /** cells run at once (a worker runner runs each in its own thread) */
  readonly jobs: number;
  readonly maxStates: number;
  /** once aborted no further cell starts (the caller interrupts the runner, which stops the running ones) */
  readonly signal?: AbortSignal;
  readonly onProgress?: (p: MatrixProgress) => void;
}

export function jobOf(cell: Cell): Job {
  return {
    spec: { kind: 'presence', design: cell.design, bounds: cell.bounds, symmetry: true },
    label: cell.design,
    model: presenceModel(cell.design, cell.bounds, { symmetry: true }) as unknown as Job['model'],
  };
}

/** Runs the cells, `jobs` at a time; the outcomes come back in cell order, whatever order they finish in. */
export async function runMatrix(cells: readonly Cell[], options: MatrixRunOptions): Promise<MatrixResult> {
  const started = Date.now();
  // one thread a cell: the parallelism is across cells, and one thread keeps each cell's cap deterministic
  const limits: RunLimits = { exact: false, workers: 1, maxStates: options.maxStates };
  const outcomes: (CellOutcome | undefined)[] = new Array(cells.length);
  const running = new Map<number, { cell: Cell; states: number; depth: number }>();
  let next = 0;
  let done = 0;
  let failure: unknown = null;
  const report = () => options.onProgress?.({ done, total: cells.length, running: [...running.values()] });

  const lane = async () => {
    while (next < cells.length && failure === null && options.signal?.aborted !== true) {
      const index = next++;
      const cell = cells[index];
      running.set(index, { cell, states: 0, depth: 0 });
      report();
      try {
        const r = await options.runner.run(jobOf(cell), limits, (p) => {
          running.set(index, { cell, states: p.states, depth: p.depth });
          report();
        });
        outcomes[index] = {
          design: cell.design,
          bounds: cell.bounds,
          varies: cell.varies,
          assumption: assumptionOf(cell),
          verdict: r.verdict,
          property: r.property,
          limit: r.limit,
          maxStates: options.maxStates,
          traceLength: r.verdict === 'violated' ? Math.max(0, r.trace.length - 1) : null,
          states: r.states,
          transitions: r.transitions,
          depth: r.depth,
          elapsedMs: Math.round(r.elapsedMs),
        };
      } catch (e) {
        // stop the other cells too: the command reports the error alone
        if (failure === null) {
          failure = e;
          options.runner.interrupt();
        }
      } finally {
        running.delete(index);
        done++;
        report();
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(options.jobs, cells.length)) }, lane));
  if (failure !== null) throw failure;

  const finished = outcomes.filter((o): o is CellOutcome => o !== undefined);
  return {
    maxStates: options.maxStates,
    cells: finished,
    notRun: cells.filter((_, i) => outcomes[i] === undefined),
    interrupted: options.signal?.aborted === true,
    jobs: options.jobs,
    elapsedMs: Date.now() - started,
  };
}

// ---------------------------------------------------------------- command

const cellName = (c: Cell) => `${c.design} ${boundsText(c.design, c.bounds)}`;

/** The running cells and their figures, cut to `width` (the progress bar counts the cells done). */
export function formatRunningCells(p: MatrixProgress, width: number): string {
  const text = p.running.map((r) => `${cellName(r.cell)}: ${count(r.states)} states, depth ${r.depth}`).join(' | ');
  return text.length > width ? `${text.slice(0, Math.max(0, width - 1))}…` : text;
}

/** The cells done out of all, as a bar, then the running cells (cut to the terminal's width). */
function progressBar(io: IO, enabled: boolean) {
  const bar = new TerminalBar(io.stderr, enabled, 'matrix [{bar}] {value}/{total} cells | {text}');
  const out = io.stderr as IO['stderr'] & { columns?: number };
  return {
    show(p: MatrixProgress) {
      // a terminal of unknown width (columns 0 or missing): assume 100
      const width = out.columns !== undefined && out.columns > 0 ? out.columns : 100;
      // the bar and the count take about 40 columns
      bar.show(p.done, p.total, { text: formatRunningCells(p, Math.max(20, width - 42)) });
    },
    clear: () => bar.clear(),
  };
}

/**
 * `matrix`: reads --expect first (bad input before anything runs), runs the
 * cells, prints or writes the table, and compares. Exit 0 when the matrix
 * completes (violations are results), 1 when it drifts from --expect, 130
 * on Ctrl-C (the partial table on stdout; --out is left alone), 4 on an
 * internal error.
 */
export async function matrixCommand(options: MatrixArgs, io: IO, deps: MainDeps): Promise<number> {
  let expected: MatrixRow[] | null = null;
  if (options.expect !== undefined) {
    let text: string;
    try {
      text = readFileSync(options.expect, 'utf8');
    } catch (e) {
      io.stderr.write(`${errorLine(`--expect ${options.expect}: cannot read it: ${e instanceof Error ? e.message : String(e)}`)}\n`);
      return EXIT.badInput;
    }
    expected = readMatrixRows(text);
    if (expected === null) {
      io.stderr.write(`${errorLine(`--expect ${options.expect}: no matrix in it (a matrix JSON document, or a Markdown table headed | ${COLUMNS.join(' | ')} |)`)}\n`);
      return EXIT.badInput;
    }
  }

  const runner = deps.runner ?? inProcessRunner();
  const controller = new AbortController();
  const unsubscribe = deps.onInterrupt?.(() => {
    controller.abort();
    runner.interrupt();
  });
  const progress = progressBar(io, io.stderr.isTTY === true && options.format !== 'json');
  let result: MatrixResult;
  try {
    const cells = matrixCells(options);
    result = await runMatrix(cells, {
      runner, jobs: options.jobs, maxStates: options.maxStates, signal: controller.signal, onProgress: (p) => progress.show(p),
    });
  } catch (e) {
    progress.clear();
    const error = e instanceof Error ? e : new Error(String(e));
    const text = options.debug ? (error.stack ?? error.message) : `${error.message.split('\n')[0]} (run with --debug for the stack trace)`;
    io.stderr.write(`${errorLine(`internal error: ${text}`)}\n`);
    return EXIT.internal;
  } finally {
    progress.clear();
    unsubscribe?.();
  }

  const table = formatMatrix(result, options.format);
  if (options.out !== undefined && !result.interrupted) {
    writeFileAtomic(options.out, table);
    io.stdout.write(`${summaryLine(result)}; written to ${options.out}\n`);
  } else {
    io.stdout.write(table);
    if (options.out !== undefined) io.stderr.write(`${errorLine(`interrupted: ${options.out} left as it was`)}\n`);
  }
  if (result.interrupted) return EXIT.interrupted;

  if (expected !== null) {
    const drift = matrixDrift(expected, result.cells.map(rowOf));
    if (drift.length > 0) {
      io.stderr.write(`${errorLine(`the matrix differs from ${options.expect} in ${drift.length} ${drift.length === 1 ? 'cell' : 'cells'} (time aside):`)}\n`);
      for (const d of drift) io.stderr.write(`  ${d}\n`);
      return EXIT.failed;
    }
    io.stderr.write(`the matrix matches ${options.expect} (${result.cells.length} cells, time aside)\n`);
  }
  return EXIT.holds;
}
