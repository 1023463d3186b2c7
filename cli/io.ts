// What a command writes to and depends on: injected, so tests run commands
// in-process against strings, and cli.ts wires them to the process.
import type { StopSignal } from './exit.ts';
import type { Runner } from './run.ts';

export interface Output {
  write(text: string): unknown;
}

export interface ErrorOutput extends Output {
  /** a terminal: show the live progress line */
  readonly isTTY?: boolean;
}

export interface IO {
  readonly stdout: Output;
  readonly stderr: ErrorOutput;
}

/** How often and by which clock progress lines are printed (cli/progress.ts). */
export interface ProgressOptions {
  /** lines mode: a line every this many ms (default 30 s) */
  readonly everyMs?: number;
  /** the clock (tests) */
  readonly now?: () => number;
  /** lines mode: also print while no progress arrives (the main thread is free while a worker checks); default true */
  readonly timer?: boolean;
  /** the process's resident memory (the terminal's line shows it) */
  readonly rss?: () => number;
}

export interface MainDeps {
  /** how checks run (default: in this thread) */
  readonly runner?: Runner;
  /** subscribes to interrupts (Ctrl-C, SIGTERM); returns an unsubscribe function */
  readonly onInterrupt?: (handler: (signal: StopSignal) => void) => () => void;
  /** how often and by which clock progress lines are printed (tests) */
  readonly progress?: ProgressOptions;
}

/** "presence-check: <message>" (every error line starts so). */
export function errorLine(message: string): string {
  return `presence-check: ${message}`;
}
