// The round trip of specs/front-door.test.ts (a covering set of the fault
// matrix's cells) and specs/prove/front-door-matrix.test.ts (every cell):
// each cell checked as the matrix checks it, its trace written in every
// format that records the job, each file replayed, and the replay compared
// with the check: the same job, the same verdict and property, the same
// states.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'vitest';
import type { Cell } from '../cli/matrix/plan.ts';
import { jobOf } from '../cli/matrix/run.ts';
import { runModel } from '../cli/run.ts';
import { runReplay } from '../cli/commands/replay.ts';
import { exportReport, type TraceFormat } from '../export/index.ts';
import type { RunReport } from '../report/types.ts';

/** The formats that record the job and the steps (text is what a terminal shows, and is not read back). */
export const REPLAYABLE: readonly TraceFormat[] = ['json', 'itf', 'markdown', 'mermaid'];
export const FILE_END: Readonly<Record<string, string>> = { json: 'json', itf: 'itf.json', markdown: 'md', mermaid: 'mmd' };

export interface RoundTrip {
  readonly cell: Cell;
  readonly found: RunReport;
  /** the trace's steps that only the cell's faults make possible (not actions of the design without faults) */
  readonly faultSteps: readonly string[];
}

/** Checks `cell` (cut at `maxStates`), writes its trace in every replayable format into `dir`, and replays each file. */
export async function roundTrip(cell: Cell, dir: string, name: string, maxStates: number): Promise<RoundTrip> {
  const job = await jobOf(cell);
  const outcome = await runModel(job.spec, job.model, { exact: false, workers: 1, maxStates });
  if (outcome.kind !== 'report') throw new Error(`${cell.design.name} ${cell.faults}: ${outcome.kind}`);
  const found = outcome.report;
  for (const format of REPLAYABLE) {
    const file = join(dir, `${name}.${FILE_END[format]}`);
    writeFileSync(file, exportReport(found, format));
    const r = await runReplay({ command: 'replay', file, boundsGiven: {}, json: true, debug: false });
    const where = `${cell.design.name} users=${cell.bounds.users} [${cell.faults.join(',')}] as ${format}`;
    if (!('report' in r)) throw new Error(`${where}: ${'error' in r ? r.error : r.modelError}`);
    const replayed = r.report;
    // the very model: its job is the check's
    expect(replayed.job, where).toEqual(found.job);
    expect(replayed.expected, where).toMatchObject({ verdict: found.verdict, property: found.property, agrees: true });
    expect(
      replayed.trace.map((s) => s.state),
      where,
    ).toEqual(found.trace.length > 0 ? found.trace.map((s) => s.state) : [replayed.trace[0].state]);
    if (found.verdict === 'violated') expect(replayed.violation?.property, where).toBe(found.property);
  }
  const plain = await jobOf({ ...cell, faults: [] });
  const faultSteps = new Set<string>();
  for (const s of found.trace) if (s.action !== null && !plain.model.actions.some((a) => a.name === s.action)) faultSteps.add(s.action);
  return { cell, found, faultSteps: [...faultSteps] };
}
