// Enumerates a state's transitions in the one fixed order the whole checker
// relies on: actions in declaration order, each action's parameter bindings
// in the order its `params` yields them. The one-thread search, the worker
// threads, trace rebuilding and replay all enumerate through here, so they
// agree on that order. A throw from the model's params, guard or effect is
// wrapped in a ModelFault that says which action and binding threw; the
// bindings themselves are made values on first sight (bindingsOf).
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

const PLAIN = Object.prototype;

function shown(v: unknown): string {
  if (typeof v === 'object' && v !== null) {
    const name = (v as { constructor?: { name?: unknown } }).constructor?.name;
    if (typeof name === 'string' && name !== '' && name !== 'Object') return `a ${name}`;
    try {
      return JSON.stringify(v) ?? String(v);
    } catch {
      return String(v);
    }
  }
  return typeof v === 'string' ? JSON.stringify(v) : String(v);
}

/**
 * A binding the model handed out, made a value: frozen the first time the
 * checker meets it (shallow: its values are primitives), so that a model
 * that changes it afterwards gets a TypeError at that line rather than a
 * fairness instance, a trace or a step that silently says something else.
 * The same object twice in a row is refused too: it is how a generator that
 * reuses one object looks where the engine does not throw (sloppy mode).
 */
function own(p: unknown, previous: unknown): Params {
  if (typeof p !== 'object' || p === null) throw new TypeError(`params() handed out ${shown(p)}, not an object of parameters`);
  if (p === previous)
    throw new TypeError(
      `params() handed out the same binding object twice in a row (${shown(p)}): each binding must be an object of its own ` +
        '(bindings are values; a generator that changes one object between yields would explore only its last value)',
    );
  if (!Object.isFrozen(p)) {
    const proto = Object.getPrototypeOf(p) as unknown;
    if (proto !== PLAIN && proto !== null) throw new TypeError(`params() handed out ${shown(p)}, not a plain object of parameters`);
    Object.freeze(p);
  }
  return p as Params;
}

/**
 * The bindings of `action` in `state`, in the order its params() gives
 * them, each frozen (see own()). Anything params() does wrong (it throws,
 * while called or while iterated; it returns something not iterable; it
 * hands out a non-object, or one object twice in a row) is a
 * ModelFault('params') on this state.
 */
export function bindingsOf<S>(action: ActionDef<S, Params>, state: S): readonly Params[] {
  if (!action.params) return NO_PARAMS;
  let given: unknown;
  try {
    given = action.params(state);
  } catch (e) {
    throw paramsFault(action, state, e);
  }
  return checkGiven(action, state, given);
}

function paramsFault<S>(action: ActionDef<S, Params>, state: S, e: unknown): ModelFault<S> {
  return new ModelFault('params', e, { from: state, action: action.name, params: {} }, null, null);
}

/** What params() returned, checked and its bindings made values (see bindingsOf). */
function checkGiven<S>(action: ActionDef<S, Params>, state: S, given: unknown): readonly Params[] {
  try {
    let previous: unknown;
    if (Array.isArray(given)) {
      for (let i = 0; i < given.length; i++) previous = own(given[i], previous);
      return given as readonly Params[];
    }
    if (typeof given !== 'object' || given === null || typeof (given as { [Symbol.iterator]?: unknown })[Symbol.iterator] !== 'function')
      throw new TypeError(`params() returned ${shown(given)}, not an iterable of bindings (an array, or a generator)`);
    const out: Params[] = [];
    for (const p of given as Iterable<unknown>) out.push((previous = own(p, previous)));
    return out;
  } catch (e) {
    throw paramsFault(action, state, e);
  }
}

/**
 * The last binding array each action's params() handed out, when it was a
 * frozen array that bindingsOf() checked: handed out again (a model that
 * keeps its binding lists, as most do), it needs no second check, since
 * nothing can change a frozen array or its frozen bindings. Kept for one
 * action list at a time (the search's).
 */
let checkedFor: readonly unknown[] | null = null;
let checked: unknown[] = [];
/** no checked array: a value params() can never return */
const UNCHECKED = Symbol('unchecked');

function checkedBindings<S>(actions: readonly ActionDef<S, Params>[], a: number, state: S): readonly Params[] {
  const action = actions[a];
  if (!action.params) return NO_PARAMS;
  if (checkedFor !== actions) {
    checkedFor = actions;
    checked = new Array(actions.length).fill(UNCHECKED);
  }
  let given: unknown;
  try {
    given = action.params(state);
  } catch (e) {
    throw paramsFault(action, state, e);
  }
  if (given === checked[a]) return given as readonly Params[];
  const bindings = checkGiven(action, state, given);
  checked[a] = Array.isArray(given) && Object.isFrozen(given) ? given : UNCHECKED;
  return bindings;
}

/**
 * Calls `visit` for every enabled transition of `state`, in the fixed order;
 * returns how many there were (up to the one where `visit` returned true).
 */
export function forEachSuccessor<S>(actions: readonly ActionDef<S, Params>[], state: S, visit: Visit<S>): number {
  let enabled = 0;
  for (let a = 0; a < actions.length; a++) {
    const action = actions[a];
    const bindings = checkedBindings(actions, a, state);
    for (let b = 0; b < bindings.length; b++) {
      const params = bindings[b];
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
