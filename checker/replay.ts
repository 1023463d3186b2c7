// Runs a given sequence of actions through a model, step by step: each step
// must name a declared action with a valid parameter binding whose guard
// holds. `always` properties are checked after every step, and transition
// invariants (`step` properties) on every step taken, and a final state
// in which no action is enabled is a deadlock (unless the model allows it),
// as the search would report it. The run starts from one of the model's
// initial states (the first unless told which). Used by scenario and trace
// replay, by ITF round-trips, and to confirm that a trace is a real run.
import { ModelCodeError } from './errors.ts';
import type { ActionDef, Model, Params, StateProperty, Step, StepProperty, TraceStep } from './types.ts';
import { DEADLOCK } from './types.ts';
import { bindingsOf, forEachSuccessor, ModelFault } from './successors.ts';

export interface ScenarioStep {
  readonly action: string;
  readonly params?: Params;
}

export type ReplayResult<S> =
  | {
      readonly ok: true;
      readonly trace: readonly TraceStep<S>[];
      /**
       * the first `always` property that fails, and the step (0 = the initial
       * state) after which it fails; or 'deadlock' after the last step
       */
      readonly violation: { readonly property: string; readonly step: number } | null;
    }
  | {
      readonly ok: false;
      /** 1-based index of the step that could not be taken */
      readonly step: number;
      readonly reason: 'unknown-action' | 'bad-params' | 'not-enabled';
      readonly message: string;
      /** the steps taken before the failing one */
      readonly trace: readonly TraceStep<S>[];
    };

/** Two bindings are the same when they have the same keys and values (as text: 1 and '1' agree). */
export function sameParams(a: Params, b: Params): boolean {
  const ka = Object.keys(a),
    kb = Object.keys(b);
  return ka.length === kb.length && ka.every((k) => Object.hasOwn(b, k) && String(a[k]) === String(b[k]));
}

export function formatParams(p: Params): string {
  return Object.entries(p)
    .map(([k, v]) => `${k}=${v}`)
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
export function replay<S>(model: Model<S>, steps: readonly ScenarioStep[], initial: S = model.init[0]): ReplayResult<S> {
  // invariants and transition invariants, in declaration order (the first to fail is the one reported)
  const invariants = model.properties.filter((p): p is StateProperty<S> | StepProperty<S> => p.kind === 'always' || p.kind === 'step');
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
  const holds = (p: StateProperty<S> | StepProperty<S>, s: S, step: Step<S> | undefined): boolean => {
    if (p.kind !== 'step') return p.condition(s);
    return step === undefined || p.condition(step, s);
  };
  const firstFailing = (s: S, step?: Step<S>) =>
    invariants.find((p) => !guarded('property', () => holds(p, s, step), step?.action ?? null, step?.params ?? null, p.name))?.name ?? null;
  let violation: { property: string; step: number } | null = null;
  const initialFailure = firstFailing(initial);
  if (initialFailure !== null) violation = { property: initialFailure, step: 0 };

  let state = initial;
  for (let k = 0; k < steps.length; k++) {
    const { action: name, params = {} } = steps[k];
    const fail = (reason: 'unknown-action' | 'bad-params' | 'not-enabled', message: string): ReplayResult<S> => ({
      ok: false,
      step: k + 1,
      reason,
      message,
      trace,
    });
    const action = model.actions.find((a) => a.name === name) as ActionDef<S, Params> | undefined;
    if (!action) {
      return fail('unknown-action', `unknown action '${name}' (actions: ${model.actions.map((a) => a.name).join(', ')})`);
    }
    const bindings = guarded('params', () => [...bindingsOf(action, state)], name, null);
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
    if (violation === null) {
      const failing = firstFailing(state, { from, action: name, params: binding });
      if (failing !== null) violation = { property: failing, step: k + 1 };
    }
  }
  if (violation === null && model.deadlockIsError !== false && !guarded('guard', () => hasSuccessor(model, state), null, null)) {
    violation = { property: DEADLOCK.name, step: steps.length };
  }
  return { ok: true, trace, violation };
}
