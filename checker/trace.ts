// Rebuilds the shortest trace to a state from the visited set's parent ids,
// by replaying the model (as TLC and Stateright do): from the initial state
// with the first id, take at each step the first transition (in the fixed
// order) whose target has the next id. Under a symmetry-reducing encoding the
// ids name equivalence classes, so what comes out is a real trace of the
// unreduced model that passes through one member of each class. A step
// property's violation ends with a transition rather than a state: the trace
// to its source, then the source's transition number `ordinal` (in the fixed
// order, counting enabled ones).
import type { ActionDef, Model, Params, TraceStep } from './types.ts';
import type { VisitedSet } from './visited.ts';
import { forEachSuccessor, type ModelFault } from './successors.ts';
import { ModelCodeError } from './errors.ts';

export function rebuildTrace<S>(model: Model<S>, visited: VisitedSet<S>, targetId: number, ordinal = -1): TraceStep<S>[] {
  const ids: number[] = [];
  for (let id = targetId; id >= 0; id = visited.parentOf(id)) ids.push(id);
  ids.reverse();

  const startIndex = model.init.findIndex((s) => visited.find(s) === ids[0]);
  if (startIndex < 0) throw new Error('trace rebuild: no initial state has the recorded id');
  const start = model.init[startIndex];
  const trace: TraceStep<S>[] = [{ action: null, params: {}, state: start }];
  const actions = model.actions as readonly ActionDef<S, Params>[];
  let current = start;
  for (let k = 1; k < ids.length; k++) {
    let found: TraceStep<S> | null = null;
    forEachSuccessor(actions, current, (a, params, next) => {
      if (visited.find(next) !== ids[k]) return false;
      found = { action: actions[a].name, params, state: next };
      return true;
    });
    if (found === null) throw new Error(`trace rebuild: no transition reaches the recorded state at step ${k}`);
    const step: TraceStep<S> = found;
    trace.push(step);
    current = step.state;
  }
  if (ordinal >= 0) {
    let k = 0;
    let last: TraceStep<S> | null = null;
    forEachSuccessor(actions, current, (a, params, next) => {
      if (k++ < ordinal) return false;
      last = { action: actions[a].name, params, state: next };
      return true;
    });
    if (last === null) throw new Error(`trace rebuild: the recorded state has no transition number ${ordinal}`);
    trace.push(last);
  }
  return trace;
}

/**
 * The error to give the caller for a fault the model's code raised while
 * `stateId` was being expanded (or, stateId -1, while the initial states were
 * read): the shortest trace to that state, and the step being tried.
 */
export function codeErrorOf<S>(fault: ModelFault<S>, model: Model<S>, visited: VisitedSet<S>, stateId: number): ModelCodeError<S> {
  const trace: TraceStep<S>[] = stateId >= 0 ? rebuildTrace(model, visited, stateId) : [];
  const step = fault.step;
  if (step !== null && fault.target !== null) trace.push({ action: step.action, params: step.params, state: fault.target });
  else if (trace.length === 0 && fault.target !== null) trace.push({ action: null, params: {}, state: fault.target });
  return new ModelCodeError(fault.part, fault.cause, trace, step?.action ?? null, step === null ? null : step.params, fault.property);
}
