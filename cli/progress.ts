// Progress on stderr while a check runs, in one of three modes:
//   tty:   one line redrawn in place (a bar of the whole run when its size
//          can be estimated: estimate.ts), erased before the report;
//   lines: when stderr is not a terminal (a CI log): a plain line every
//          `everyMs` (30 s by default), as TLC prints, and one when the
//          search has gone quiet (liveness, the trace) for that long;
//   off:   --quiet, --json, --trace-out -.
// The matrix's bar (TerminalBar) is drawn by cli-progress.
import { Presets, SingleBar } from 'cli-progress';
import { isSimulationProgress, type Progress, type SimulationProgress } from '../checker/index.ts';
import { formatProgress, formatSimulationProgress } from '../export/index.ts';
import { bytesText, count } from '../report/text.ts';
import type { ErrorOutput, ProgressOptions } from './io.ts';
import { RunEstimator, type RunEstimate } from './estimate.ts';
import type { AnyProgress } from './run.ts';

/** A bar of `value` out of `total`; `format` is cli-progress's, with {bar}, {value}, {total}, {percentage} and {text}. */
export class TerminalBar {
  private bar: SingleBar | null = null;

  constructor(
    private readonly out: ErrorOutput,
    private readonly enabled: boolean,
    private readonly format: string,
  ) {}

  show(value: number, total: number, payload: Readonly<Record<string, string | number>>): void {
    if (!this.enabled) return;
    if (this.bar === null) {
      this.bar = new SingleBar(
        {
          format: this.format,
          stream: this.out as unknown as NodeJS.WritableStream,
          barsize: 20,
          hideCursor: true,
          clearOnComplete: true,
          // the figures arrive every 100-200 ms: draw them as they come
          fps: 5,
        },
        Presets.shades_classic,
      );
      this.bar.start(total, value, payload);
      return;
    }
    this.bar.setTotal(total);
    this.bar.update(value, payload);
  }

  /** Erases the line (before a report is printed). */
  clear(): void {
    this.bar?.stop();
    this.bar = null;
  }
}

export type ProgressMode = 'tty' | 'lines' | 'off';

/** The mode for this stderr: off when asked to be quiet, a redrawn line on a terminal, else plain lines. */
export function progressMode(stderr: ErrorOutput, quiet: boolean): ProgressMode {
  if (quiet) return 'off';
  return stderr.isTTY === true ? 'tty' : 'lines';
}

/** 42 s, 5 min 07 s, 1 h 02 min */
export function duration(ms: number): string {
  const s = Math.floor(ms / 1000);
  if (s < 60) return `${s} s`;
  if (s < 3600) return `${Math.floor(s / 60)} min ${String(s % 60).padStart(2, '0')} s`;
  return `${Math.floor(s / 3600)} h ${String(Math.floor((s % 3600) / 60)).padStart(2, '0')} min`;
}

function estimateText(e: RunEstimate | null, p: Progress, rate: number): string {
  if (e === null) return '';
  const of =
    e.source === 'saved'
      ? `of the ${count(e.total)} states a saved run found`
      : `of about ${count(e.total)} states, from the shrinking levels`;
  const left = rate > 0 ? `, about ${duration(((e.total - p.states) / rate) * 1000)} of search left` : '';
  return `; about ${Math.floor(e.fraction * 100)}% ${of}${left}`;
}

export const PROGRESS_EVERY_MS = 30_000;

/** One check's progress at a time: start(label), show(p) as figures arrive, stop() before its report. */
export class CheckProgress {
  private label = '';
  private estimator = new RunEstimator(null);
  private last: Progress | null = null;
  private lastAt = 0;
  private startedAt = 0;
  /** lines mode: when the last line was printed, and the states then (for the rate since) */
  private printedAt = 0;
  private printedStates = 0;
  private timer: ReturnType<typeof setInterval> | null = null;
  private drawn = false;
  private readonly everyMs: number;
  private readonly now: () => number;

  constructor(
    private readonly out: ErrorOutput,
    readonly mode: ProgressMode,
    private readonly options: ProgressOptions = {},
  ) {
    this.everyMs = options.everyMs ?? PROGRESS_EVERY_MS;
    this.now = options.now ?? (() => performance.now());
  }

  /** A check starts: `known` is the size of a saved run of the same check, if any. */
  start(label: string, known: number | null): void {
    this.stop();
    this.label = label;
    this.estimator = new RunEstimator(known);
    this.last = null;
    this.startedAt = this.printedAt = this.lastAt = this.now();
    this.printedStates = 0;
    if (this.mode === 'lines' && this.options.timer !== false) {
      this.timer = setInterval(() => this.tick(), Math.min(this.everyMs, 1000));
      this.timer.unref();
    }
  }

  show(p: AnyProgress): void {
    if (this.mode === 'off') return;
    if (isSimulationProgress(p)) {
      this.showWalks(p);
      return;
    }
    this.last = p;
    this.lastAt = this.now();
    const estimate = this.estimator.estimate(p);
    if (this.mode === 'tty') this.draw(p, estimate);
    else if (this.lastAt - this.printedAt >= this.everyMs) this.line(p, estimate);
  }

  /** lines mode, between progress reports: a line when one is due */
  private tick(): void {
    const at = this.now();
    if (at - this.printedAt < this.everyMs) return;
    const p = this.last;
    const elapsed = at - this.startedAt;
    // figures are flowing (a simulation's lines are printed by show)
    if (this.lastAt > this.startedAt && at - this.lastAt < Math.min(this.everyMs, 2000)) return;
    if (p === null) {
      this.write(`${this.label}: starting the search; ${duration(elapsed)} elapsed`);
      return;
    }
    if (at - this.lastAt < Math.min(this.everyMs, 2000)) return; // figures are flowing: show() prints
    this.write(
      `${this.label}: ${count(p.states)} states, depth ${p.depth}; the search has reported nothing for ${duration(at - this.lastAt)}: ` +
        `judging liveness on the state graph, or building the report; ${duration(elapsed)} elapsed`,
    );
  }

  private line(p: Progress, estimate: RunEstimate | null): void {
    const since = this.lastAt - this.printedAt;
    const rate = since > 0 ? ((p.states - this.printedStates) * 1000) / since : 0;
    this.printedStates = p.states;
    this.write(
      `${this.label}: ${count(p.states)} states, ${count(rate)} states/s, depth ${p.depth}, frontier ${count(p.frontier)}, ` +
        `${p.spilled !== undefined && p.spilled > 0 ? `${bytesText(p.spilled)} spilled to disk, ` : ''}` +
        `${duration(p.elapsedMs)} elapsed${estimateText(estimate, p, rate)}`,
    );
  }

  private write(text: string): void {
    this.printedAt = this.now();
    this.out.write(`presence-check: ${text}\n`);
  }

  private draw(p: Progress, estimate: RunEstimate | null): void {
    const rate = p.elapsedMs > 0 ? (p.states * 1000) / p.elapsedMs : 0;
    const bar =
      estimate === null
        ? `depth ${p.depth}`
        : `[${'█'.repeat(Math.round(estimate.fraction * 20)).padEnd(20, '░')}] ${Math.floor(estimate.fraction * 100)}%`;
    const left = estimate !== null && rate > 0 ? ` | ~${duration(((estimate.total - p.states) / rate) * 1000)} left` : '';
    const rss = this.options.rss?.() ?? process.memoryUsage.rss();
    this.out.write(`\r\x1b[2K${this.label} ${bar} | ${formatProgress(p, rss)}${left}`);
    this.drawn = true;
  }

  /** A simulation's progress: the runs done of those asked for, or the time spent of the limit. */
  private showWalks(p: SimulationProgress): void {
    this.lastAt = this.now();
    const rss = this.options.rss?.() ?? process.memoryUsage.rss();
    const text = formatSimulationProgress(p, rss);
    if (this.mode === 'lines') {
      if (this.lastAt - this.printedAt >= this.everyMs) this.write(`${this.label}: ${text}`);
      return;
    }
    const byTime = p.maxTimeMs !== null && (p.maxRuns === null || p.elapsedMs / p.maxTimeMs > p.runs / p.maxRuns);
    const fraction = byTime ? Math.min(1, p.elapsedMs / p.maxTimeMs!) : p.maxRuns !== null ? Math.min(1, p.runs / p.maxRuns) : null;
    const bar = fraction === null ? 'walks' : `[${'█'.repeat(Math.round(fraction * 20)).padEnd(20, '░')}] ${Math.floor(fraction * 100)}%`;
    this.out.write(`\r\x1b[2K${this.label} ${bar} | ${text}`);
    this.drawn = true;
  }

  /** The check is over: erase the line (tty), stop the timer (lines). */
  stop(): void {
    if (this.timer !== null) clearInterval(this.timer);
    this.timer = null;
    if (this.drawn) this.out.write('\r\x1b[2K');
    this.drawn = false;
  }
}
