// presence-check's command line: `presence-check <command> [options]` from
// the package (bin/presence-check.js runs this file compiled), `npx tsx
// cli.ts` in a clone (see --help). Checks run in a worker thread so that
// Ctrl-C (SIGINT) or SIGTERM (what CI runners send at a timeout) stops a
// check with its partial summary (exit 130 or 143); a second signal exits at
// once.
import { hideBin } from 'yargs/helpers';
import { main, type MainDeps } from './cli/main.ts';
import { exitOfSignal, type StopSignal } from './cli/exit.ts';
import { programOf, setProgram } from './cli/program.ts';
import { workerRunner } from './cli/worker-runner.ts';

// `presence-check check | head`: stop quietly when the reader goes away
process.stdout.on('error', (e: NodeJS.ErrnoException) => {
  if (e.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  throw e;
});

setProgram(programOf(process.argv[1], process.env, process.cwd()));

const SIGNALS: readonly StopSignal[] = ['SIGINT', 'SIGTERM'];

function onInterrupt(handler: (signal: StopSignal) => void): () => void {
  let seen = false;
  const listeners = SIGNALS.map((signal) => {
    const listener = () => {
      if (seen) process.exit(exitOfSignal(signal));
      seen = true;
      handler(signal);
    };
    process.on(signal, listener);
    return [signal, listener] as const;
  });
  return () => {
    for (const [signal, listener] of listeners) process.off(signal, listener);
  };
}

// where workers cannot load TypeScript, checks run in this thread, where a
// signal handler could not run during a check, so the signals keep their default
const runner = workerRunner();
const deps: MainDeps = runner !== null ? { runner, onInterrupt } : {};

process.exitCode = await main(hideBin(process.argv), { stdout: process.stdout, stderr: process.stderr }, deps);
