// Runs a given sequence of actions through a model, step by step: each step
// must name a declared action with a valid parameter binding whose guard
// holds. `always` properties are checked on every state, `step` properties
// on every step, `sometimes` witnesses on every state and the step into it,
// each property once per state or step until its status is settled (an
// invariant fails, a witness is reached); a final state in which no action is
// enabled is a deadlock (unless the model allows it), as the search would
// report it. The run starts from one of the model's initial states (the
// first unless told which). Used by scenario and trace replay, by ITF
// round-trips, and to confirm that a trace is a real run.
import { ModelCodeError } from './errors.ts';
import { isInvariant, isStepProperty, isWitness } from './ledger.ts';
import type { ActionDef, Model, Params, Step, TraceStep } from './types.ts';
import { DEADLOCK } from './types.ts';
import { bindingsOf, forEachSuccessor, ModelFault } from './successors.ts';

export interface ScenarioStep {
  readonly action: string;
  readonly params?: Params;
}

/** What a replay found of one property over the steps it took. */
export interface ReplayedProperty {
  readonly name: string;
  readonly kind: 'always' | 'step' | 'sometimes';
  /**
   * always: the first state (0 = the initial state, k = after step k) where
   * it fails; step: the first step that violates it; sometimes: the first
   * state where it holds (on that state and the step into it); null: never
   */
  readonly step: number | null;
}

export type ReplayResult<S> =
  | {
      readonly ok: true;
      readonly trace: readonly TraceStep<S>[];
      /**
       * the first invariant or step property that fails (earliest step; on
       * one step, as the search checks them: step properties, then
       * invariants, each in declaration order), and the step (0 = the initial
       * state) after which it fails; else 'deadlock' after the last step
       * (unless options.deadlock is false)
       */
      readonly violation: { readonly property: string; readonly step: number } | null;
      /** every always, step and sometimes property, in declaration order */
      readonly properties: readonly ReplayedProperty[];
    }
  | {
      readonly ok: false;
      /** 1-based index of the step that could not be taken */
      readonly step: number;
      readonly reason: 'unknown-action' | 'bad-params' | 'not-enabled';
      readonly message: string;
      /** the steps taken before the failing one */
      readonly trace: readonly TraceStep<S>[];
      /** the first invariant or step property that fails over the steps taken (as for ok), or null */
      readonly violation: { readonly property: string; readonly step: number } | null;
      /** the properties over the steps taken */
      readonly properties: readonly ReplayedProperty[];
    };

export interface ReplayOptions<S> {
  /** report a final state without enabled actions as a deadlock (default true; a lasso never ends, so it has none) */
  readonly deadlock?: boolean;
  /**
   * One more step, chosen once the given ones are taken (null: none), and
   * replayed and judged like them: the step that closes a lasso whose file
   * does not say how it closes.
   */
  readonly lastStep?: (trace: readonly TraceStep<S>[]) => ScenarioStep | null;
}

/** Two bindings are the same when they have the same keys and, for each, the same value of the same type (1 and '1' differ). */
export function sameParams(a: Params, b: Params): boolean {
  const ka = Object.keys(a),
    kb = Object.keys(b);
  return (
    ka.length === kb.length &&
    ka.every((k) => Object.hasOwn(b, k) && (a[k] === b[k] || (Number.isNaN(a[k] as number) && Number.isNaN(b[k] as number))))
  );
}

export function formatParams(p: Params): string {
  return Object.entries(p)
    .map(([k, v]) => `${k}=${typeof v === 'string' && /^-?\d+(\.\d+)?$|^(true|false)$/.test(v) ? JSON.stringify(v) : v}`)
    .join(', ');
}

/** Whether any action is enabled in `state`. */
export function hasSuccessor<S>(model: Model<S>, state: S): boolean {
  return forEachSuccessor(model.actions as readonly ActionDef<S, Params>[], state, () => true) > 0;
}

/**
 * Replays `steps` from `initial`. A throw from the model's own code (params,
 * guard, effect, a property) is a ModelCodeError with the run so far, as in
 * the search.
 */
export function replay<S>(
  model: Model<S>,
  steps: readonly ScenarioStep[],
  initial: S = model.init[0],
  options: ReplayOptions<S> = {},
): ReplayResult<S> {
  const trace: TraceStep<S>[] = [{ action: null, params: {}, state: initial }];
  /** runs the model's code, turning a throw into a ModelCodeError at this point of the run */
  const guarded = <T>(
    part: 'params' | 'guard' | 'effect' | 'property',
    run: () => T,
    action: string | null,
    params: Params | null,
    property: string | null = null,
  ): T => {
    try {
      return run();
    } catch (e) {
      if (e instanceof ModelCodeError) throw e;
      if (e instanceof ModelFault) {
        throw new ModelCodeError(e.part, e.cause, [...trace], e.step?.action ?? action, e.step?.params ?? params, e.property ?? property);
      }
      throw new ModelCodeError(part, e, [...trace], action, params, property);
    }
  };

  // each property's status so far: settled ones are not evaluated again
  const invariants = model.properties.filter(isInvariant<S>);
  const stepProperties = model.properties.filter(isStepProperty<S>);
  const witnesses = model.properties.filter(isWitness<S>);
  const settled = new Map<string, number>();
  let violation: { property: string; step: number } | null = null;
  const fail = (name: string, k: number) => {
    settled.set(name, k);
    violation ??= { property: name, step: k };
  };
  /** Evaluates the unsettled properties on state k (and step k, which entered it): as the search does, the step's first. */
  const judge = (k: number, state: S, step: Step<S> | undefined): void => {
    const at = step === undefined ? null : step.action;
    const with_ = step === undefined ? null : step.params;
    if (step !== undefined)
      for (const p of stepProperties)
        if (!settled.has(p.name) && !guarded('property', () => p.condition(step, state), at, with_, p.name)) fail(p.name, k);
    for (const p of invariants)
      if (!settled.has(p.name) && !guarded('property', () => p.condition(state), at, with_, p.name)) fail(p.name, k);
    for (const p of witnesses)
      if (!settled.has(p.name) && guarded('property', () => p.condition(state, step), at, with_, p.name)) settled.set(p.name, k);
  };
  const statuses = (): ReplayedProperty[] =>
    model.properties
      .filter((p) => p.kind !== 'leadsTo')
      .map((p) => ({ name: p.name, kind: p.kind as ReplayedProperty['kind'], step: settled.get(p.name) ?? null }));

  judge(0, initial, undefined);
  let state = initial;
  const todo = steps.slice();
  let asked = false;
  for (let k = 0; ; k++) {
    if (k === todo.length) {
      if (asked || options.lastStep === undefined) break;
      asked = true;
      const extra = options.lastStep(trace);
      if (extra === null) break;
      todo.push(extra);
    }
    const { action: name, params = {} } = todo[k];
    const fail = (reason: 'unknown-action' | 'bad-params' | 'not-enabled', message: string): ReplayResult<S> => ({
      ok: false,
      step: k + 1,
      reason,
      message,
      trace,
      violation,
      properties: statuses(),
    });
    const action = model.actions.find((a) => a.name === name) as ActionDef<S, Params> | undefined;
    if (!action) {
      return fail('unknown-action', `unknown action '${name}' (actions: ${model.actions.map((a) => a.name).join(', ')})`);
    }
    const bindings = guarded('params', () => bindingsOf(action, state), name, null);
    const binding = bindings.find((b) => sameParams(b, params));
    if (!binding) {
      const valid = bindings.map((b) => `{${formatParams(b)}}`).join(' ');
      return fail('bad-params', `action '${name}' takes no binding {${formatParams(params)}} (valid: ${valid || 'none'})`);
    }
    if (!guarded('guard', () => action.guard(state, binding), name, binding)) {
      return fail('not-enabled', `${name}(${formatParams(binding)}) is not enabled after step ${k}`);
    }
    const from = state;
    state = guarded('effect', () => action.effect(from, binding), name, binding);
    trace.push({ action: name, params: binding, state });
    judge(k + 1, state, { from, action: name, params: binding });
  }
  if (
    violation === null &&
    options.deadlock !== false &&
    model.deadlockIsError !== false &&
    !guarded('guard', () => hasSuccessor(model, state), null, null)
  ) {
    violation = { property: DEADLOCK.name, step: todo.length };
  }
  return { ok: true, trace, violation, properties: statuses() };
}
