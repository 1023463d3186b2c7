// What a command writes to and depends on: injected, so tests run commands
// in-process against strings, and cli.ts wires them to the process.
import type { StopSignal } from './exit.ts';
import type { Runner } from './run.ts';
import type { ProgressOptions } from './progress.ts';

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
