// `replay FILE`: runs a scenario (cli/scenario.ts), or a trace that check
// wrote (cli/trace-file.ts), step by step through checker/replay.ts on the
// unreduced model (no symmetry: the steps name real users, tabs and
// meetings), checks every invariant after each step and a deadlock after the
// last, and ends in a ReplayReport. Every problem with the input (the file,
// a design, an action name, a parameter, the initial state) is one line
// (exit 2), found before any step runs (but for a user model's parameters,
// which its params() may offer only in some states); a step whose guard is
// false is a result (exit 1), with the model's reason.
import { existsSync, readFileSync, statSync } from 'node:fs';
import {
  DEADLOCK,
  ModelCodeError,
  forEachSuccessor,
  formatParams,
  judgeLasso,
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
import { DEFAULT_BOUNDS, DESIGN_NAMES, boundsError, designByName, presenceModel, type Bounds, type Design } from '../../model/index.ts';
import { clockOf, describeStep, traceReport, viewOf } from '../../report/build.ts';
import { compact, deepEqual } from '../../report/text.ts';
import type { ReplayPropertyResult, ReplayReport, TraceStepReport } from '../../report/types.ts';
import type { ReplayArgs } from '../args/index.ts';
import { readDesignFile } from '../design-file.ts';
import { EXIT } from '../exit.ts';
import { errorLine, type IO } from '../io.ts';
import { boundsText } from '../jobs.ts';
import { loadModelFile } from '../load-model.ts';
import { parseScenario, type RawStep } from '../scenario.ts';
import { readTraceFile, traceKind, type TraceFile } from '../trace-file.ts';

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

/** What the replay runs on: the model, and how the report names it. */
interface Target {
  readonly model: Model<unknown>;
  readonly design: Design | null;
  readonly designFrom: 'flag' | 'file' | null;
  readonly modelPath: string | null;
  readonly bounds: Bounds | null;
}

/** What the file names, and whether the run is a lasso (the model then has its liveness properties, judged with `settles`). */
interface Named {
  readonly design: string | null;
  readonly designLine: number | null;
  readonly modelPath: string | null;
  readonly bounds: Partial<Bounds>;
  readonly lasso: boolean;
  readonly settles: boolean;
}

async function targetOf(args: ReplayArgs, named: Named, at: (line: number | null) => string): Promise<Target | { error: string }> {
  const modelPath = args.modelPath ?? (args.design === undefined && args.designFile === undefined ? named.modelPath : null);
  if (modelPath !== null && modelPath !== undefined) {
    if (named.design !== null && args.modelPath !== undefined)
      return { error: `${at(named.designLine)}design: does not apply to --model (it names a presence design)` };
    const loaded = await loadModelFile(modelPath);
    if ('error' in loaded) return loaded;
    return { model: loaded.model, design: null, designFrom: null, modelPath: loaded.path, bounds: null };
  }
  let design: Design | undefined;
  let from: 'flag' | 'file' = 'flag';
  if (args.designFile !== undefined) {
    const read = readDesignFile(args.designFile);
    if ('error' in read) return read;
    design = read;
  } else if (args.design !== undefined) design = designByName(args.design);
  else if (named.design !== null) {
    from = 'file';
    design = designByName(named.design);
    if (design === undefined)
      return {
        error: `${at(named.designLine)}unknown design '${named.design}' (designs: ${DESIGN_NAMES.join(', ')}; a design of your own: --design-file)`,
      };
  } else
    return {
      error: `${at(null)}no design: give --design or --design-file, or \`design:\` in the file (designs: ${DESIGN_NAMES.join(', ')})`,
    };
  const bounds: Bounds = { ...DEFAULT_BOUNDS, ...named.bounds, ...args.boundsGiven };
  const problem = boundsError(bounds);
  if (problem !== null) return { error: `${at(null)}${problem}` };
  const model = presenceModel(design!, bounds, { symmetry: false, liveness: named.lasso, settles: named.settles });
  return { model: model as unknown as Model<unknown>, design: design!, designFrom: from, modelPath: null, bounds };
}

/** The step as the model takes it: its parameters read with the model's own notation, checked against its domain. */
function resolveStep(model: Model<unknown>, step: FileStep, target: Target): ScenarioStep | string {
  const action = model.actions.find((a) => a.name === step.action) as ActionDef<unknown, Params> | undefined;
  const names = model.actions.map((a) => a.name);
  if (action === undefined) {
    const d = target.design;
    const elsewhere =
      d === null
        ? []
        : DESIGN_NAMES.filter(
            (n) =>
              n !== d.name &&
              presenceModel(n, { ...target.bounds!, lag: Math.max(1, target.bounds!.lag) }).actions.some((a) => a.name === step.action),
          );
    const atLag =
      d !== null && target.bounds!.lag === 0 && presenceModel(d, { ...target.bounds!, lag: 1 }).actions.some((a) => a.name === step.action)
        ? ` (at --lag 0 presence never lags, so there is no ${step.action})`
        : '';
    const note = atLag !== '' ? atLag : elsewhere.length > 0 ? ` (it is a step of ${elsewhere.join(', ')}, not of ${d!.name})` : '';
    const whose = d !== null ? `design ${d.name}` : model.name;
    return `unknown action '${step.action}' for ${whose}${note}; ${whose}'s actions: ${names.join(', ')}`;
  }
  const params: Record<string, string | number | boolean> = {};
  for (const [key, raw] of Object.entries(step.params)) {
    if (typeof raw !== 'string' && typeof raw !== 'number' && typeof raw !== 'boolean')
      return `parameter ${key} must be a number, a word or true/false`;
    const read = typeof raw === 'string' ? (model.readParam?.(key, raw) ?? null) : null;
    if (read !== null) {
      for (const [k, v] of Object.entries(read)) {
        if (k in params && String(params[k]) !== String(v)) return `${key} ${raw} disagrees with ${k} ${params[k]}`;
        params[k] = v;
      }
    } else if (key in params && String(params[key]) !== String(raw)) return `${key} ${raw} disagrees with ${key} ${params[key]}`;
    else params[key] = typeof raw === 'string' && /^\d+$/.test(raw) ? Number(raw) : raw;
  }
  const domain = action.domain ?? (action.params === undefined ? [{}] : undefined);
  if (domain === undefined) return { action: step.action, params };
  // a parameter every binding gives the same value is implied (webhooks' event: participant.left)
  for (const key of new Set(domain.flatMap((b) => Object.keys(b)))) {
    if (key in params) continue;
    const values = new Set(domain.map((b) => String(b[key])));
    if (values.size === 1 && domain.every((b) => key in b)) params[key] = domain[0][key];
  }
  const binding = domain.find((b) => sameParams(b, params));
  if (binding !== undefined) return { action: step.action, params: binding };
  if (domain.length === 1 && Object.keys(domain[0]).length === 0)
    return `bad parameters ${compact(step.params)}: ${step.action} takes none`;
  const text = (b: Params) =>
    `{${Object.entries(b)
      .filter(([k]) => k !== 'event')
      .map(([k, v]) => `${k}: ${v}`)
      .join(', ')}}`;
  const given = Object.keys(step.params).length === 0 ? '(none given)' : compact(step.params);
  return `bad parameters ${given}: ${step.action} takes one of ${domain.map(text).join(', ')}`;
}

/** "connect u1" */
function labelOf(model: Model<unknown>, action: string, params: Params): string {
  const text = model.paramsText ? model.paramsText(params) : Object.keys(params).length === 0 ? '' : compact(params);
  return text === '' ? action : `${action} ${text}`;
}

/** Which initial state: by index, or by its view (a scenario's `initial:`, a trace's first state). */
function initialOf(model: Model<unknown>, initial: unknown, firstState: unknown, source: 'scenario' | 'json' | 'itf'): number | string {
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
  if (firstState === undefined) return k;
  const same =
    source === 'itf'
      ? isRecord(firstState) &&
        Object.entries(firstState).every(([v, x]) =>
          deepEqual(encodeItfValue((views[k] as Record<string, unknown>)?.[v] ?? views[k], (model.viewMaps ?? []).includes(v)), x),
        )
      : deepEqual(views[k], firstState);
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

  // a trace that check wrote, or a scenario
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
  let source: 'scenario' | 'json' | 'itf' = 'scenario';
  if (traceKind(parsedJson) !== null) {
    const read = readTraceFile(parsedJson);
    if ('error' in read) return { error: `${at(null)}${read.error}` };
    trace = read;
    source = read.source;
    steps = read.steps.map((s, i) => ({ index: i + 1, line: null, action: s.action, params: s.params ?? {} }));
    loop = read.loop;
    named = {
      design: read.design,
      designLine: null,
      modelPath: read.modelPath,
      bounds: (read.bounds ?? {}) as Partial<Bounds>,
      lasso: loop !== null,
      settles: args.settles ?? read.settles ?? true,
    };
    initial = read.initial;
  } else {
    const parsed = parseScenario(text, { json: /\.json$/i.test(file) });
    if (!parsed.ok) return { error: `${at(parsed.line)}${parsed.message}` };
    const s = parsed.scenario;
    steps = s.steps.map((r: RawStep) => ({ index: r.index, line: r.line, action: r.action, params: r.params }));
    loop = s.loop?.value ?? null;
    named = {
      design: s.design?.name ?? null,
      designLine: s.design?.line ?? null,
      modelPath: null,
      bounds: s.bounds,
      lasso: loop !== null,
      settles: args.settles ?? true,
    };
    if (s.initial !== null) initial = s.initial.value;
    if (args.modelPath !== undefined && Object.keys(s.bounds).length > 0)
      return { error: `${file}: bounds: do not apply to --model (they configure the presence designs)` };
  }

  const target = await targetOf(args, named, at);
  if ('error' in target) return target;
  const model = target.model;
  const start = initialOf(model, initial, trace?.firstState, source);
  if (typeof start === 'string') return { error: `${at(null)}${start}` };

  // every step's action and parameters, before anything runs
  const resolved: ScenarioStep[] = [];
  for (const step of steps) {
    const r = resolveStep(model, step, target);
    if (typeof r === 'string') return { error: `${at(step.line)}step ${step.index} (${step.action}): ${r}` };
    resolved.push(r);
  }

  try {
    return replayResolved(args, model, target, source, start, resolved, steps, trace, loop, at);
  } catch (e) {
    if (!(e instanceof ModelCodeError)) throw e;
    const where = target.design !== null ? `design ${target.design.name}` : `model ${model.name}`;
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
  args: ReplayArgs,
  model: Model<unknown>,
  target: Target,
  source: ReplayReport['source'],
  start: number,
  resolved: readonly ScenarioStep[],
  fileSteps: readonly FileStep[],
  trace: TraceFile | null,
  loop: number | null,
  at: (line: number | null) => string,
): Outcome {
  let steps = fileSteps;
  const result = replay(model, resolved, model.init[start]);
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
  let run = result.trace;
  if (notEnabled === null && loop !== null && trace !== null && !trace.closed) {
    // an ITF lasso that does not say how it closes: a step back to states[loop] exactly (the first, in the model's
    // order, that makes the lasso a fair behaviour, else the first), else (loop on the last state) a stutter
    const candidates = closingSteps(model, run[run.length - 1].state, run[loop].state);
    const fair = (c: TraceStep<unknown>) => judgeLasso(model, [...run, c], loop!).unfair.length === 0;
    const closing = candidates.find(fair) ?? candidates[0] ?? null;
    if (closing === null && loop < run.length - 1)
      return { error: `${at(null)}loop ${loop}: no step leads from the last state back to state ${loop}` };
    if (closing !== null) {
      run = [...run, closing];
      steps = [...steps, { index: steps.length + 1, line: null, action: closing.action!, params: closing.params }];
    }
  }
  return { report: buildReport(args, model, target, source, start, run, steps, notEnabled, trace, notEnabled === null ? loop : null) };
}

/** The steps (in the model's order) from `from` to exactly `to`. */
function closingSteps(model: Model<unknown>, from: unknown, to: unknown): TraceStep<unknown>[] {
  const found: TraceStep<unknown>[] = [];
  forEachSuccessor(model.actions as readonly ActionDef<unknown, Params>[], from, (a, params, next) => {
    if (valueEquals(next, to)) found.push({ action: model.actions[a].name, params, state: next });
  });
  return found;
}

function buildReport(
  args: ReplayArgs,
  model: Model<unknown>,
  target: Target,
  source: ReplayReport['source'],
  initial: number,
  trace: readonly TraceStep<unknown>[],
  steps: readonly FileStep[],
  notEnabled: ReplayReport['notEnabled'],
  file: TraceFile | null,
  loop: number | null,
): ReplayReport {
  const judged = loop === null ? null : judgeLasso(model, trace, loop);
  const behaviour = judged?.closes && judged.unfair.length === 0;
  const properties: ReplayPropertyResult[] = model.properties.map((p) => {
    if (p.kind === 'leadsTo') {
      const status = !behaviour ? 'not-judged' : judged!.violates.includes(p.name) ? 'violated' : 'holds';
      return {
        name: p.name,
        kind: p.kind,
        description: p.description,
        status,
        ...(status === 'violated' ? { step: trace.length - 1 } : {}),
      };
    }
    for (let k = 0; k < trace.length; k++) {
      const t = trace[k];
      const step = k === 0 ? undefined : { from: trace[k - 1].state, action: t.action!, params: t.params };
      let holds: boolean;
      try {
        // a transition invariant is judged on each step taken (the initial state has none)
        holds = p.kind === 'step' ? step === undefined || p.condition(step, t.state) : p.condition(t.state, step);
      } catch (e) {
        throw new ModelCodeError('property', e, trace.slice(0, k + 1), t.action, k === 0 ? null : t.params, p.name);
      }
      if (p.kind !== 'sometimes' && !holds) return { name: p.name, kind: p.kind, description: p.description, status: 'violated', step: k };
      if (p.kind === 'sometimes' && holds) return { name: p.name, kind: p.kind, description: p.description, status: 'reached', step: k };
    }
    return { name: p.name, kind: p.kind, description: p.description, status: p.kind === 'sometimes' ? 'unreached' : 'holds' };
  });
  let first: ReplayPropertyResult | null = null;
  for (const p of properties) if (p.status === 'violated' && (first === null || p.step! < first.step!)) first = p;
  // (a lasso has no deadlock: it goes on forever)
  // a deadlock: every step taken, and nothing enabled in the last state
  if (first === null && notEnabled === null && loop === null && model.deadlockIsError !== false) {
    const result = replay(model, [], trace[trace.length - 1].state);
    if (result.ok && result.violation?.property === DEADLOCK.name) {
      first = { name: DEADLOCK.name, kind: 'deadlock', description: DEADLOCK.description, status: 'violated', step: trace.length - 1 };
      properties.push(first);
    }
  }
  const violation =
    first === null
      ? null
      : {
          property: first.name,
          description: first.description,
          step: first.step!,
          line: first.step! > 0 ? steps[first.step! - 1].line : null,
        };
  const verdict =
    violation !== null ? 'violated' : notEnabled !== null ? 'not-enabled' : judged !== null && !behaviour ? 'not-a-behaviour' : 'holds';
  const expected =
    file === null
      ? null
      : {
          ...file.expected,
          agrees:
            file.expected.verdict === 'violated'
              ? violation !== null &&
                violation.property === file.expected.property &&
                notEnabled === null &&
                (file.expected.step === null ? judged !== null : violation.step === file.expected.step)
              : verdict === 'holds',
        };
  return {
    command: 'replay',
    file: args.file,
    source,
    design: target.design?.name ?? null,
    designFrom: target.designFrom,
    model: model.name,
    modelPath: target.modelPath,
    bounds: target.bounds === null ? null : { ...target.bounds },
    boundsText: target.bounds === null ? null : boundsText(target.bounds),
    symmetry: target.design !== null ? false : null,
    initial,
    verdict,
    steps: steps.length,
    replayed: trace.length - 1,
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
      line: k === 0 ? null : steps[k - 1].line,
    })),
    clock: clockOf(model),
  };
}

/** The exit code: 0 when every step replayed and every property held (and, for a trace, as the check found), else 1. */
export function replayExitCode(r: ReplayReport): number {
  if (r.expected !== null && !r.expected.agrees) return EXIT.failed;
  return r.verdict === 'holds' ? EXIT.holds : EXIT.failed;
}

/** `replay FILE`: bad input is one line on stderr (exit 2); a replay prints its report (exit 0 or 1). */
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

export { formatParams };
