// The verdict matrix as a table: each checked cell's outcome, its row in
// three formats (text, Markdown, JSON), and reading a table back to compare
// two (time aside: the drift check). Pure.
import type { Limit, PropertyResult, Verdict } from '../../checker/index.ts';
import { timingAssumptionOf, type Bounds, type Design, type FaultName } from '../../model/index.ts';
import { count, seconds } from '../../report/text.ts';
import type { MatrixFormat } from '../args/index.ts';
import { cellBoundsText, faultsCellText, type Cell } from './plan.ts';
import { matrixPremises } from './premises.ts';

/** One checked cell: what the JSON document holds, and what the table rows are made from. */
export interface CellOutcome {
  readonly design: string;
  /** the faults in force (—: none, all, or the list) */
  readonly faults: string;
  readonly bounds: Bounds;
  readonly varies: keyof Bounds | null;
  /** the bounds as the table shows them (users, lag, what the assumption names, what is off its default) */
  readonly boundsText: string;
  /** the design's timing assumption and whether this cell's bounds satisfy it */
  readonly assumption: { readonly text: string; readonly holds: boolean } | null;
  readonly verdict: Verdict;
  readonly property: string | null;
  /** what stopped an incomplete cell */
  readonly limit: Limit | null;
  readonly maxStates: number;
  /**
   * the liveness verdicts: holds (every leadsTo property holds), violated:
   * the ones a fair cycle violates, not judged (the search stopped first, at
   * a safety violation or a limit), or off (--no-liveness)
   */
  readonly liveness: string;
  /** the faults in force, by name */
  readonly faultList: readonly FaultName[];
  /** what the cell's verdict assumes (its run's assumptions: the premises under the table) */
  readonly assumptions: readonly string[];
  /** the properties the cell's run left unjudged, because a fault in force lifts their premise, and why (absent: none) */
  readonly notJudged?: readonly string[];
  /** steps of the shortest trace (or of the lasso), for a violation */
  readonly traceLength: number | null;
  /** a lasso's loop index (where its cycle starts), else null */
  readonly loop: number | null;
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

/** The liveness column: what the run says of its leadsTo properties. */
export function livenessText(checked: boolean, properties: readonly PropertyResult[]): string {
  if (!checked) return 'off';
  const live = properties.filter((p) => p.kind === 'leadsTo');
  const violated = live.filter((p) => p.status === 'violated').map((p) => p.name);
  if (violated.length > 0) return `violated: ${violated.join(', ')}`;
  return live.every((p) => p.status === 'holds') ? 'holds' : 'not judged';
}

export function assumptionOf(design: Design, bounds: Bounds): CellOutcome['assumption'] {
  const a = timingAssumptionOf(design);
  return a === null ? null : { text: a.text, holds: a.holds(bounds) };
}

export const COLUMNS = [
  'design',
  'faults',
  'bounds',
  'timing assumption',
  'verdict',
  'liveness',
  'trace',
  'states',
  'depth',
  'time',
] as const;
/** A table row: one string per column. */
export type MatrixRow = readonly string[];
const TIME = COLUMNS.indexOf('time');

function verdictText(o: CellOutcome): string {
  switch (o.verdict) {
    case 'holds':
      return 'holds';
    case 'vacuous':
      return 'vacuous';
    case 'violated':
      return `violated: ${o.property ?? '?'}`;
    // the matrix checks exhaustively; a sampling run's verdict, should one ever be tabled
    case 'none-found':
      return 'none found (sampled)';
    case 'incomplete': {
      const upTo = `no violation up to depth ${o.depth}`;
      switch (o.limit) {
        case 'max-states':
          return `incomplete: ${upTo} (${count(o.maxStates)}-state cap)`;
        case 'memory':
          return `incomplete: ${upTo} (out of memory)`;
        case 'interrupted':
          return `interrupted: ${upTo}`;
        default:
          return `incomplete: ${upTo} (${o.limit ?? 'stopped'})`;
      }
    }
  }
}

export function rowOf(o: CellOutcome): MatrixRow {
  return [
    o.design,
    o.faults,
    o.boundsText,
    o.assumption === null ? '—' : `${o.assumption.text}: ${o.assumption.holds ? 'yes' : 'no'}`,
    verdictText(o),
    o.liveness,
    o.traceLength === null ? '—' : o.loop === null ? String(o.traceLength) : `${o.traceLength} (cycle from ${o.loop})`,
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
  const parts = ['holds', 'violated', 'vacuous', 'incomplete', 'interrupted']
    .filter((k) => tally.has(k))
    .map((k) => `${tally.get(k)} ${k}`);
  const notRun = r.notRun.length > 0 ? `; ${r.notRun.length} not run (interrupted)` : '';
  return (
    `${r.cells.length} ${r.cells.length === 1 ? 'cell' : 'cells'}: ${parts.join(', ') || 'none'}${notRun}; ` +
    `at most ${count(r.maxStates)} states a cell; ${seconds(r.elapsedMs)} on ${r.jobs} ${r.jobs === 1 ? 'job' : 'jobs'}`
  );
}

export const cellName = (c: Cell) =>
  `${c.design.name}${c.faults.length > 0 ? ` [${faultsCellText(c.faults)}]` : ''} ${cellBoundsText(c.design, c.bounds)}`;
const notRunLine = (cells: readonly Cell[]) => `not run: ${cells.map(cellName).join('; ')}`;

export function formatMarkdown(r: MatrixResult): string {
  const line = (cells: readonly string[]) => `| ${cells.join(' | ')} |`;
  const lines = [line(COLUMNS), line(COLUMNS.map(() => '---')), ...r.cells.map((o) => line(rowOf(o))), '', summaryLine(r)];
  const premises = matrixPremises(r.cells, Number.POSITIVE_INFINITY);
  if (premises.length > 0) lines.push('', ...premises.map((p) => `- ${p}`));
  if (r.notRun.length > 0) lines.push('', notRunLine(r.notRun));
  return `${lines.join('\n')}\n`;
}

export function formatText(r: MatrixResult): string {
  const rows = [COLUMNS as readonly string[], ...r.cells.map(rowOf)];
  const widths = COLUMNS.map((_, i) => Math.max(...rows.map((row) => row[i].length)));
  // numbers right-aligned
  const right = new Set(['trace', 'states', 'depth', 'time'].map((c) => COLUMNS.indexOf(c as (typeof COLUMNS)[number])));
  const line = (row: readonly string[]) =>
    row
      .map((c, i) => (right.has(i) ? c.padStart(widths[i]) : c.padEnd(widths[i])))
      .join('  ')
      .trimEnd();
  const lines = [line(rows[0]), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.slice(1).map(line), '', summaryLine(r)];
  lines.push(...matrixPremises(r.cells));
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
    notRun: r.notRun.map((c) => ({ design: c.design.name, faults: c.faults, bounds: c.bounds, varies: c.varies })),
  };
}

export function formatMatrix(r: MatrixResult, format: MatrixFormat): string {
  switch (format) {
    case 'markdown':
      return formatMarkdown(r);
    case 'text':
      return formatText(r);
    case 'json':
      return `${JSON.stringify(matrixDocument(r), null, 2)}\n`;
  }
}

/**
 * The rows of the matrix table in a Markdown text (a file holding it, or the
 * command's own Markdown), or in its JSON document; null when there is none.
 * The table is found by its header line.
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
    const valid = cells.every(
      (c: unknown) =>
        typeof c === 'object' &&
        c !== null &&
        typeof (c as CellOutcome).design === 'string' &&
        typeof (c as CellOutcome).boundsText === 'string' &&
        typeof (c as CellOutcome).verdict === 'string',
    );
    return valid ? (cells as CellOutcome[]).map(rowOf) : null;
  }
  const lines = text.split('\n').map((l) => l.trim());
  const header = `| ${COLUMNS.join(' | ')} |`;
  const start = lines.indexOf(header);
  if (start < 0) return null;
  const rows: MatrixRow[] = [];
  for (const l of lines.slice(start + 2)) {
    if (!l.startsWith('|')) break;
    rows.push(
      l
        .replace(/^\|\s*/, '')
        .replace(/\s*\|$/, '')
        .split(/\s+\|\s+/),
    );
  }
  return rows;
}

/** a cell is its design, faults and bounds */
const rowKey = (row: MatrixRow) => (row[1] === '—' ? `${row[0]} ${row[2]}` : `${row[0]} [${row[1]}] ${row[2]}`);

/** How `actual` differs from `expected`, time aside: one line per cell that differs, is missing or is extra. */
export function matrixDrift(expected: readonly MatrixRow[], actual: readonly MatrixRow[]): string[] {
  const want = new Map(expected.map((r) => [rowKey(r), r]));
  const got = new Map(actual.map((r) => [rowKey(r), r]));
  const drift: string[] = [];
  for (const [key, row] of got) {
    const old = want.get(key);
    if (!old) {
      drift.push(`${key}: not in the expected matrix (now ${row[COLUMNS.indexOf('verdict')]})`);
      continue;
    }
    const changes = COLUMNS.map((c, i) => [c, old[i] ?? '', row[i]] as const)
      .filter(([c, a, b], i) => i > 2 && c !== 'time' && a !== b)
      .map(([c, a, b]) => `${c} ${a} → ${b}`);
    if (changes.length > 0) drift.push(`${key}: ${changes.join(', ')}`);
  }
  for (const key of want.keys()) if (!got.has(key)) drift.push(`${key}: expected, but not in this matrix`);
  return drift;
}
