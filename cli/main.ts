// The command, end to end, against an injected stdout/stderr: parse, load,
// run, print, and return the exit code. cli.ts only wires it to the process.
import { parseArgs, type CheckArgs } from './args.ts';
import { ProgressBar } from './progress.ts';
import { EXIT, worstExitCode } from './exit.ts';
import {
  errorLine, formatBounds, formatReplay, formatRun, jsonLine, tableFooter, tableHeader, tableLayout, tableRow,
} from './report.ts';
import { replayExitCode, runReplay, type ReplayArgs } from './replay.ts';
import { matrixCommand } from './matrix.ts';
import { exportReport } from '../export/index.ts';
import { writeFileAtomic } from './files.ts';
import { inProcessRunner, limitsOf, resolveJobs, type Job, type RunReport, type Runner } from './run.ts';

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
  /** subscribes to interrupts (Ctrl-C); returns an unsubscribe function */
  readonly onInterrupt?: (handler: () => void) => () => void;
}

function describeError(e: unknown, debug: boolean): string {
  const error = e instanceof Error ? e : new Error(String(e));
  if (debug) return `internal error: ${error.stack ?? error.message}`;
  const first = error.message.split('\n')[0];
  return `internal error: ${first} (run with --debug for the stack trace)`;
}

async function runAll(options: CheckArgs, jobs: readonly Job[], io: IO, deps: MainDeps): Promise<number> {
  const runner = deps.runner ?? inProcessRunner();
  const progress = new ProgressBar(io.stderr, io.stderr.isTTY === true && !options.json);
  const limits = limitsOf(options);
  const single = jobs.length === 1;
  let interrupted = false;
  const unsubscribe = deps.onInterrupt?.(() => {
    interrupted = true;
    runner.interrupt();
  });

  const layout = tableLayout(
    jobs.map((j) => j.label),
    jobs.flatMap((j) => [...j.model.properties.map((p) => p.name), ...j.model.actions.map((a) => `action ${a.name}`)]),
  );
  if (!options.json && !single) {
    io.stdout.write(`checking ${jobs.length} designs at ${formatBounds(options.bounds)}`
      + `${options.symmetry ? '' : ' (no symmetry)'}\n\n${tableHeader(layout)}\n`);
  }

  const done: { label: string; report: RunReport }[] = [];
  try {
    for (const job of jobs) {
      if (interrupted) break;
      const report = await runner.run(job, limits, (p) => progress.show(job.label, p));
      progress.clear();
      done.push({ label: job.label, report });
      if (options.traceOut) writeTrace(options.traceOut, report);
      if (options.json) io.stdout.write(`${jsonLine(report)}\n`);
      else if (single) io.stdout.write(`${formatRun(report)}\n`);
      else io.stdout.write(`${tableRow(layout, job.label, report)}\n`);
    }
  } finally {
    progress.clear();
    unsubscribe?.();
  }

  const notRun = jobs.slice(done.length).map((j) => j.label);
  if (!options.json && !single) {
    const footer = tableFooter(done, options.boundsGiven, notRun);
    if (footer.length > 0) io.stdout.write(`\n${footer.join('\n')}\n`);
  }
  if (interrupted) return EXIT.interrupted;
  return worstExitCode(done.map((d) => d.report.verdict));
}

/** --trace-out: the run in the chosen format, written whole or not at all. */
function writeTrace(out: NonNullable<CheckArgs['traceOut']>, report: RunReport): void {
  const text = out.format === 'text' ? `${formatRun(report)}\n` : exportReport(report, out.format);
  writeFileAtomic(out.path, text);
}

/** Runs the command line `argv` (without `node cli.ts`); resolves to the exit code. */
export async function main(argv: readonly string[], io: IO, deps: MainDeps = {}): Promise<number> {
  const parsed = parseArgs(argv);
  if (parsed.kind === 'help') {
    io.stdout.write(parsed.text);
    return EXIT.holds;
  }
  if (parsed.kind === 'error') {
    io.stderr.write(`${errorLine(parsed.message)}\n`);
    return EXIT.badInput;
  }
  if (parsed.kind === 'replay') return replayCommand(parsed.options, io);
  if (parsed.kind === 'matrix') return matrixCommand(parsed.options, io, deps);
  const options = parsed.options;
  try {
    const jobs = await resolveJobs(options);
    if (!Array.isArray(jobs)) {
      io.stderr.write(`${errorLine(jobs.error)}\n`);
      return EXIT.badInput;
    }
    return await runAll(options, jobs, io, deps);
  } catch (e) {
    io.stderr.write(`${errorLine(describeError(e, options.debug))}\n`);
    return EXIT.internal;
  }
}

/** `replay FILE`: bad input is one line on stderr (exit 2); a replay prints its report (exit 0 or 1). */
async function replayCommand(options: ReplayArgs, io: IO): Promise<number> {
  try {
    const outcome = await runReplay(options);
    if ('error' in outcome) {
      io.stderr.write(`${errorLine(outcome.error)}\n`);
      return EXIT.badInput;
    }
    io.stdout.write(options.json ? `${jsonLine(outcome.report)}\n` : `${formatReplay(outcome.report)}\n`);
    return replayExitCode(outcome.report);
  } catch (e) {
    io.stderr.write(`${errorLine(describeError(e, options.debug))}\n`);
    return EXIT.internal;
  }
}
