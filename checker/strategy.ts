// The search strategies, behind one interface (as Stateright's Checker trait
// has bfs, dfs and simulation behind it): each takes the one model interface
// (types.ts), on one thread or on several (building the model from a
// ModelSource in each worker thread), and ends in a CheckResult. A strategy
// says whether it is exhaustive: when it finds nothing, an exhaustive one
// concludes `holds`, a sampling one only `none-found`. A new strategy (a
// swarm of its own, a disk-backed BFS) is one new file and one entry in
// STRATEGIES; the visited set it keeps comes from visited.ts's factory.
//
//   bfs       breadth first, every state within the bounds: invariants,
//             witnesses, deadlock (bfs.ts, parallel.ts); a model's leadsTo
//             properties are left out and reported not judged
//   liveness  the same search, recording the state graph, then leadsTo under
//             fairness on it (graph.ts, liveness.ts)
//   simulate  seeded random walks, shrunk counterexamples (simulate.ts)
import { check } from './bfs.ts';
import { checkParallel, loadModelSource, type ModelSource, type ParallelOptions, type WorkerFactory } from './parallel.ts';
import { simulate, type SimulateOptions } from './simulate.ts';
import { simulateParallel, type ParallelSimulateOptions } from './simulate-parallel.ts';
import type { CheckOptions, CheckResult, Model, PropertyResult } from './types.ts';

export type StrategyName = 'bfs' | 'liveness' | 'simulate';

/** How many threads, and how to start the worker threads. */
export interface Threads {
  /** threads searching: this one and workers - 1 worker threads */
  readonly workers: number;
  readonly spawn?: WorkerFactory;
}

export interface Strategy<O> {
  readonly name: StrategyName;
  /** one line: what it does */
  readonly summary: string;
  /** every state within the bounds: finding nothing proves the properties (holds); else it only found none */
  readonly exhaustive: boolean;
  /** how it judges leadsTo properties: on the whole state graph, on lassos its walks close, or not at all */
  readonly liveness: 'graph' | 'lassos' | 'none';
  /** on this thread */
  run<S>(model: Model<S>, options: O): CheckResult<S>;
  /** on `threads.workers` threads, each worker thread building the model from `source` (`given`: this thread's); the same result as run() */
  runOn<S>(source: ModelSource, options: O & Threads, given?: Model<S>): Promise<CheckResult<S>>;
}

/** The model without its leadsTo properties, and what the result says of them. */
function safetyOnly<S>(model: Model<S>): { model: Model<S>; notJudged: PropertyResult[] } {
  const live = model.properties.filter((p) => p.kind === 'leadsTo');
  if (live.length === 0) return { model, notJudged: [] };
  return {
    model: { ...model, properties: model.properties.filter((p) => p.kind !== 'leadsTo') },
    notJudged: live.map((p) => ({ name: p.name, kind: 'leadsTo', description: p.description, status: 'not-judged' })),
  };
}

/** For the worker threads of a bfs run: the model `source` builds, without its leadsTo properties. */
export async function safetyModelFrom(source: ModelSource): Promise<Model<unknown>> {
  return safetyOnly<unknown>(await loadModelSource(source)).model;
}

const withNotJudged = <S>(r: CheckResult<S>, notJudged: readonly PropertyResult[]): CheckResult<S> =>
  notJudged.length === 0 ? r : { ...r, properties: [...r.properties, ...notJudged] };

export const bfsStrategy: Strategy<CheckOptions & Pick<ParallelOptions, 'parallelFrom'>> = {
  name: 'bfs',
  summary: 'breadth first over every state within the bounds: invariants, witnesses, deadlock',
  exhaustive: true,
  liveness: 'none',
  run(model, options) {
    const { model: safety, notJudged } = safetyOnly(model);
    return withNotJudged(check(safety, options), notJudged);
  },
  async runOn<S>(
    source: ModelSource,
    options: CheckOptions & Pick<ParallelOptions, 'parallelFrom'> & Threads,
    given?: Model<S>,
  ): Promise<CheckResult<S>> {
    const { model: safety, notJudged } = safetyOnly(given ?? ((await loadModelSource(source)) as Model<S>));
    if (notJudged.length === 0) return checkParallel(source, options, safety);
    // the worker threads build the same model without its leadsTo properties (they label what the model has)
    const safe: ModelSource = { module: import.meta.url, export: 'safetyModelFrom', args: [source] };
    return withNotJudged(await checkParallel(safe, options, safety), notJudged);
  },
};

export const livenessStrategy: Strategy<CheckOptions & Pick<ParallelOptions, 'parallelFrom'>> = {
  name: 'liveness',
  summary: 'breadth first over every state, recording the state graph; then leadsTo under fairness on it',
  exhaustive: true,
  liveness: 'graph',
  run: (model, options) => check(model, options),
  runOn: (source, options, given) => checkParallel(source, options, given),
};

export const simulateStrategy: Strategy<SimulateOptions & Pick<ParallelSimulateOptions, 'parallelAfterMs'>> = {
  name: 'simulate',
  summary: 'seeded random walks; a violation shrunk to a short trace; nothing found is none-found, never holds',
  exhaustive: false,
  liveness: 'lassos',
  run: (model, options) => simulate(model, options),
  runOn: (source, options, given) => simulateParallel(source, options, given),
};

export const STRATEGIES = { bfs: bfsStrategy, liveness: livenessStrategy, simulate: simulateStrategy } as const;

/** The exhaustive strategy for a model: liveness when it has leadsTo properties, else bfs. */
export function exhaustiveStrategyFor(model: Model<unknown>): Strategy<CheckOptions & Pick<ParallelOptions, 'parallelFrom'>> {
  return model.properties.some((p) => p.kind === 'leadsTo') ? livenessStrategy : bfsStrategy;
}
