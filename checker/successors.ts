// Enumerates a state's transitions in the one fixed order the whole checker
// relies on: actions in declaration order, each action's parameter bindings
// in the order its `params` yields them.
import type { ActionDef, LiveModel, Params } from './types.ts';

/** The one binding of an action without parameters. */
export const NO_PARAMS: readonly Params[] = [Object.freeze({})];

export type Visit<S> = (action: ActionDef<S, Params>, params: Params, next: S) => boolean | void;

/** Calls `visit` for every enabled transition; stops early when `visit` returns true. */
export function forEachSuccessor<S>(model: LiveModel<S>, state: S, visit: Visit<S>): void {
  for (const action of model.actions as readonly ActionDef<S, Params>[]) {
    const bindings = action.params ? action.params(state) : NO_PARAMS;
    for (const params of bindings) {
      if (!action.guard(state, params)) continue;
      if (visit(action, params, action.effect(state, params)) === true) return;
    }
  }
}
