// The live progress line of a long check, on stderr (a terminal only): a
// cli-progress bar over the BFS level being expanded (a search's total is
// unknown; a level's size is), then the figures so far.
import { Presets, SingleBar } from 'cli-progress';
import type { Progress } from '../checker/index.ts';
import { formatProgress } from './report.ts';
import type { ErrorOutput } from './main.ts';

export class ProgressBar {
  private bar: SingleBar | null = null;

  constructor(private readonly out: ErrorOutput, private readonly enabled: boolean) {}

  show(label: string, p: Progress): void {
    if (!this.enabled) return;
    const payload = { label, depth: p.depth, figures: formatProgress(p, process.memoryUsage.rss()) };
    if (this.bar === null) {
      this.bar = new SingleBar({
        format: '{label} level {depth} [{bar}] {percentage}% | {figures}',
        stream: this.out as unknown as NodeJS.WritableStream,
        barsize: 20,
        hideCursor: true,
        clearOnComplete: true,
        // figures arrive from the search every 200 ms: draw them as they come
        fps: 5,
      }, Presets.shades_classic);
      this.bar.start(p.levelSize, p.levelExpanded, payload);
      return;
    }
    this.bar.setTotal(p.levelSize);
    this.bar.update(p.levelExpanded, payload);
  }

  /** Erases the line (before the check's report is printed). */
  clear(): void {
    this.bar?.stop();
    this.bar = null;
  }
}
