// The replayable part of a run: the job description the model was built
// from, which initial state, every step (a lasso's closing one last), the
// loop, and what the check found. JSON and ITF traces hold all of it in their
// own fields; a Markdown or Mermaid trace is written for people, so it
// carries this record as one line of JSON in a comment (`<!-- ... -->`,
// `%% ...`), which `replay` reads back. Pure.
import type { Params } from '../checker/index.ts';
import type { JobRecord, RunReport } from '../report/types.ts';

export const RECORD_FORMAT = 'presence-check/trace';

export interface TraceRecord {
  readonly format: typeof RECORD_FORMAT;
  readonly job: JobRecord;
  /** the initial state's index in the model's init (0 without a trace) */
  readonly initial: number;
  /** the initial state as the report shows it (the model's view), to check the replay starts where the check did */
  readonly firstState: unknown;
  readonly steps: readonly { readonly action: string; readonly params: Params }[];
  /** a lasso's loop (the closing step is the last of `steps`), or null */
  readonly loop: number | null;
  readonly verdict: string;
  readonly property: string | null;
  /** the step after which the property is violated (null for a lasso, or without a violation) */
  readonly violatedAfterStep: number | null;
}

export function traceRecord(report: RunReport): TraceRecord {
  const steps = report.trace.slice(1).map((s) => ({ action: s.action!, params: s.params }));
  return {
    format: RECORD_FORMAT,
    job: report.job,
    initial: report.initial ?? 0,
    firstState: report.trace[0]?.state,
    steps,
    loop: report.loop,
    verdict: report.verdict,
    property: report.property,
    violatedAfterStep: report.verdict === 'violated' && report.loop === null ? steps.length : null,
  };
}

/** The record as one line of JSON that cannot end the comment it sits in (no `>`, `<` or newline). */
export function recordLine(report: RunReport): string {
  return `${RECORD_FORMAT} ${JSON.stringify(traceRecord(report)).replace(/</g, '\\u003c').replace(/>/g, '\\u003e')}`;
}

const MARK = new RegExp(`(?:<!--|%%)[ \\t]*${RECORD_FORMAT.replace(/[/.-]/g, (c) => `\\${c}`)}[ \\t]+(\\{.*\\})`);

/**
 * The record a Markdown or Mermaid trace carries: the parsed record, an error
 * naming what is wrong with it, or null when the text has none.
 */
export function readRecord(text: string): TraceRecord | { readonly error: string } | null {
  const m = MARK.exec(text);
  if (m === null) return null;
  let value: unknown;
  try {
    value = JSON.parse(m[1].replace(/\s*-->\s*$/, ''));
  } catch (e) {
    return { error: `its ${RECORD_FORMAT} record is not JSON: ${e instanceof Error ? e.message : String(e)}` };
  }
  const r = value as Partial<TraceRecord>;
  if (typeof r !== 'object' || r === null || r.format !== RECORD_FORMAT) return { error: `its ${RECORD_FORMAT} record has no format` };
  if (!Array.isArray(r.steps) || !r.steps.every((s) => typeof s?.action === 'string' && typeof s.params === 'object' && s.params !== null))
    return { error: `its ${RECORD_FORMAT} record: steps must be a list of {action, params}` };
  if (typeof r.job !== 'object' || r.job === null) return { error: `its ${RECORD_FORMAT} record has no job` };
  if (r.loop !== null && r.loop !== undefined && (!Number.isInteger(r.loop) || r.loop < 0 || r.loop > r.steps.length))
    return { error: `its ${RECORD_FORMAT} record: loop must be a step index (0 to ${r.steps.length})` };
  return r as TraceRecord;
}
