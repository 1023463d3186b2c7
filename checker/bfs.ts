// Breadth-first exploration on one thread. States are expanded level by
// level, in discovery order, so the first violating state found is at minimal
// depth and its chain of first discoverers is a shortest trace. `always`
// properties are checked when a state is first discovered; `sometimes`
// properties on every transition (also into known states) until each is
// reached. When the model has liveness (leadsTo) properties, the search also
// records the state graph (graph.ts), on which liveness is decided once the
// search is complete (liveness.ts). parallel.ts runs the same search on
// worker threads.
import type { ActionDef, CheckOptions, CheckResult, Model, Params, Step } from './types.ts';
import { createVisitedSet, defaultEncoder, type VisitedSet } from './visited.ts';
import { codeErrorOf, rebuildTrace } from './trace.ts';
import { DEADLOCK } from './types.ts';
import { forEachSuccessor, ModelFault } from './successors.ts';
import { Ledger } from './ledger.ts';
import { newFrontier, type Frontier } from './frontier.ts';
import { assertModel } from './validate.ts';
import { assertEncodingSample } from './encoding-check.ts';
import { ModelDefinitionError } from './errors.ts';

export function newVisitedSet<S>(model: Model<S>, options: CheckOptions): VisitedSet<S> {
  return createVisitedSet(options.exact ? 'exact' : 'fingerprint', model.encode ?? defaultEncoder<S>());
}

/**
 * What every search does before it starts: refuse a malformed model (a
 * ModelDefinitionError), and test the encoding on the first states against
 * the model's own equality (an EncodingClashError).
 */
export function prepare<S>(model: Model<S>, options: CheckOptions): void {
  assertModel(model);
  // transition invariants are judged by simulate and replay; until the search judges them too
  // (issue 22), a model with one is refused here rather than reported to hold unchecked
  const step = model.properties.find((p) => p.kind === 'step');
  if (step !== undefined)
    throw new ModelDefinitionError(
      `property ${step.name} is a transition invariant (alwaysStep), which check does not judge yet: use simulate`,
    );
  assertEncodingSample(model, options.encodingSample ?? DEFAULT_ENCODING_SAMPLE);
}

/** States the encoding is tested on before a search, unless CheckOptions.encodingSample says otherwise. */
export const DEFAULT_ENCODING_SAMPLE = 2000;

/** Discovers the initial states into `frontier`; false if one violates an invariant. */
export function discoverInitial<S>(ledger: Ledger<S>, frontier: Frontier<S>): boolean {
  for (const s of ledger.model.init) {
    try {
      if (ledger.pending.length > 0) ledger.witness(s, undefined, 0);
      const id = ledger.visited.visit(s, -1);
      if (id < 0) continue;
      ledger.graph?.initial(s, id);
      frontier.push(s, id);
      if (!ledger.holds(s, id, 0)) break;
    } catch (e) {
      if (e instanceof ModelFault) throw codeErrorOf(e, ledger.model, ledger.visited, -1);
      throw e;
    }
  }
  ledger.measure(frontier.size, frontier.bytes);
  return ledger.violation === null;
}

export function check<S>(model: Model<S>, options: CheckOptions = {}): CheckResult<S> {
  prepare(model, options);
  const visited = newVisitedSet(model, options);
  const ledger = new Ledger(model, options, visited);
  const actions = model.actions as readonly ActionDef<S, Params>[];
  const fired = ledger.fired;
  // the state graph, for liveness: null unless the model has leadsTo properties
  const graph = ledger.graph;

  let frontier = newFrontier(model.codec);
  let next = newFrontier(model.codec);
  // the state being expanded, and what the visitor needs of it
  let state: S;
  let parent = -1;
  let at = 0;
  let stop = false;
  const visit = (a: number, params: Params, target: S): boolean => {
    ledger.transitions++;
    fired[a]++;
    try {
      if (ledger.pending.length > 0) ledger.witness(target, { from: state, action: actions[a].name, params }, at);
      // a step that returns its own source (the same object) is a self-loop: that state is known, so it is not encoded again
      const id = target === state ? -parent - 1 : visited.visit(target, parent);
      if (graph !== null) graph.edge(id < 0 ? -id - 1 : id, a, params, state, actions[a].name, target);
      if (id < 0) return false;
      if (!ledger.holds(target, id, at)) return (stop = true);
      next.push(target, id);
    } catch (e) {
      if (e instanceof ModelFault && e.step === null) {
        e.step = { from: state, action: actions[a].name, params } satisfies Step<S>;
        e.target = target;
      }
      throw e;
    }
    return false;
  };

  try {
    if (discoverInitial(ledger, frontier)) {
      while (frontier.size > 0 && !ledger.atMaxDepth()) {
        at = ledger.depth + 1;
        for (let i = 0; i < frontier.size && !stop; i++) {
          state = frontier.state(i);
          parent = frontier.id(i);
          if (graph !== null) graph.node(parent);
          const enabled = forEachSuccessor(actions, state, visit);
          if (stop) break;
          if (enabled === 0 && ledger.deadlockIsError) {
            ledger.violate(DEADLOCK.name, parent, ledger.depth);
            stop = true;
          } else if (ledger.overLimit(i + 1, frontier.size, next.size)) stop = true;
        }
        if (stop) break;
        ledger.levelDone(next.size, next.bytes);
        frontier = next;
        next = newFrontier(model.codec);
      }
    }
  } catch (e) {
    if (e instanceof ModelFault) throw codeErrorOf(e, model, visited, parent);
    throw e;
  }
  return ledger.result((id) => rebuildTrace(model, visited, id));
}
