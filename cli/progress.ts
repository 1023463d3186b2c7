// Live progress on stderr (a terminal only), drawn by cli-progress: a bar and
// a line of figures, redrawn in place and erased before the report.
import { Presets, SingleBar } from 'cli-progress';
import { isSimulationProgress, type SimulationProgress } from '../checker/index.ts';
import { formatProgress, formatSimulationProgress } from '../export/index.ts';
import type { AnyProgress } from './run.ts';
import type { ErrorOutput } from './io.ts';

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

/**
 * A check's progress: the bar is the BFS level being expanded (a search's
 * total is unknown; a level's size is). A simulation's: the runs done of
 * those asked for, or, with only a time limit, the time spent of it.
 */
export class ProgressBar {
  private readonly bar: TerminalBar;
  private readonly walks: TerminalBar;

  constructor(out: ErrorOutput, enabled: boolean) {
    this.bar = new TerminalBar(out, enabled, '{label} level {depth} [{bar}] {percentage}% | {text}');
    this.walks = new TerminalBar(out, enabled, '{label} walks [{bar}] {percentage}% | {text}');
  }

  show(label: string, p: AnyProgress): void {
    if (isSimulationProgress(p)) {
      this.showWalks(label, p);
      return;
    }
    this.bar.show(p.levelExpanded, p.levelSize, { label, depth: p.depth, text: formatProgress(p, process.memoryUsage.rss()) });
  }

  private showWalks(label: string, p: SimulationProgress): void {
    const text = formatSimulationProgress(p, process.memoryUsage.rss());
    const byTime = p.maxTimeMs !== null && (p.maxRuns === null || p.elapsedMs / p.maxTimeMs > p.runs / p.maxRuns);
    if (byTime) this.walks.show(Math.min(p.elapsedMs, p.maxTimeMs!), p.maxTimeMs!, { label, text });
    else this.walks.show(p.runs, p.maxRuns ?? Math.max(1, p.runs), { label, text });
  }

  clear(): void {
    this.bar.clear();
    this.walks.clear();
  }
}
