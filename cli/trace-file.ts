// Traces that `check --trace-out` wrote, read back for replay as they are:
// the job description the model was built from (cli/jobs.ts; older traces
// name only a design or a model file, bounds and settling), the initial
// state, the steps, and what the check found (property and step), so that
// replay can rebuild exactly that model and say whether it reaches the same
// verdict at the same step. JSON and ITF traces hold all this in their own
// fields; Markdown and Mermaid traces carry it as a record in a comment
// (export/record.ts).
import type { Params, ScenarioStep } from '../checker/index.ts';
import { fromItf, ItfError, readRecord, type ItfRun } from '../export/index.ts';

export interface TraceFile {
  readonly source: 'json' | 'itf' | 'markdown' | 'mermaid';
  /** the job description the trace records (readJob checks it), or null for a trace written before traces recorded one */
  readonly job: unknown;
  // what an older trace says instead of a job
  readonly design: string | null;
  readonly modelPath: string | null;
  readonly bounds: Readonly<Record<string, number>> | null;
  /** whether the check assumed the environment settles (null: it does not say) */
  readonly settles: boolean | null;
  /** the initial state's index in the model's init (0 when the file does not say) */
  readonly initial: number;
  /** the trace's first state as the file holds it (a view, or its ITF encoding), to compare with the model's; undefined: none */
  readonly firstState: unknown;
  /** for an ITF trace of a view that is not a record: the one variable holding it */
  readonly wholeState: string | null;
  readonly steps: readonly ScenarioStep[];
  /**
   * a lasso's loop: the index (in the states the steps lead through) where its
   * cycle starts, or null; `closed`: the steps end with the one that brings
   * the cycle back to that state (false: an ITF file that does not say it)
   */
  readonly loop: number | null;
  readonly closed: boolean;
  /** what the check found */
  readonly expected: { readonly verdict: string; readonly property: string | null; readonly step: number | null };
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const isNumbers = (v: unknown): v is Record<string, number> => isObject(v) && Object.values(v).every((x) => typeof x === 'number');
const legacyOf = (r: Record<string, unknown>) => ({
  design: typeof r.design === 'string' ? r.design : null,
  modelPath: typeof r.modelPath === 'string' ? r.modelPath : null,
  bounds: isNumbers(r.bounds) ? r.bounds : null,
  settles: typeof r.settles === 'boolean' ? r.settles : null,
});

/** What kind of file a parsed JSON document is: a check report, an ITF trace, or neither (a scenario, perhaps). */
export function traceKind(doc: unknown): 'json' | 'itf' | null {
  if (!isObject(doc)) return null;
  if (Array.isArray(doc.states) && Array.isArray(doc.vars)) return 'itf';
  if (Array.isArray(doc.trace) && typeof doc.verdict === 'string' && typeof doc.model === 'string') return 'json';
  return null;
}

/** Reads a check report or an ITF trace; an error is a message naming the first problem. */
export function readTraceFile(doc: unknown): TraceFile | { error: string } {
  const kind = traceKind(doc);
  if (kind === 'json') {
    const r = doc as Record<string, unknown>;
    const trace = r.trace as unknown[];
    const steps: ScenarioStep[] = [];
    for (let i = 1; i < trace.length; i++) {
      const s = trace[i];
      if (!isObject(s) || typeof s.action !== 'string' || !isObject(s.params))
        return { error: `trace[${i}]: expected an object with action and params` };
      steps.push({ action: s.action, params: s.params as Params });
    }
    return {
      source: 'json',
      job: r.job ?? null,
      ...legacyOf(r),
      initial: typeof r.initial === 'number' ? r.initial : 0,
      firstState: isObject(trace[0]) ? trace[0].state : undefined,
      wholeState: null,
      steps,
      loop: typeof r.loop === 'number' ? r.loop : null,
      closed: true,
      expected: {
        verdict: String(r.verdict),
        property: typeof r.property === 'string' ? r.property : null,
        step: r.verdict === 'violated' && typeof r.loop !== 'number' ? Math.max(0, trace.length - 1) : null,
      },
    };
  }
  if (kind === 'itf') {
    let run: ItfRun;
    try {
      run = fromItf(doc);
    } catch (e) {
      if (e instanceof ItfError) return { error: e.message };
      throw e;
    }
    const meta = run.meta;
    const states = (doc as { states: Record<string, unknown>[] }).states;
    return {
      source: 'itf',
      job: meta.job ?? null,
      ...legacyOf(meta),
      initial: typeof meta.initialState === 'number' ? meta.initialState : 0,
      firstState: states.length > 0 ? Object.fromEntries(Object.entries(states[0]).filter(([k]) => k !== '#meta')) : undefined,
      wholeState: typeof meta.wholeState === 'string' ? meta.wholeState : null,
      steps: run.steps,
      loop: run.loop,
      closed: run.closed,
      expected: {
        verdict: typeof meta.verdict === 'string' ? meta.verdict : 'unknown',
        property: typeof meta.property === 'string' ? meta.property : null,
        step: typeof meta.violatedAfterStep === 'number' ? meta.violatedAfterStep : null,
      },
    };
  }
  return { error: 'not a trace that check wrote (neither a JSON report nor an ITF trace)' };
}

/**
 * The trace a Markdown or Mermaid file written by check carries (its record,
 * export/record.ts); null when the text has none (a scenario, perhaps).
 */
export function readTraceText(text: string): TraceFile | { error: string } | null {
  const record = readRecord(text);
  if (record === null) return null;
  if ('error' in record) return record;
  return {
    source: /<!--[ \t]*presence-check\/trace/.test(text) ? 'markdown' : 'mermaid',
    job: record.job,
    design: null,
    modelPath: null,
    bounds: null,
    settles: null,
    initial: record.initial,
    firstState: record.firstState,
    wholeState: null,
    steps: record.steps,
    loop: record.loop,
    closed: true,
    expected: { verdict: record.verdict, property: record.property, step: record.violatedAfterStep },
  };
}
