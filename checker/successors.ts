// Enumerates a state's transitions in the one fixed order the whole checker
// relies on: actions in declaration order, each action's parameter bindings
// in the order its `params` yields them. The one-thread search, the worker
// threads, trace rebuilding and replay all enumerate through here, so they
// agree on that order. A throw from the model's params, guard or effect is
// wrapped in a ModelFault that says which action and binding threw.
import type { ActionDef, Params, Step } from './types.ts';
import type { ModelPart } from './errors.ts';

/** The one binding of an action without parameters. */
export const NO_PARAMS: readonly Params[] = [Object.freeze({})];

/**
 * The model's code threw while the checker was exploring. Carries where (the
 * caller fills in the step it was on); the search turns it into a
 * ModelCodeError with the trace that led there.
 */
export class ModelFault<S = unknown> {
  constructor(
    readonly part: ModelPart,
    readonly cause: unknown,
    /** the step being taken (params, guard, effect; and encode or a property of its target) */
    public step: Step<S> | null,
    /** the step's target, when the effect had produced it */
    public target: S | null,
    readonly property: string | null,
  ) {}
}

/** Called with each enabled transition: the action's index, its binding, the target. Return true to stop. */
// biome-ignore lint/suspicious/noConfusingVoidType: a visitor that never stops returns nothing (void), one that may returns true
export type Visit<S> = (action: number, params: Params, next: S) => boolean | void;

/** The bindings of `action` in `state`. */
export function bindingsOf<S>(action: ActionDef<S, Params>, state: S): Iterable<Params> {
  if (!action.params) return NO_PARAMS;
  try {
    return action.params(state);
  } catch (e) {
    throw new ModelFault('params', e, { from: state, action: action.name, params: {} }, null, null);
  }
}

/**
 * Calls `visit` for every enabled transition of `state`, in the fixed order;
 * returns how many there were (up to the one where `visit` returned true).
 */
export function forEachSuccessor<S>(actions: readonly ActionDef<S, Params>[], state: S, visit: Visit<S>): number {
  let enabled = 0;
  for (let a = 0; a < actions.length; a++) {
    const action = actions[a];
    for (const params of bindingsOf(action, state)) {
      let next: S;
      try {
        if (!action.guard(state, params)) continue;
      } catch (e) {
        throw new ModelFault('guard', e, { from: state, action: action.name, params }, null, null);
      }
      try {
        next = action.effect(state, params);
      } catch (e) {
        throw new ModelFault('effect', e, { from: state, action: action.name, params }, null, null);
      }
      enabled++;
      if (visit(a, params, next) === true) return enabled;
    }
  }
  return enabled;
}
