// `replay FILE`: runs a scenario (cli/scenario.ts), or a trace that check
// wrote (cli/trace-file.ts: JSON, ITF, Markdown or Mermaid), step by step
// through checker/replay.ts, and prints the ReplayReport that report/replay.ts
// builds. The model comes from one job description (cli/jobs.ts), built the
// one way every command builds one: a trace's own job (every switch of its
// design, its bounds, faults and options, or its --model file), or a
// scenario's design, bounds and faults, with what the command line overrides.
// Every problem with the input (the file, a design, an action name, a
// parameter, the initial state) is one line (exit 2), found before any step
// runs (but for a user model's parameters, which its params() may offer only
// in some states); a step whose guard is false is a result (exit 1), with
// the model's reason; the model's own throw is exit 5.
import { existsSync, readFileSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import {
  ModelCodeError,
  forEachSuccessor,
  lassoShape,
  replay,
  sameParams,
  valueEquals,
  type ActionDef,
  type Model,
  type Params,
  type ScenarioStep,
  type TraceStep,
} from '../../checker/index.ts';
import { encodeItfValue, formatReplay, formatTrace, jsonLine } from '../../export/index.ts';
import {
  DEFAULT_BOUNDS,
  DESIGN_NAMES,
  boundsError,
  designByName,
  faultBoundsOf,
  notJudgedOf,
  type Bounds,
  type Design,
  type FaultName,
} from '../../model/index.ts';
import { clockOf, traceReport, viewOf } from '../../report/build.ts';
import { buildReplayReport, type ReplayFrame } from '../../report/replay.ts';
import { compact, deepEqual } from '../../report/text.ts';
import { REPLAY_VERDICTS, type ReplayReport, type TraceStepReport } from '../../report/types.ts';
import type { ReplayArgs } from '../args/index.ts';
import { readDesignFile } from '../design-file.ts';
import { EXIT } from '../exit.ts';
import { errorLine, type IO } from '../io.ts';
import { boundsText, buildModel, jobRecord, presenceJob, readJob, type JobDescription, type PresenceJob } from '../jobs.ts';
import { parseScenario, type RawStep } from '../scenario.ts';
import { readTraceFile, readTraceText, traceKind, type TraceFile } from '../trace-file.ts';

type Outcome =
  | { readonly report: ReplayReport }
  | { readonly error: string }
  /** the model's own code threw during the replay: what threw, and the run to it (text) */
  | { readonly modelError: string };

/** A step to take: the action and parameters as the file wrote them, and where. */
interface FileStep {
  readonly index: number;
  readonly line: number | null;
  readonly action: string;
  readonly params: Readonly<Record<string, unknown>>;
}

function readText(file: string): string | { error: string } {
  if (!existsSync(file)) return { error: `${file}: no such file` };
  if (!statSync(file).isFile()) return { error: `${file}: not a file` };
  try {
    return readFileSync(file, 'utf8');
  } catch (e) {
    return { error: `${file}: cannot read it: ${e instanceof Error ? e.message : String(e)}` };
  }
}

/** What the file says of the model to replay on, before the command line's flags. */
interface Named {
  /** a trace's recorded job description (unchecked), or null */
  readonly job: unknown;
  readonly design: string | null;
  readonly designLine: number | null;
  readonly modelPath: string | null;
  readonly bounds: Partial<Bounds>;
  readonly faults: readonly FaultName[] | null;
  readonly settles: boolean | null;
  /** the file gives a loop: the model needs its liveness properties */
  readonly lasso: boolean;
}

/** The job to replay on, and where its design came from. */
interface Target {
  readonly job: JobDescription;
  readonly designFrom: 'flag' | 'file' | null;
}

/** The design the command line names (--design-file, --design), or undefined. */
function designOfFlags(args: ReplayArgs): Design | { error: string } | undefined {
  if (args.designFile !== undefined) return readDesignFile(args.designFile);
  if (args.design !== undefined) return designByName(args.design);
  return undefined;
}

/** A presence job with the command line's overrides: bounds, faults, settling. */
function overridden(job: PresenceJob, args: ReplayArgs, design: Design | undefined, designFile: string | null): PresenceJob | string {
  const bounds: Bounds = { ...job.bounds, ...args.boundsGiven };
  const problem = boundsError(bounds);
  if (problem !== null) return problem;
  return {
    ...job,
    design: design ?? job.design,
    designFile: design !== undefined ? designFile : job.designFile,
    bounds,
    options: {
      ...job.options,
      ...(args.faults !== undefined ? { faults: args.faults } : {}),
      ...(args.settles === false ? { settles: false } : {}),
    },
  };
}

/** The job description the replay runs on: the file's own (a trace's job, or a scenario's design and bounds), with the flags'. */
function targetOf(args: ReplayArgs, named: Named, at: (line: number | null) => string): Target | { error: string } {
  const flagged = designOfFlags(args);
  if (flagged !== undefined && 'error' in flagged) return flagged;
  const designFile = args.designFile ?? null;
  const recorded = named.job === null ? null : readJob(named.job);
  if (typeof recorded === 'string') return { error: `${at(null)}${recorded}` };

  if (args.modelPath !== undefined) {
    if (named.design !== null || recorded?.kind === 'presence')
      return { error: `${at(named.designLine)}design: does not apply to --model (it names a presence design)` };
    return {
      job: { kind: 'module', path: resolve(args.modelPath), liveness: recorded?.kind === 'module' ? recorded.liveness : true },
      designFrom: null,
    };
  }
  // a trace's recorded job: exactly the model the check built, but for what the flags change
  if (recorded !== null && (recorded.kind === 'presence' || flagged === undefined)) {
    if (recorded.kind === 'module') return { job: recorded, designFrom: null };
    const job = overridden(recorded, args, flagged, designFile);
    return typeof job === 'string' ? { error: `${at(null)}${job}` } : { job, designFrom: flagged !== undefined ? 'flag' : 'file' };
  }
  // an older trace that names a model file
  if (named.modelPath !== null && flagged === undefined)
    return { job: { kind: 'module', path: named.modelPath, liveness: true }, designFrom: null };

  let design = flagged;
  if (design === undefined && named.design !== null) {
    design = designByName(named.design);
    if (design === undefined)
      return {
        error: `${at(named.designLine)}unknown design '${named.design}' (designs: ${DESIGN_NAMES.join(', ')}; a design of your own: --design-file)`,
      };
  }
  if (design === undefined)
    return {
      error: `${at(null)}no design: give --design or --design-file, or \`design:\` in the file (designs: ${DESIGN_NAMES.join(', ')})`,
    };
  const base = presenceJob(
    design,
    designFile,
    { ...DEFAULT_BOUNDS, ...named.bounds },
    {
      faults: named.faults ?? [],
      // the steps name real users, tabs and meetings: nothing is reduced (replay never reads the encoding)
      symmetry: false,
      liveness: named.lasso,
      settles: named.settles ?? true,
    },
  );
  const job = overridden(base, args, undefined, designFile);
  return typeof job === 'string' ? { error: `${at(null)}${job}` } : { job, designFrom: flagged !== undefined ? 'flag' : 'file' };
}

/** The step as the model takes it: its parameters read with the model's own notation, checked against its domain. */
async function resolveStep(model: Model<unknown>, step: FileStep, job: JobDescription): Promise<ScenarioStep | string> {
  const action = model.actions.find((a) => a.name === step.action) as ActionDef<unknown, Params> | undefined;
  const names = model.actions.map((a) => a.name);
  if (action === undefined) {
    const d = job.kind === 'presence' ? job : null;
    /** whether `design` at these bounds (presence lagging, if asked) has the action: built the one way, from a job */
    const has = async (design: Design, lagged: boolean) =>
      d !== null &&
      (
        await buildModel(presenceJob(design, null, { ...d.bounds, lag: lagged ? Math.max(1, d.bounds.lag) : d.bounds.lag }, d.options))
      ).actions.some((a) => a.name === step.action);
    const elsewhere: string[] = [];
    if (d !== null) for (const n of DESIGN_NAMES) if (n !== d.design.name && (await has(designByName(n)!, true))) elsewhere.push(n);
    const atLag =
      d !== null && d.bounds.lag === 0 && (await has(d.design, true))
        ? ` (at --lag 0 presence never lags, so there is no ${step.action})`
        : '';
    const note = atLag !== '' ? atLag : elsewhere.length > 0 ? ` (it is a step of ${elsewhere.join(', ')}, not of ${d!.design.name})` : '';
    const whose = d !== null ? `design ${d.design.name}` : model.name;
    return `unknown action '${step.action}' for ${whose}${note}; ${whose}'s actions: ${names.join(', ')}`;
  }
  // each value with its type: a trace's 1 is the number 1, and '1' a word (no binding takes both)
  const params: Record<string, string | number | boolean> = {};
  for (const [key, raw] of Object.entries(step.params)) {
    if (typeof raw !== 'string' && typeof raw !== 'number' && typeof raw !== 'boolean')
      return `parameter ${key} must be a number, a word or true/false`;
    const read = typeof raw === 'string' ? (model.readParam?.(key, raw) ?? null) : null;
    if (read !== null) {
      for (const [k, v] of Object.entries(read)) {
        if (k in params && params[k] !== v) return `${key} ${raw} disagrees with ${k} ${params[k]}`;
        params[k] = v;
      }
    } else if (key in params && params[key] !== raw) return `${key} ${raw} disagrees with ${key} ${params[key]}`;
    else params[key] = raw;
  }
  const domain = action.domain ?? (action.params === undefined ? [{}] : undefined);
  if (domain === undefined) return { action: step.action, params };
  // a parameter every binding gives the same value is implied (webhooks' event: participant.left)
  for (const key of new Set(domain.flatMap((b) => Object.keys(b)))) {
    if (key in params) continue;
    const values = new Set(domain.map((b) => b[key]));
    if (values.size === 1 && domain.every((b) => key in b)) params[key] = domain[0][key];
  }
  const binding = domain.find((b) => sameParams(b, params));
  if (binding !== undefined) return { action: step.action, params: binding };
  if (domain.length === 1 && Object.keys(domain[0]).length === 0)
    return `bad parameters ${compact(step.params)}: ${step.action} takes none`;
  const text = (b: Params) =>
    `{${Object.entries(b)
      .filter(([k]) => k !== 'event')
      .map(([k, v]) => `${k}: ${compact(v)}`)
      .join(', ')}}`;
  const given = Object.keys(step.params).length === 0 ? '(none given)' : compact(step.params);
  return `bad parameters ${given}: ${step.action} takes one of ${domain.map(text).join(', ')}`;
}

/** "connect u1" */
function labelOf(model: Model<unknown>, action: string, params: Params): string {
  const text = model.paramsText ? model.paramsText(params) : Object.keys(params).length === 0 ? '' : compact(params);
  return text === '' ? action : `${action} ${text}`;
}

const UNDEFINED_ITF = { '#unserializable': 'undefined' };

/** Whether an ITF trace's first state (its variables as the file holds them) is the view `view`; a variable left out is one the view lacks. */
function sameItfState(view: unknown, state: Record<string, unknown>, whole: string | null, maps: readonly string[]): boolean {
  if (whole !== null) return deepEqual(encodeItfValue(view), state[whole]);
  if (!isRecord(view)) return false;
  const vars = new Set([...Object.keys(view).filter((v) => view[v] !== undefined), ...Object.keys(state)]);
  return [...vars].every((v) => {
    const expected = view[v] === undefined ? undefined : encodeItfValue(view[v], maps.includes(v));
    const actual = deepEqual(state[v], UNDEFINED_ITF) ? undefined : state[v];
    return deepEqual(expected, actual);
  });
}

/** Which initial state: by index, or by its view (a scenario's `initial:`, a trace's first state). */
function initialOf(model: Model<unknown>, initial: unknown, trace: TraceFile | null): number | string {
  const views = model.init.map((s) => viewOf(model, s));
  let k: number;
  if (typeof initial === 'number') {
    if (!Number.isInteger(initial) || initial < 0 || initial >= model.init.length) {
      return `initial state ${initial} does not exist (the model has ${model.init.length}: 0 to ${model.init.length - 1})`;
    }
    k = initial;
  } else {
    k = views.findIndex((v) => deepEqual(v, initial));
    if (k < 0) return `initial: ${compact(initial)} is none of the model's initial states (${views.map(compact).join('; ')})`;
  }
  if (trace === null || trace.firstState === undefined) return k;
  const same =
    trace.source === 'itf'
      ? isRecord(trace.firstState) && sameItfState(views[k], trace.firstState, trace.wholeState, model.viewMaps ?? [])
      : deepEqual(views[k], trace.firstState);
  return same
    ? k
    : `the trace's first state is not the model's initial state ${k} (${compact(views[k])}): was it written by another model or other bounds?`;
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

export async function runReplay(args: ReplayArgs): Promise<Outcome> {
  const file = args.file;
  const at = (line: number | null) => (line === null ? `${file}: ` : `${file}:${line}: `);
  const text = readText(file);
  if (typeof text !== 'string') return text;

  // a trace that check wrote (JSON, ITF; Markdown or Mermaid with its record), or a scenario
  let parsedJson: unknown = null;
  if (/^\s*\{/.test(text)) {
    try {
      parsedJson = JSON.parse(text);
    } catch {
      parsedJson = null;
    }
  }
  let trace: TraceFile | null = null;
  let steps: FileStep[];
  let named: Named;
  let loop: number | null = null;
  let initial: unknown = 0;
  let source: ReplayReport['source'] = 'scenario';
  const read = traceKind(parsedJson) !== null ? readTraceFile(parsedJson) : readTraceText(text);
  if (read !== null) {
    if ('error' in read) return { error: `${at(null)}${read.error}` };
    trace = read;
    source = read.source;
    steps = read.steps.map((s, i) => ({ index: i + 1, line: null, action: s.action, params: s.params ?? {} }));
    loop = read.loop;
    named = {
      job: read.job,
      design: read.design,
      designLine: null,
      modelPath: read.modelPath,
      bounds: (read.bounds ?? {}) as Partial<Bounds>,
      faults: null,
      settles: read.settles,
      lasso: loop !== null,
    };
    initial = read.initial;
  } else {
    const parsed = parseScenario(text, { json: /\.json$/i.test(file) });
    if (!parsed.ok) return { error: `${at(parsed.line)}${parsed.message}` };
    const s = parsed.scenario;
    steps = s.steps.map((r: RawStep) => ({ index: r.index, line: r.line, action: r.action, params: r.params }));
    loop = s.loop?.value ?? null;
    named = {
      job: null,
      design: s.design?.name ?? null,
      designLine: s.design?.line ?? null,
      modelPath: null,
      bounds: s.bounds,
      faults: s.faults?.value ?? null,
      settles: null,
      lasso: loop !== null,
    };
    if (s.initial !== null) initial = s.initial.value;
    if (args.modelPath !== undefined && Object.keys(s.bounds).length > 0)
      return { error: `${file}: bounds: do not apply to --model (they configure the presence designs)` };
    if (args.modelPath !== undefined && s.faults !== null)
      return { error: `${at(s.faults.line)}faults: do not apply to --model (they configure the presence designs)` };
  }

  const target = targetOf(args, named, at);
  if ('error' in target) return target;
  let model: Model<unknown>;
  try {
    model = await buildModel(target.job);
  } catch (e) {
    return { error: `${at(null)}${e instanceof Error ? e.message : String(e)}` };
  }
  const start = initialOf(model, initial, trace);
  if (typeof start === 'string') return { error: `${at(null)}${start}` };

  // every step's action and parameters, before anything runs
  const resolved: ScenarioStep[] = [];
  for (const step of steps) {
    const r = await resolveStep(model, step, target.job);
    if (typeof r === 'string') return { error: `${at(step.line)}step ${step.index} (${step.action}): ${r}` };
    resolved.push(r);
  }

  try {
    return replayResolved(file, model, target, source, start, resolved, steps, trace, loop, at);
  } catch (e) {
    if (!(e instanceof ModelCodeError)) throw e;
    const where = target.job.kind === 'presence' ? `design ${target.job.design.name}` : `model ${model.name}`;
    const run =
      e.trace.length > 1
        ? `\nin the state after step ${e.trace.length - 1} of the file:\n${formatTrace(plainTrace(model, e.trace), clockOf(model)).join('\n')}`
        : '';
    return { modelError: `model error in ${where}: ${e.message}${run}` };
  }
}

/** A trace's steps as the report shows them, or bare when the model's view or words throw too. */
function plainTrace(model: Model<unknown>, trace: readonly TraceStep<unknown>[]): TraceStepReport[] {
  try {
    return traceReport(model, trace);
  } catch {
    return trace.map((s, index) => ({
      index,
      action: s.action,
      params: s.params,
      description: s.action ?? 'initial state',
      state: compact(s.state),
    }));
  }
}

function replayResolved(
  file: string,
  model: Model<unknown>,
  target: Target,
  source: ReplayReport['source'],
  start: number,
  resolved: readonly ScenarioStep[],
  steps: readonly FileStep[],
  trace: TraceFile | null,
  loop: number | null,
  at: (line: number | null) => string,
): Outcome {
  // an ITF lasso that does not say how it closes: a step back to states[loop] exactly (the first, in the model's
  // order, that makes the lasso a fair behaviour, else the first), else (loop on the last state) a stutter
  let unclosed: string | null = null;
  let closed = false;
  const closeLasso =
    loop !== null && trace !== null && !trace.closed
      ? (run: readonly TraceStep<unknown>[]): ScenarioStep | null => {
          const candidates = closingSteps(model, run[run.length - 1].state, run[loop].state);
          const closing = candidates.find((c) => lassoShape(model, [...run, c], loop).unfair.length === 0) ?? candidates[0] ?? null;
          if (closing === null) {
            if (loop < run.length - 1) unclosed = `loop ${loop}: no step leads from the last state back to state ${loop}`;
            return null;
          }
          closed = true;
          return { action: closing.action!, params: closing.params };
        }
      : undefined;
  const result = replay(model, resolved, model.init[start], {
    deadlock: loop === null,
    ...(closeLasso !== undefined ? { lastStep: closeLasso } : {}),
  });
  if (unclosed !== null) return { error: `${at(null)}${unclosed}` };

  let notEnabled: ReplayReport['notEnabled'] = null;
  if (!result.ok) {
    const step = steps[result.step - 1];
    const r = resolved[result.step - 1];
    const label = labelOf(model, r.action, r.params ?? {});
    const where = result.step === 1 ? 'in the initial state' : `in the state after step ${result.step - 1}`;
    if (result.reason === 'unknown-action') return { error: `${at(step.line)}step ${step.index}: ${result.message}` };
    if (result.reason === 'bad-params' && model.actions.find((a) => a.name === r.action)?.domain === undefined) {
      // a user model's params() may depend on the state: the binding is not one it offers here
      return { error: `${at(step.line)}step ${step.index} (${label}): ${result.message} ${where}` };
    }
    const action = model.actions.find((a) => a.name === r.action) as ActionDef<unknown, Params>;
    const reason = action.explain?.(result.trace, r.params ?? {}) ?? `its guard is false ${where}`;
    notEnabled = { step: result.step, line: step.line, action: r.action, params: r.params ?? {}, label, reason };
  }

  const job = target.job;
  const presence = job.kind === 'presence' ? job : null;
  const frame: ReplayFrame = {
    file,
    source,
    design: presence?.design.name ?? null,
    designFrom: target.designFrom,
    modelPath: job.kind === 'module' ? job.path : null,
    bounds: presence !== null ? { ...presence.bounds } : null,
    boundsText: presence !== null ? boundsText(presence.bounds) : null,
    faults: presence !== null ? [...presence.options.faults] : null,
    faultBounds: presence !== null ? faultBoundsOf(presence.design, presence.options.faults, presence.options.faultBounds) : null,
    notJudged: presence !== null ? notJudgedOf(presence.design, presence.options.faults, presence.options.judge) : null,
    job: jobRecord(job),
  };
  const lines = [...steps.map((s) => s.line), ...(closed ? [null] : [])];
  return {
    report: buildReplayReport(model, frame, {
      initial: start,
      result,
      lines,
      loop,
      notEnabled,
      expected: trace === null ? null : trace.expected,
    }),
  };
}

/** The steps (in the model's order) from `from` to exactly `to`. */
function closingSteps(model: Model<unknown>, from: unknown, to: unknown): TraceStep<unknown>[] {
  const found: TraceStep<unknown>[] = [];
  forEachSuccessor(model.actions as readonly ActionDef<unknown, Params>[], from, (a, params, next) => {
    if (valueEquals(next, to)) found.push({ action: model.actions[a].name, params, state: next });
  });
  return found;
}

/**
 * The exit code, from the verdict (REPLAY_VERDICTS: 0 when it passes, else
 * 1), and, for a trace, whether the replay agrees with what its check found.
 */
export function replayExitCode(r: ReplayReport): number {
  if (r.expected !== null && !r.expected.agrees) return EXIT.failed;
  return REPLAY_VERDICTS[r.verdict].passes ? EXIT.holds : EXIT.failed;
}

/** `replay FILE`: bad input is one line on stderr (exit 2); a replay prints its report (exit 0 or 1); the model's throw exits 5. */
export async function replayCommand(options: ReplayArgs, io: IO): Promise<number> {
  const outcome = await runReplay(options);
  if ('error' in outcome) {
    io.stderr.write(`${errorLine(outcome.error)}\n`);
    return EXIT.badInput;
  }
  if ('modelError' in outcome) {
    io.stderr.write(`${errorLine(outcome.modelError)}\n`);
    return EXIT.modelError;
  }
  io.stdout.write(options.json ? `${jsonLine(outcome.report)}\n` : `${formatReplay(outcome.report)}\n`);
  return replayExitCode(outcome.report);
}
