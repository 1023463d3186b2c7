// `replay FILE`: runs a scenario (cli/scenario.ts) step by step through
// checker/replay.ts on the unreduced model (no symmetry: the steps name real
// users, tabs and meetings), checks every invariant after each step, and
// ends in a ReplayReport, a plain value that the text report and --json are
// made from. Every problem with the input (the file, a design, an action
// name, a parameter) is one line (exit 2), found before any step runs (but
// for a user model's parameters, which its params() may offer only in some
// states); a step whose guard is false is a result (exit 1), with the reason.
import { existsSync, readFileSync, statSync } from 'node:fs';
import { List } from 'immutable';
import { replay, type Model, type Params, type ScenarioStep, type TraceStep } from '../checker/index.ts';
import {
  DEFAULT_BOUNDS, DESIGN_NAMES, boundsError, designByName, presenceModel, type Bounds, type Design, type State,
} from '../model/index.ts';
import { initialState, NEW_MEETING } from '../model/state.ts';
import { EXIT, type ExitCode } from './exit.ts';
import { explainPresence, type ExplainStep } from './explain.ts';
import { compact } from './report.ts';
import { describeOf, loadModelFile, viewOf, type TraceStepReport } from './run.ts';
import { parseScenario, type RawStep, type RawValue } from './scenario.ts';

export interface ReplayArgs {
  readonly command: 'replay';
  /** the scenario file, as given */
  readonly file: string;
  /** --design (overrides the file's `design:`) */
  readonly design?: string;
  /** the bound flags given (each overrides the file's `bounds:`) */
  readonly boundsGiven: Partial<Bounds>;
  readonly json: boolean;
  /** --model: replay on a user's model instead of a presence design */
  readonly modelPath?: string;
  readonly debug: boolean;
}

export interface ReplayTraceStep extends TraceStepReport {
  /** the step's line in the scenario file (null for the initial state) */
  readonly line: number | null;
}

export interface ReplayPropertyResult {
  readonly name: string;
  readonly kind: 'always' | 'sometimes';
  readonly description: string;
  /** always: holds | violated; sometimes: reached | unreached (over the steps replayed) */
  readonly status: 'holds' | 'violated' | 'reached' | 'unreached';
  /** the first step after which it fails (always) or holds (sometimes); 0 = the initial state */
  readonly step?: number;
}

export interface ReplayReport {
  readonly command: 'replay';
  /** the scenario file, as given */
  readonly file: string;
  /** the presence design, or null for --model */
  readonly design: string | null;
  /** where the design came from */
  readonly designFrom: 'flag' | 'file' | null;
  readonly model: string;
  readonly modelPath: string | null;
  readonly bounds: Bounds | null;
  /** always false for presence designs: the steps name real users, tabs and meetings */
  readonly symmetry: false | null;
  /** holds: every step replayed and every invariant held; violated: an invariant failed; not-enabled: a step could not be taken (and none failed) */
  readonly verdict: 'holds' | 'violated' | 'not-enabled';
  /** steps in the file */
  readonly steps: number;
  /** steps taken */
  readonly replayed: number;
  /** the first invariant to fail (earliest step, then declaration order) */
  readonly violation: { readonly property: string; readonly description: string; readonly step: number; readonly line: number | null } | null;
  /** the step that could not be taken, and why */
  readonly notEnabled: {
    readonly step: number; readonly line: number; readonly action: string; readonly params: Params;
    /** e.g. "connect u1" */
    readonly label: string;
    readonly reason: string;
  } | null;
  readonly properties: readonly ReplayPropertyResult[];
  /** the initial state and the state after each step taken */
  readonly trace: readonly ReplayTraceStep[];
}

export type ReplayOutcome = { readonly report: ReplayReport } | { readonly error: string };

export function replayExitCode(r: ReplayReport): ExitCode {
  return r.verdict === 'holds' ? EXIT.holds : EXIT.failed;
}

/** How a model's scenario steps are read, labelled and explained. */
interface Dialect<S> {
  readonly model: Model<S>;
  /** the step's action and parameters, as replay() wants them, or a message (bad input) */
  resolve(step: RawStep): ScenarioStep | string;
  /** "connect u1" */
  label(action: string, params: Params): string;
  /** why the step is not enabled after the last of `steps`, or null */
  explain(steps: readonly ExplainStep[], action: string, params: Params): string | null;
}

// ------------------------------------------------------------- presence

const USER = /^u(\d+)$/;
const MEETING = /^M(\d+)$/;
const TAB = /^u(\d+)#(\d+)$/;
const INTEGER = /^\d+$/;

/** {user: 1, tab: 2} → "u1#2"; {user: 1} → "u1"; {meeting: 1} → "M1"; the implied event is left out. */
export function presenceParamsText(p: Params): string {
  const parts: string[] = [];
  if (p.user !== undefined && p.tab !== undefined) parts.push(`u${p.user}#${p.tab}`);
  else if (p.user !== undefined) parts.push(`u${p.user}`);
  if (p.meeting !== undefined) parts.push(`M${p.meeting}`);
  for (const [k, v] of Object.entries(p)) if (!['user', 'tab', 'meeting', 'event'].includes(k)) parts.push(`${k}=${v}`);
  return parts.join(' ');
}

/** {user: 1, tab: 2} → "{tab: u1#2}", as a scenario may write it */
function presenceBindingText(p: Params): string {
  const entries: string[] = [];
  if (p.user !== undefined && p.tab !== undefined) entries.push(`tab: u${p.user}#${p.tab}`);
  else if (p.user !== undefined) entries.push(`user: u${p.user}`);
  if (p.meeting !== undefined) entries.push(`meeting: M${p.meeting}`);
  for (const [k, v] of Object.entries(p)) if (!['user', 'tab', 'meeting', 'event'].includes(k)) entries.push(`${k}: ${v}`);
  return `{${entries.join(', ')}}`;
}

const sameParams = (a: Params, b: Params) => {
  const ka = Object.keys(a);
  return ka.length === Object.keys(b).length && ka.every((k) => k in b && String(a[k]) === String(b[k]));
};

function presenceDialect(design: Design, bounds: Bounds): Dialect<State> {
  const model = presenceModel(design, bounds, { symmetry: false });
  // every binding an action can ever take: its params in a state with every meeting id in use
  const full = initialState(bounds.users, bounds.tabs)
    .set('meetings', List(Array.from({ length: bounds.users * bounds.tabs + 1 }, () => NEW_MEETING)));
  const bindings = new Map(model.actions.map((a) => [a.name, [...(a.params ? a.params(full) : [{}])] as Params[]]));
  const names = model.actions.map((a) => a.name);

  const unknownAction = (name: string): string => {
    const elsewhere = DESIGN_NAMES.filter((d) => d !== design.name
      && presenceModel(d, { ...bounds, lag: Math.max(1, bounds.lag) }).actions.some((a) => a.name === name));
    const atLag = bounds.lag === 0 && presenceModel(design, { ...bounds, lag: 1 }).actions.some((a) => a.name === name)
      ? ` (at --lag 0 presence never lags, so there is no ${name})` : '';
    const note = atLag !== '' ? atLag
      : elsewhere.length > 0 ? ` (it is a step of ${elsewhere.join(', ')}, not of ${design.name})` : '';
    return `unknown action '${name}' for design ${design.name}${note}; ${design.name}'s actions: ${names.join(', ')}`;
  };

  return {
    model,
    resolve(step) {
      const valid = bindings.get(step.action);
      if (valid === undefined) return unknownAction(step.action);
      const params: Record<string, RawValue> = {};
      let tabUser: number | null = null;
      for (const [key, raw] of Object.entries(step.params)) {
        const text = String(raw);
        let m: RegExpExecArray | null;
        if (key === 'user' && (m = USER.exec(text))) params.user = Number(m[1]);
        else if (key === 'meeting' && (m = MEETING.exec(text))) params.meeting = Number(m[1]);
        else if (key === 'tab' && (m = TAB.exec(text))) {
          tabUser = Number(m[1]);
          params.tab = Number(m[2]);
        } else params[key] = typeof raw === 'string' && INTEGER.test(raw) ? Number(raw) : raw;
      }
      if (tabUser !== null) {
        if (params.user !== undefined && String(params.user) !== String(tabUser)) {
          return `tab u${tabUser}#${params.tab} is not a tab of user ${step.params.user}`;
        }
        params.user = tabUser;
      }
      // a parameter every binding gives the same value is implied (webhooks' event: participant.left)
      for (const key of new Set(valid.flatMap((b) => Object.keys(b)))) {
        if (key in params) continue;
        const values = new Set(valid.map((b) => String(b[key])));
        if (values.size === 1 && valid.every((b) => key in b)) params[key] = valid[0][key];
      }
      const binding = valid.find((b) => sameParams(b, params));
      if (binding !== undefined) return { action: step.action, params: binding };
      if (valid.length === 1 && Object.keys(valid[0]).length === 0) {
        return `bad parameters ${compact(step.params)}: ${step.action} takes none`;
      }
      const given = Object.keys(step.params).length === 0 ? '(none given)' : compact(step.params);
      return `bad parameters ${given}: ${step.action} takes one of ${valid.map(presenceBindingText).join(', ')}`;
    },
    label: (action, params) => {
      const text = presenceParamsText(params);
      return text === '' ? action : `${action} ${text}`;
    },
    explain: (steps, action, params) => explainPresence(design, bounds, steps, action, params),
  };
}

// ----------------------------------------------------------- user models

function userDialect<S>(model: Model<S>): Dialect<S> {
  const names = model.actions.map((a) => a.name);
  return {
    model,
    resolve(step) {
      if (!names.includes(step.action)) return `unknown action '${step.action}' (actions of ${model.name}: ${names.join(', ')})`;
      return { action: step.action, params: step.params };
    },
    label: (action, params) => (Object.keys(params).length === 0 ? action : `${action} ${compact(params)}`),
    explain: () => null,
  };
}

// ------------------------------------------------------------------ run

function readScenarioFile(file: string): string | { error: string } {
  if (!existsSync(file)) return { error: `${file}: no such file` };
  if (!statSync(file).isFile()) return { error: `${file}: not a file` };
  try {
    return readFileSync(file, 'utf8');
  } catch (e) {
    return { error: `${file}: cannot read it: ${e instanceof Error ? e.message : String(e)}` };
  }
}

/** Reads, checks and replays the scenario; an error is one line (exit 2). */
export async function runReplay(args: ReplayArgs): Promise<ReplayOutcome> {
  const file = args.file;
  const at = (line: number | null) => (line === null ? `${file}: ` : `${file}:${line}: `);
  const text = readScenarioFile(file);
  if (typeof text !== 'string') return text;
  const parsed = parseScenario(text, { json: /\.json$/i.test(file) });
  if (!parsed.ok) return { error: `${at(parsed.line)}${parsed.message}` };
  const scenario = parsed.scenario;

  let dialect: Dialect<unknown>;
  let frame: Pick<ReplayReport, 'design' | 'designFrom' | 'modelPath' | 'bounds' | 'symmetry'>;
  if (args.modelPath !== undefined) {
    if (scenario.design !== null) return { error: `${at(scenario.design.line)}design: does not apply to --model (it names a presence design)` };
    if (Object.keys(scenario.bounds).length > 0) return { error: `${file}: bounds: do not apply to --model (they configure the presence designs)` };
    const loaded = await loadModelFile(args.modelPath);
    if ('error' in loaded) return loaded;
    dialect = userDialect(loaded.model);
    frame = { design: null, designFrom: null, modelPath: loaded.path, bounds: null, symmetry: null };
  } else {
    const name = args.design ?? scenario.design?.name;
    if (name === undefined) {
      return { error: `${file}: no design: give --design or \`design:\` in the file (designs: ${DESIGN_NAMES.join(', ')})` };
    }
    const design = designByName(name);
    if (design === undefined) {
      return { error: `${at(scenario.design?.line ?? null)}unknown design '${name}' (designs: ${DESIGN_NAMES.join(', ')})` };
    }
    const bounds: Bounds = { ...DEFAULT_BOUNDS, ...scenario.bounds, ...args.boundsGiven };
    const problem = boundsError(bounds);
    if (problem !== null) return { error: `${file}: ${problem}` };
    dialect = presenceDialect(design, bounds) as unknown as Dialect<unknown>;
    frame = { design: design.name, designFrom: args.design !== undefined ? 'flag' : 'file', modelPath: null, bounds, symmetry: false };
  }

  // every step's action and parameters, before anything runs
  const steps: ScenarioStep[] = [];
  for (const raw of scenario.steps) {
    const resolved = dialect.resolve(raw);
    if (typeof resolved === 'string') return { error: `${at(raw.line)}step ${raw.index} (${raw.action}): ${resolved}` };
    steps.push(resolved);
  }

  const model = dialect.model;
  const result = replay(model, steps);
  const trace = result.trace;
  const raws = scenario.steps;
  let notEnabled: ReplayReport['notEnabled'] = null;
  if (!result.ok) {
    const raw = raws[result.step - 1];
    const step = steps[result.step - 1];
    const label = dialect.label(step.action, step.params ?? {});
    if (result.reason === 'bad-params' && args.modelPath !== undefined) {
      // a user model's params() may depend on the state: the binding is not one it offers here
      const where = result.step === 1 ? 'in the initial state' : `in the state after step ${result.step - 1}`;
      return { error: `${at(raw.line)}step ${raw.index} (${label}): ${result.message} ${where}` };
    }
    if (result.reason === 'unknown-action') return { error: `${at(raw.line)}step ${raw.index}: ${result.message}` };
    // not-enabled, or (presence) a meeting the state has no binding for yet: the guard cannot hold
    const explainSteps: ExplainStep[] = trace.map((t, k) => ({
      action: t.action, params: t.params, state: t.state as State,
      description: k === 0 ? 'initial state' : describeOf(model, t.action!, t.params, trace[k - 1].state, t.state),
    }));
    const reason = dialect.explain(explainSteps, step.action, step.params ?? {})
      ?? `its guard is false ${result.step === 1 ? 'in the initial state' : `in the state after step ${result.step - 1}`}`;
    notEnabled = { step: result.step, line: raw.line, action: step.action, params: step.params ?? {}, label, reason };
  }

  return { report: buildReport(args, dialect, frame, trace, raws, notEnabled) };
}

function buildReport<S>(
  args: ReplayArgs, dialect: Dialect<S>, frame: Pick<ReplayReport, 'design' | 'designFrom' | 'modelPath' | 'bounds' | 'symmetry'>,
  trace: readonly TraceStep<S>[], raws: readonly RawStep[], notEnabled: ReplayReport['notEnabled'],
): ReplayReport {
  const model = dialect.model;
  const properties: ReplayPropertyResult[] = model.properties.map((p) => {
    for (let k = 0; k < trace.length; k++) {
      const t = trace[k];
      if (p.kind === 'always' && !p.condition(t.state)) {
        return { name: p.name, kind: p.kind, description: p.description, status: 'violated', step: k };
      }
      const step = k === 0 ? undefined : { from: trace[k - 1].state, action: t.action!, params: t.params };
      if (p.kind === 'sometimes' && p.condition(t.state, step)) {
        return { name: p.name, kind: p.kind, description: p.description, status: 'reached', step: k };
      }
    }
    return { name: p.name, kind: p.kind, description: p.description, status: p.kind === 'always' ? 'holds' : 'unreached' };
  });
  let first: ReplayPropertyResult | null = null;
  for (const p of properties) if (p.status === 'violated' && (first === null || p.step! < first.step!)) first = p;
  const violation = first === null ? null : {
    property: first.name, description: first.description, step: first.step!, line: first.step! > 0 ? raws[first.step! - 1].line : null,
  };
  return {
    command: 'replay',
    file: args.file,
    ...frame,
    model: model.name,
    verdict: violation !== null ? 'violated' : notEnabled !== null ? 'not-enabled' : 'holds',
    steps: raws.length,
    replayed: trace.length - 1,
    violation,
    notEnabled,
    properties,
    trace: trace.map((t, k) => ({
      index: k,
      action: t.action,
      params: t.params,
      description: k === 0 ? 'initial state' : describeOf(model, t.action!, t.params, trace[k - 1].state, t.state),
      state: viewOf(model, t.state),
      line: k === 0 ? null : raws[k - 1].line,
    })),
  };
}
