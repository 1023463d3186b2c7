// How the deep proofs run `fixed`, with a state cap far above their
// searches, and what a proof must show: every invariant and (when asked)
// every liveness property holds, no witness unreached, no action unfired.
import { expect } from 'vitest';
import { checkParallel, type CheckResult, type ModelSource } from '../../checker/index.ts';
import type { Bounds, FaultName } from '../../model/index.ts';

export const MINUTES = 60_000;

export async function proveFixed(
  bounds: Partial<Bounds>,
  options: {
    liveness: boolean;
    faults?: readonly FaultName[];
    /**
     * Threads for the search (default 1). `npm run prove` runs two files at
     * once, a proof a thread, which keeps both cores of this machine busy
     * (the tests' summed time 1.75-1.93× the wall time); one search on two
     * threads gets 1.2-1.6× one thread's speed (docs/checker.md). prove:deep
     * runs one file, on every core.
     */
    threads?: number;
  },
): Promise<CheckResult<unknown>> {
  const source: ModelSource = {
    module: new URL('../../model/index.ts', import.meta.url).href,
    export: 'presenceModel',
    args: ['fixed', bounds, { liveness: options.liveness, faults: options.faults ?? [] }],
  };
  // a cap far above these searches: a model change that blows the state space up fails here instead of filling the machine
  return checkParallel(source, { workers: options.threads ?? 1, maxStates: 150_000_000 });
}

export function expectProof(r: CheckResult<unknown>, liveness: boolean): void {
  expect(r.verdict).toBe('holds');
  expect(r.vacuity).toEqual({ unreachedWitnesses: [], unfiredActions: [] });
  expect(r.properties.filter((p) => p.kind === 'sometimes').every((p) => p.status === 'reached')).toBe(true);
  const live = r.properties.filter((p) => p.kind === 'leadsTo');
  expect(live.length > 0).toBe(liveness);
  expect(live.every((p) => p.status === 'holds')).toBe(true);
}
