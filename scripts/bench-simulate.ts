// npm run bench:simulate [-- --runs N]
// Measures simulation on the presence model: steps a second on one thread
// and on two, with and without the liveness properties (whose lassos the
// walks judge), and how long finding and shrinking a violation takes.
// Figures only: nothing here asserts a speed. Each figure is the median of
// --runs runs (default 3), in this process, after one warm-up run.
import { availableParallelism } from 'node:os';
import { simulateParallel, type SimulationResult } from '../checker/index.ts';
import { DEFAULT_BOUNDS } from '../model/index.ts';

interface Case {
  readonly label: string;
  readonly design: string;
  readonly bounds: Record<string, number>;
  readonly liveness: boolean;
  readonly workers: number;
  readonly runs: number;
  readonly seed: number;
}

const CASES: readonly Case[] = [
  ...[1, 2].flatMap((workers) =>
    [false, true].map((liveness) => ({
      label: `fixed 6x3 lag 4, ${liveness ? 'liveness' : 'safety'}, ${workers} thread${workers > 1 ? 's' : ''}`,
      design: 'fixed',
      bounds: { users: 6, tabs: 3, lag: 4 },
      liveness,
      workers,
      runs: 2000,
      seed: 1,
    })),
  ),
  {
    label: 'current 6x3 lag 4: find and shrink',
    design: 'current',
    bounds: { users: 6, tabs: 3, lag: 4 },
    liveness: true,
    workers: 1,
    runs: 10_000,
    seed: 7,
  },
  {
    label: 'current 4x2 lag 2: find and shrink',
    design: 'current',
    bounds: { users: 4, tabs: 2, lag: 2 },
    liveness: true,
    workers: 1,
    runs: 10_000,
    seed: 7,
  },
];

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

async function once(c: Case): Promise<{ ms: number; r: SimulationResult<unknown> }> {
  const source = {
    module: new URL('../model/index.ts', import.meta.url).href,
    export: 'presenceModel',
    args: [c.design, { ...DEFAULT_BOUNDS, ...c.bounds }, { liveness: c.liveness }],
  };
  const started = performance.now();
  // workers start at once, so that the two-thread figure is two threads' throughout
  const r = await simulateParallel(source, { seed: c.seed, runs: c.runs, workers: c.workers, parallelAfterMs: 0 });
  return { ms: performance.now() - started, r };
}

const args = process.argv.slice(2);
const at = args.indexOf('--runs');
const repeats = at >= 0 ? Number(args[at + 1]) : 3;
if (!(Number.isInteger(repeats) && repeats >= 1)) {
  console.error('bench-simulate: --runs must be a positive integer');
  process.exit(2);
}
console.log(`simulate on ${availableParallelism()} cores, median of ${repeats} (walks of 100 steps; each time includes starting workers)`);
for (const c of CASES) {
  await once(c);
  const times: number[] = [];
  let last: SimulationResult<unknown> | null = null;
  for (let i = 0; i < repeats; i++) {
    const { ms, r } = await once(c);
    times.push(ms);
    last = r;
  }
  const ms = median(times);
  const sim = last!.simulation;
  const found =
    last!.verdict === 'violated'
      ? `; ${last!.property} in run ${sim.found!.run + 1}, shrunk ${sim.found!.steps} -> ${last!.trace.length - 1} steps (${sim.shrink?.replays ?? 0} replays, ${sim.shrink?.bfsStates ?? 0} BFS states)`
      : '';
  console.log(
    `${c.label.padEnd(44)} ${String(sim.steps).padStart(8)} steps ${(ms / 1000).toFixed(2).padStart(7)} s ` +
      `${Math.round((sim.steps * 1000) / ms)
        .toLocaleString('en-US')
        .padStart(
          8,
        )} steps/s  ${last!.states.toLocaleString('en-US')} distinct states, ${sim.lassos.toLocaleString('en-US')} lassos${found}`,
  );
}
