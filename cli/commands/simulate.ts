// `simulate`: the same jobs as check (designs, design files, or a user's
// model), walked at random (checker/simulate.ts) rather than searched; the
// seed is drawn and printed when not given, and --weights names are checked
// against every model before anything runs.
import { randomInt } from 'node:crypto';
import type { SimulateArgs } from '../args/index.ts';
import { EXIT } from '../exit.ts';
import { errorLine, type IO, type MainDeps } from '../io.ts';
import type { RunLimits } from '../jobs.ts';
import { resolveJobs, runJobs } from './check.ts';

/** A seed drawn when none is given: 48 random bits (a safe integer, short enough to type back). */
export const drawSeed = (): number => randomInt(0, 2 ** 48 - 1);

export function simulateLimits(options: SimulateArgs, seed: number): RunLimits {
  return {
    exact: false,
    workers: options.workers,
    ...(options.maxTimeMs !== undefined ? { maxTimeMs: options.maxTimeMs } : {}),
    simulate: {
      seed,
      ...(options.runs !== undefined ? { runs: options.runs } : {}),
      maxSteps: options.maxSteps,
      weights: options.weights,
      swarm: options.swarm,
      shrink: options.shrink,
    },
  };
}

export async function simulateCommand(options: SimulateArgs, io: IO, deps: MainDeps, seedOf: () => number = drawSeed): Promise<number> {
  const jobs = await resolveJobs(options);
  if (!Array.isArray(jobs)) {
    io.stderr.write(`${errorLine(jobs.error)}\n`);
    return EXIT.badInput;
  }
  for (const job of jobs) {
    const names = job.model.actions.map((a) => a.name);
    const unknown = Object.keys(options.weights).filter((n) => !names.includes(n));
    if (unknown.length > 0) {
      const what = job.spec.kind === 'presence' ? `design ${job.label}` : `model ${job.label}`;
      io.stderr.write(
        `${errorLine(`--weights: ${unknown.map((n) => `'${n}'`).join(', ')} ${unknown.length === 1 ? 'is no action' : 'are no actions'} of ${what} (its actions: ${names.join(', ')})`)}\n`,
      );
      return EXIT.badInput;
    }
  }
  let seed = options.seed;
  if (seed === null) {
    seed = seedOf();
    // the report says it too; this line is there while the walks run (and after a Ctrl-C)
    if (!options.json) io.stderr.write(`simulate: --seed ${seed} (drawn at random; give it to repeat these walks)\n`);
  }
  return runJobs('simulate', options, jobs, simulateLimits(options, seed), io, deps);
}
