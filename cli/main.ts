// The command, end to end, against an injected stdout/stderr: parse, run,
// print, and return the exit code. cli.ts only wires it to the process. The
// one place where an error becomes an exit code: bad input 2 (each command
// reports its own), the checker's own bugs 4, everything else by outcome.
import { parseArgs } from './args/index.ts';
import { EXIT } from './exit.ts';
import { errorLine, type IO, type MainDeps } from './io.ts';
import { checkCommand } from './commands/check.ts';
import { simulateCommand } from './commands/simulate.ts';
import { replayCommand } from './commands/replay.ts';
import { matrixCommand } from './commands/matrix.ts';
import { designsCommand } from './commands/designs.ts';

export type { IO, MainDeps, Output, ErrorOutput } from './io.ts';

function describeError(e: unknown, debug: boolean): string {
  const error = e instanceof Error ? e : new Error(String(e));
  if (debug) return `internal error: ${error.stack ?? error.message}`;
  return `internal error: ${error.message.split('\n')[0]} (run with --debug for the stack trace)`;
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
  try {
    switch (parsed.kind) {
      case 'check':
        return await checkCommand(parsed.options, io, deps);
      case 'simulate':
        return await simulateCommand(parsed.options, io, deps);
      case 'replay':
        return await replayCommand(parsed.options, io);
      case 'matrix':
        return await matrixCommand(parsed.options, io, deps);
      case 'designs':
        return designsCommand(parsed.options, io);
    }
  } catch (e) {
    io.stderr.write(`${errorLine(describeError(e, parsed.options.debug))}\n`);
    return EXIT.internal;
  }
}
