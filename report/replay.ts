// From a replay (checker/replay.ts: the run, and each property's status over
// it, each property evaluated once per state or step) to a ReplayReport: the
// lasso judged if the file gave a loop, the first violation, the verdict
// (report/types.ts REPLAY_VERDICTS), whether it agrees with what the check
// that wrote the trace found, and the trace as the report shows it. The
// command line reads the file and resolves the steps (it knows the file's
// notation); everything the report says is worked out here.
import { DEADLOCK, judgeLasso, type LassoJudgement, type Model, type ReplayResult } from '../checker/index.ts';
import { clockOf, describeStep, viewOf } from './build.ts';
import type { JobRecord, ReplayPropertyResult, ReplayReport, ReplayVerdict } from './types.ts';

/** What was replayed, and on what: the part of the report that does not depend on the run. */
export interface ReplayFrame {
  readonly file: string;
  readonly source: ReplayReport['source'];
  readonly design: string | null;
  readonly designFrom: ReplayReport['designFrom'];
  readonly modelPath: string | null;
  readonly bounds: Readonly<Record<string, number>> | null;
  readonly boundsText: string | null;
  readonly faults: readonly string[] | null;
  readonly faultBounds?: ReplayReport['faultBounds'];
  readonly notJudged?: ReplayReport['notJudged'];
  readonly job: JobRecord;
}

export interface ReplayRun<S> {
  /** the initial state's index in the model's init */
  readonly initial: number;
  /** checker/replay.ts's result (a lasso's closing step included when the file did not give it) */
  readonly result: ReplayResult<S>;
  /** per step of the file (and a closing step found), its line in the file, or null */
  readonly lines: readonly (number | null)[];
  /** the file's loop, or null */
  readonly loop: number | null;
  /** the step that could not be taken, as the file names it, and the model's reason */
  readonly notEnabled: ReplayReport['notEnabled'];
  /** what the check that wrote the trace found (null for a scenario) */
  readonly expected: { readonly verdict: string; readonly property: string | null; readonly step: number | null } | null;
}

function verdictOf(violated: boolean, notEnabled: boolean, lasso: LassoJudgement | null): ReplayVerdict {
  if (violated) return 'violated';
  if (notEnabled) return 'not-enabled';
  if (lasso !== null && !lasso.closes) return 'not-a-lasso';
  if (lasso !== null && lasso.unfair.length > 0) return 'unfair-lasso';
  return 'holds';
}

export function buildReplayReport<S>(model: Model<S>, frame: ReplayFrame, run: ReplayRun<S>): ReplayReport {
  const { result, loop, notEnabled } = run;
  const trace = result.trace;
  const last = trace.length - 1;
  // a lasso is judged only when every step was taken (each property evaluated here, once)
  const judged = loop !== null && result.ok ? judgeLasso(model, trace, loop) : null;
  const behaviour = judged?.closes === true && judged.unfair.length === 0;
  const replayed = new Map(result.properties.map((p) => [p.name, p]));
  const properties: ReplayPropertyResult[] = model.properties.map((p): ReplayPropertyResult => {
    const head = { name: p.name, kind: p.kind, description: p.description };
    if (p.kind === 'leadsTo') {
      const status = !behaviour ? 'not-judged' : judged!.violates.includes(p.name) ? 'violated' : 'holds';
      return { ...head, status, ...(status === 'violated' ? { step: last } : {}) };
    }
    const at = replayed.get(p.name)?.step ?? null;
    if (p.kind === 'sometimes') return at === null ? { ...head, status: 'unreached' } : { ...head, status: 'reached', step: at };
    return at === null ? { ...head, status: 'holds' } : { ...head, status: 'violated', step: at };
  });
  // the first violation: the replay's (the earliest step, in the search's order on a step; else a
  // deadlock after the last), else a liveness property the lasso violates (declaration order)
  const found = result.violation;
  let first: ReplayPropertyResult | null = null;
  if (found !== null && found.property === DEADLOCK.name) {
    first = { name: DEADLOCK.name, kind: 'deadlock', description: DEADLOCK.description, status: 'violated', step: found.step };
    properties.push(first);
  } else if (found !== null) first = properties.find((p) => p.name === found.property) ?? null;
  else first = properties.find((p) => p.kind === 'leadsTo' && p.status === 'violated') ?? null;
  const violation =
    first === null
      ? null
      : {
          property: first.name,
          description: first.description,
          step: first.step!,
          line: first.step! > 0 ? (run.lines[first.step! - 1] ?? null) : null,
        };
  const verdict = verdictOf(violation !== null, notEnabled !== null, judged);
  const e = run.expected;
  const expected =
    e === null
      ? null
      : {
          ...e,
          agrees:
            e.verdict === 'violated'
              ? violation !== null &&
                violation.property === e.property &&
                notEnabled === null &&
                (e.step === null ? judged !== null : violation.step === e.step)
              : verdict === 'holds',
        };
  return {
    command: 'replay',
    ...frame,
    model: model.name,
    initial: run.initial,
    verdict,
    steps: run.lines.length,
    replayed: last,
    violation,
    expected,
    notEnabled,
    lasso: judged === null ? null : { loop: loop!, ...judged },
    properties,
    trace: trace.map((t, k) => ({
      index: k,
      action: t.action,
      params: t.params,
      description: k === 0 ? 'initial state' : describeStep(model, t.action!, t.params, trace[k - 1].state, t.state),
      state: viewOf(model, t.state),
      line: k === 0 ? null : (run.lines[k - 1] ?? null),
    })),
    clock: clockOf(model as Model<unknown>),
  };
}
