// A saved run's check, run again in this thread: for the tests that the saved
// results (docs/results) and the files drawn from them are what the checker
// finds today (specs/export.test.ts for one design, specs/prove/docs-results.test.ts
// for every one).
import { buildModel, presenceJob } from '../cli/jobs.ts';
import { runModel } from '../cli/run.ts';
import { designByName, type Bounds } from '../model/index.ts';
import type { RunReport } from '../report/types.ts';

/** The designs the saved runs of both presets find violated, in their order: the runs docs/traces draws. */
export const SAVED_VIOLATED = [
  'current',
  'current-presence-api',
  'fail-loudly',
  'grace-period',
  'version-check',
  'pending-joins',
  'shipped',
  'two-looks-sql',
  'refuse-latecomers',
];

/** The check a saved report records, run again in this thread (symmetry on, as check runs it). */
export async function checkAgain(r: RunReport): Promise<RunReport> {
  const spec = {
    ...presenceJob(designByName(r.design!)!, null, r.bounds as unknown as Bounds, {
      faults: [],
      symmetry: true,
      liveness: r.liveness,
      settles: r.settles ?? true,
    }),
    preset: r.preset,
  };
  const outcome = await runModel(spec, await buildModel(spec), { exact: false });
  if (outcome.kind !== 'report') throw new Error(outcome.kind);
  return outcome.report;
}
