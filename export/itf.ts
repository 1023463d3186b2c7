// Traces in the Informal Trace Format (ITF) of Apalache and Quint
// (https://apalache-mc.org/docs/adr/015adr-trace.html): a JSON object with
// `#meta`, `vars` and `states`, each state a record of the variables' values
// with integers as {"#bigint": "12"}, maps as {"#map": [[key, value], ...]},
// sets as {"#set": [...]}, lists as arrays and records as objects. The action
// of each step goes in its state's `#meta` (`action`, `params`), so that
// `fromItf` can read the run back as scenario steps for checker/replay.ts.
// Pure: no I/O.
import type { Params, ScenarioStep } from '../checker/index.ts';
import { stepCount } from '../report/text.ts';
import type { RunReport } from '../report/types.ts';
import { isPlainObject, tagOf } from '../report/view.ts';

export const ITF_FORMAT_DESCRIPTION = 'https://apalache-mc.org/docs/adr/015adr-trace.html';

export type ItfValue =
  | boolean
  | string
  | number
  | ItfValue[]
  | { '#bigint': string }
  | { '#set': ItfValue[] }
  | { '#map': [ItfValue, ItfValue][] }
  | { '#tup': ItfValue[] }
  | { '#unserializable': string }
  | { [field: string]: ItfValue };

export interface ItfStateMeta {
  readonly index: number;
  /** the action that led to this state (absent on the initial state) */
  readonly action?: string;
  readonly params?: Params;
  /** the model's sentence for the step */
  readonly description?: string;
}

export interface ItfState {
  readonly '#meta': ItfStateMeta;
  readonly [variable: string]: unknown;
}

export interface ItfTrace {
  readonly '#meta': Record<string, unknown>;
  readonly vars: readonly string[];
  readonly states: readonly ItfState[];
  /**
   * ADR-015: a lasso, whose last state is followed by states[loop] again,
   * forever. The step that closes the cycle is #meta.loopBack ({action,
   * params, description}); #meta.stutters: the behaviour stays in its last
   * state forever (loop = the last index, no step).
   */
  readonly loop?: number;
}

export interface ItfOptions {
  /**
   * Variables whose value is a map (an object keyed by data, like tabs by
   * name), written as #map; every other object is a record. Default: the
   * model's `viewMaps`.
   */
  readonly maps?: readonly string[];
}

/** The name of the one variable when a model's view is not an object of variables (or has names ITF reserves). */
export const WHOLE_STATE = 'state';

/**
 * A report's plain value (report/view.ts: JSON with #set, #map, #bigint and
 * #unserializable tags) as an ITF expression: integers as #bigint (their
 * exact digits, whatever their size), other numbers #unserializable, null
 * #unserializable; `asMap` makes this plain object a #map (keys are data).
 * A record field may not start with '#' (it would read as a tag): such an
 * object is written as a #map.
 */
export function encodeItfValue(v: unknown, asMap = false): ItfValue {
  if (typeof v === 'boolean' || typeof v === 'string') return v;
  if (typeof v === 'number') return Number.isInteger(v) ? { '#bigint': BigInt(v).toString() } : { '#unserializable': String(v) };
  if (typeof v === 'bigint') return { '#bigint': v.toString() };
  if (v === null || v === undefined) return { '#unserializable': String(v) };
  if (Array.isArray(v)) return v.map((x) => encodeItfValue(x));
  if (v instanceof Set) return { '#set': [...v].map((x) => encodeItfValue(x)) };
  if (v instanceof Map) return { '#map': [...v].map(([k, x]) => [encodeItfValue(k), encodeItfValue(x)]) };
  switch (tagOf(v)) {
    case '#set':
      return { '#set': (v as { '#set': unknown[] })['#set'].map((x) => encodeItfValue(x)) };
    case '#map':
      return { '#map': (v as { '#map': [unknown, unknown][] })['#map'].map(([k, x]) => [encodeItfValue(k), encodeItfValue(x)]) };
    case '#bigint':
      return { '#bigint': String((v as { '#bigint': unknown })['#bigint']) };
    case '#unserializable':
      return { '#unserializable': String((v as { '#unserializable': unknown })['#unserializable']) };
    default:
      break;
  }
  if (isPlainObject(v)) {
    const entries = Object.entries(v).filter(([, x]) => x !== undefined);
    if (asMap || entries.some(([k]) => k.startsWith('#'))) {
      return { '#map': entries.map(([k, x]) => [k, encodeItfValue(x)]) };
    }
    return Object.fromEntries(entries.map(([k, x]) => [k, encodeItfValue(x)]));
  }
  return { '#unserializable': String(v) };
}

/** The state variables: the view's keys, unless the view is not a record, or a key is one ITF reserves ('#...'). */
function variablesOf(report: RunReport): { vars: string[]; whole: boolean } {
  if (report.trace.length === 0) return { vars: [], whole: false };
  const records = report.trace.every((s) => isPlainObject(s.state) && tagOf(s.state) === null);
  if (!records) return { vars: [WHOLE_STATE], whole: true };
  const vars: string[] = [];
  for (const step of report.trace) {
    for (const k of Object.keys(step.state as Record<string, unknown>)) if (!vars.includes(k)) vars.push(k);
  }
  if (vars.some((v) => v.startsWith('#'))) return { vars: [WHOLE_STATE], whole: true };
  return { vars, whole: false };
}

/** The report's trace as an ITF object (deterministic: no timestamp). */
export function toItf(report: RunReport, options: ItfOptions = {}): ItfTrace {
  const maps = new Set(options.maps ?? report.viewMaps ?? []);
  const { vars, whole } = variablesOf(report);
  const bounds = report.boundsText;
  // a lasso: the trace's last state is trace[loop] again; ITF leaves it out and says loop
  const lasso = report.loop !== null;
  const closing = lasso && report.loop! < report.trace.length - 1 ? report.trace[report.trace.length - 1] : null;
  const written = closing !== null ? report.trace.slice(0, -1) : report.trace;
  const steps = stepCount(report.trace);
  const subject = report.design !== null ? `design ${report.design}` : `model ${report.model}`;
  const meta: Record<string, unknown> = {
    format: 'ITF',
    'format-description': ITF_FORMAT_DESCRIPTION,
    source: `presence-check ${subject}${bounds !== null ? ` (${bounds})` : ''}`,
    description:
      report.verdict !== 'violated'
        ? `no trace: ${report.verdict}`
        : (lasso
            ? `a behaviour that violates ${report.property}: a stem of ${report.loop} ${report.loop === 1 ? 'step' : 'steps'}, then ` +
              (closing === null
                ? `state ${report.loop} forever`
                : `${report.loop === written.length - 1 ? `state ${report.loop}` : `states ${report.loop}-${written.length - 1}`}, ` +
                  `then back to state ${report.loop} (#meta.loopBack), forever`)
            : `${report.simulation !== undefined ? 'a run (shrunk from a random walk)' : 'a shortest run'} after which ${report.property} is violated (${steps} ${steps === 1 ? 'step' : 'steps'})`) +
          `${report.propertyDescription !== null ? `: ${report.propertyDescription}` : ''}`,
    model: report.model,
    // the job the model was built from: replay rebuilds exactly this model
    job: report.job,
    ...(report.modelPath !== null ? { modelPath: report.modelPath } : {}),
    design: report.design,
    bounds: report.bounds,
    ...(report.faults !== null ? { faults: report.faults.inForce } : {}),
    ...(report.assumptions !== null ? { assumptions: report.assumptions } : {}),
    symmetry: report.symmetry,
    liveness: report.liveness,
    ...(report.settles !== null ? { settles: report.settles } : {}),
    verdict: report.verdict,
    property: report.property,
    ...(report.simulation !== undefined
      ? {
          simulation: {
            seed: report.simulation.seed,
            runs: report.simulation.runs,
            maxSteps: report.simulation.maxSteps,
            swarm: report.simulation.swarm,
          },
        }
      : {}),
    ...(report.verdict === 'violated' && !lasso ? { violatedAfterStep: steps } : {}),
    ...(closing !== null ? { loopBack: { action: closing.action, params: closing.params, description: closing.description } } : {}),
    ...(lasso && closing === null ? { stutters: true } : {}),
    ...(lasso ? { cycleLength: report.cycleLength } : {}),
    ...(report.initial !== null && report.initial !== 0 ? { initialState: report.initial } : {}),
    ...(whole ? { wholeState: WHOLE_STATE } : {}),
  };
  const states: ItfState[] = written.map((step, index) => {
    const stateMeta: ItfStateMeta =
      step.action === null ? { index } : { index, action: step.action, params: step.params, description: step.description };
    const values: Record<string, unknown> = {};
    if (whole) values[WHOLE_STATE] = encodeItfValue(step.state);
    else {
      const view = step.state as Record<string, unknown>;
      // a field the view has in some states only is left out where it has none (fromItf reads it so)
      for (const v of vars) if (view[v] !== undefined) values[v] = encodeItfValue(view[v], maps.has(v));
    }
    return { '#meta': stateMeta, ...values };
  });
  return { '#meta': meta, vars, states, ...(lasso ? { loop: report.loop! } : {}) };
}

/** The ITF as pretty JSON text, ending in a newline (what a .itf.json file holds). */
export function toItfJson(report: RunReport, options: ItfOptions = {}): string {
  return `${JSON.stringify(toItf(report, options), null, 2)}\n`;
}

// ------------------------------------------------------------- reading

export class ItfError extends Error {
  constructor(message: string) {
    super(`ITF: ${message}`);
    this.name = 'ItfError';
  }
}

const describe = (v: unknown) => {
  if (v === undefined) return 'nothing';
  const text = JSON.stringify(v) ?? String(v);
  return text.length > 60 ? `${text.slice(0, 59)}…` : text;
};

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** An ITF expression as a plain value: #bigint → number (bigint beyond 2^53), #map → object (Map if a key is not a string), #set → Set, #tup → array. */
export function decodeItfValue(v: unknown, where = 'value'): unknown {
  if (typeof v === 'boolean' || typeof v === 'string') return v;
  if (typeof v === 'number') {
    if (!Number.isInteger(v)) throw new ItfError(`${where}: ${v} is not an integer`);
    return v;
  }
  if (Array.isArray(v)) return v.map((x, i) => decodeItfValue(x, `${where}[${i}]`));
  if (!isObject(v)) throw new ItfError(`${where}: ${describe(v)} is not an ITF expression`);
  if ('#bigint' in v) {
    const digits = v['#bigint'];
    if (typeof digits !== 'string' || !/^-?[0-9]+$/.test(digits))
      throw new ItfError(`${where}: #bigint must be a string of digits (got ${describe(digits)})`);
    const big = BigInt(digits);
    return big >= BigInt(Number.MIN_SAFE_INTEGER) && big <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(big) : big;
  }
  if ('#map' in v) {
    const pairs = v['#map'];
    if (!Array.isArray(pairs)) throw new ItfError(`${where}: #map must be an array of [key, value] pairs (got ${describe(pairs)})`);
    const decoded = pairs.map((p, i) => {
      if (!Array.isArray(p) || p.length !== 2)
        throw new ItfError(`${where}: #map entry ${i} must be a [key, value] pair (got ${describe(p)})`);
      return [decodeItfValue(p[0], `${where} key ${i}`), decodeItfValue(p[1], `${where}[${describe(p[0])}]`)] as const;
    });
    return decoded.every(([k]) => typeof k === 'string') ? Object.fromEntries(decoded) : new Map(decoded);
  }
  if ('#set' in v || '#tup' in v) {
    const form = '#set' in v ? '#set' : '#tup';
    const items = v[form];
    if (!Array.isArray(items)) throw new ItfError(`${where}: ${form} must be an array (got ${describe(items)})`);
    const decoded = items.map((x, i) => decodeItfValue(x, `${where}[${i}]`));
    return form === '#set' ? new Set(decoded) : decoded;
  }
  if ('#unserializable' in v) {
    const text = v['#unserializable'];
    if (text === 'null') return null;
    if (text === 'undefined') return undefined;
    if (typeof text === 'string' && text.trim() !== '' && Number.isFinite(Number(text))) return Number(text);
    return text;
  }
  return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, decodeItfValue(x, `${where}.${k}`)]));
}

/** Quint's model-based-testing variables: the action taken and its nondeterministic picks. */
const QUINT_ACTION = 'mbt::actionTaken';
const QUINT_PICKS = 'mbt::nondetPicks';

function paramsOf(raw: unknown, where: string): Params {
  if (raw === undefined) return {};
  if (!isObject(raw)) throw new ItfError(`${where} must be an object of parameters (got ${describe(raw)})`);
  const out: Record<string, string | number | boolean> = {};
  for (const [k, x] of Object.entries(raw)) {
    let value = decodeItfValue(x, `${where}.${k}`);
    // Quint's picks are Option variants: Some(v) is v, None is no parameter
    if (isObject(value) && value.tag === 'None') continue;
    if (isObject(value) && value.tag === 'Some') value = value.value;
    if (typeof value !== 'string' && typeof value !== 'number' && typeof value !== 'boolean') {
      throw new ItfError(`${where}.${k} must be a string, an integer or a boolean (got ${describe(x)})`);
    }
    out[k] = value;
  }
  return out;
}

export interface ItfRun {
  /** the actions from the initial state on, for replay() (for a lasso with #meta.loopBack, the closing step last) */
  readonly steps: ScenarioStep[];
  /** a lasso's loop index (ADR-015 `loop`), or null */
  readonly loop: number | null;
  /** whether `steps` ends with the step that closes the cycle (#meta.loopBack), or the lasso stutters (#meta.stutters); false: the file does not say */
  readonly closed: boolean;
  /** each state's variables, decoded to plain values (the model's view, for a trace written by toItf) */
  readonly states: unknown[];
  readonly vars: string[];
  readonly meta: Record<string, unknown>;
}

/**
 * Reads an ITF trace (the object, or its JSON text) back: its actions as
 * scenario steps (from each state's `#meta.action` and `params`, or Quint's
 * mbt::actionTaken and mbt::nondetPicks) and its states as plain values.
 * Throws an ItfError naming the first thing that is not as expected.
 */
export function fromItf(json: unknown): ItfRun {
  let trace = json;
  if (typeof json === 'string') {
    try {
      trace = JSON.parse(json);
    } catch (e) {
      throw new ItfError(`not JSON: ${e instanceof Error ? e.message : String(e)}`);
    }
  }
  if (!isObject(trace)) throw new ItfError(`a trace must be a JSON object (got ${describe(trace)})`);
  const meta = trace['#meta'] ?? {};
  if (!isObject(meta)) throw new ItfError(`#meta must be an object (got ${describe(meta)})`);
  const vars = trace.vars;
  if (!Array.isArray(vars) || !vars.every((v): v is string => typeof v === 'string')) {
    throw new ItfError(`vars must be an array of variable names (got ${describe(vars)})`);
  }
  if (!Array.isArray(trace.states)) throw new ItfError(`states must be an array (got ${describe(trace.states)})`);
  const whole = typeof meta.wholeState === 'string' ? meta.wholeState : null;

  const steps: ScenarioStep[] = [];
  const states: unknown[] = [];
  trace.states.forEach((state: unknown, i: number) => {
    const at = `states[${i}]`;
    if (!isObject(state)) throw new ItfError(`${at} must be an object (got ${describe(state)})`);
    const stateMeta = state['#meta'] ?? {};
    if (!isObject(stateMeta)) throw new ItfError(`${at}['#meta'] must be an object (got ${describe(stateMeta)})`);
    if (stateMeta.index !== undefined && stateMeta.index !== i) {
      throw new ItfError(`${at}['#meta'].index is ${describe(stateMeta.index)}, expected ${i}`);
    }
    const values: Record<string, unknown> = {};
    for (const v of vars) {
      // a variable a state leaves out has no value there (a view with a field in some states only)
      if (!(v in state) || v === QUINT_ACTION || v === QUINT_PICKS) continue;
      values[v] = decodeItfValue(state[v], `${at}.${v}`);
    }
    states.push(whole !== null ? values[whole] : values);
    if (i === 0) return;
    const quint = stateMeta.action === undefined && typeof state[QUINT_ACTION] === 'string';
    const action = quint ? state[QUINT_ACTION] : stateMeta.action;
    if (typeof action !== 'string' || action === '') {
      throw new ItfError(`${at}['#meta'].action must name the action that led to this state (got ${describe(action)})`);
    }
    const params = quint ? paramsOf(state[QUINT_PICKS], `${at}['${QUINT_PICKS}']`) : paramsOf(stateMeta.params, `${at}['#meta'].params`);
    steps.push({ action, params });
  });
  let loop: number | null = null;
  let closed = false;
  if (trace.loop !== undefined) {
    const n = trace.states.length;
    if (typeof trace.loop !== 'number' || !Number.isInteger(trace.loop) || trace.loop < 0 || trace.loop >= n) {
      throw new ItfError(`loop must be the index of a state (0 to ${n - 1}) (got ${describe(trace.loop)})`);
    }
    loop = trace.loop;
    const back = meta.loopBack;
    if (back !== undefined) {
      if (!isObject(back) || typeof back.action !== 'string' || back.action === '') {
        throw new ItfError(`#meta.loopBack must be {action, params} (got ${describe(back)})`);
      }
      steps.push({ action: back.action, params: paramsOf(back.params, '#meta.loopBack.params') });
      closed = true;
    } else if (meta.stutters === true) {
      if (loop !== n - 1) throw new ItfError(`#meta.stutters: loop must be the last state's index (${n - 1}), got ${loop}`);
      closed = true;
    }
  }
  return { steps, states, vars: vars.filter((v) => v !== QUINT_ACTION && v !== QUINT_PICKS), meta, loop, closed };
}
