// presence-check's command line: `npx tsx cli.ts <command> [options]` (see
// --help). Checks run in a worker thread so that Ctrl-C stops a check with
// its partial summary (exit 130); a second Ctrl-C exits at once.
import { hideBin } from 'yargs/helpers';
import { main, type MainDeps } from './cli/main.ts';
import { EXIT } from './cli/exit.ts';
import { workerRunner } from './cli/worker-runner.ts';

// `cli.ts check | head`: stop quietly when the reader goes away
process.stdout.on('error', (e: NodeJS.ErrnoException) => {
  if (e.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  throw e;
});

function onInterrupt(handler: () => void): () => void {
  let seen = false;
  const onSigint = () => {
    if (seen) process.exit(EXIT.interrupted);
    seen = true;
    handler();
  };
  process.on('SIGINT', onSigint);
  return () => process.off('SIGINT', onSigint);
}

// where workers cannot load TypeScript, checks run in this thread, where a
// SIGINT handler could not run during a check, so Ctrl-C keeps its default
const runner = workerRunner();
const deps: MainDeps = runner !== null ? { runner, onInterrupt } : {};

process.exitCode = await main(hideBin(process.argv), { stdout: process.stdout, stderr: process.stderr }, deps);
