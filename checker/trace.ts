// Rebuilds the shortest trace to a state from the visited set's parent ids,
// by replaying the model (as TLC and Stateright do): from the initial state
// with the first id, take at each step the first transition (in the fixed
// order) whose target has the next id. Under a symmetry-reducing encoding the
// ids name equivalence classes, so what comes out is a real trace of the
// unreduced model that passes through one member of each class.
import type { LiveModel, Params, TraceStep } from './types.ts';
import type { VisitedSet } from './visited.ts';
import { forEachSuccessor } from './successors.ts';

export function rebuildTrace<S>(model: LiveModel<S>, visited: VisitedSet<S>, targetId: number): TraceStep<S>[] {
  const ids: number[] = [];
  for (let id = targetId; id >= 0; id = visited.parentOf(id)) ids.push(id);
  ids.reverse();

  const startIndex = model.init.findIndex((s) => visited.find(s) === ids[0]);
  if (startIndex < 0) throw new Error('trace rebuild: no initial state has the recorded id');
  const start = model.init[startIndex];
  const trace: TraceStep<S>[] = [{ action: null, params: {}, state: start }];
  let current = start;
  for (let k = 1; k < ids.length; k++) {
    let found: { action: string; params: Params; state: S } | null = null;
    forEachSuccessor(model, current, (action, params, next) => {
      if (visited.find(next) !== ids[k]) return false;
      found = { action: action.name, params, state: next };
      return true;
    });
    if (found === null) throw new Error(`trace rebuild: no transition reaches the recorded state at step ${k}`);
    const step: { action: string; params: Params; state: S } = found;
    trace.push(step);
    current = step.state;
  }
  return trace;
}
