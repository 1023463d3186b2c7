// Breadth-first exploration on one thread. States are expanded level by
// level, in discovery order, so the first violating state found is at minimal
// depth and its chain of first discoverers is a shortest trace. `always`
// properties are checked when a state is first discovered; `step`
// properties on every transition (also into known states, and self-loops);
// `sometimes` properties on every transition until each is reached. On a
// transition: the witnesses first, then the step properties, then the
// target is looked up, and if new, the invariants. When the model has liveness (leadsTo) properties, the search also
// records the state graph (graph.ts), on which liveness is decided once the
// search is complete (liveness.ts). parallel.ts runs the same search on
// worker threads.
import type { ActionDef, CheckOptions, CheckResult, EncodingCheck, Model, Params, Step } from './types.ts';
import { createVisitedSet, defaultEncoder, type VisitedSet } from './visited.ts';
import { codeErrorOf, rebuildTrace } from './trace.ts';
import { DEADLOCK } from './types.ts';
import { forEachSuccessor, ModelFault } from './successors.ts';
import { Ledger } from './ledger.ts';
import { newFrontier, type Frontier } from './frontier.ts';
import { assertModel } from './validate.ts';
import { assertEncodingSample } from './encoding-check.ts';

export function newVisitedSet<S>(model: Model<S>, options: CheckOptions): VisitedSet<S> {
  // under a memory budget the fingerprints spill to disk (disk-visited.ts)
  const kind = options.exact ? 'exact' : options.memory !== undefined ? 'disk' : 'fingerprint';
  return createVisitedSet(kind, model.encode ?? defaultEncoder<S>());
}

/**
 * What every search does before it starts: refuse a malformed model (a
 * ModelDefinitionError), and test the encoding on the first states against
 * the model's own equality (an EncodingClashError), and its codec's round
 * trip (a CodecLossError). Returns what that self-check covered.
 */
export function prepare<S>(model: Model<S>, options: CheckOptions): EncodingCheck {
  assertModel(model);
  return assertEncodingSample(model, options.encodingSample ?? DEFAULT_ENCODING_SAMPLE);
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
  return search(model, options, prepare(model, options));
}

/** The search proper, on one thread, once prepare() has passed (`covered`: what its self-check covered). */
export function search<S>(model: Model<S>, options: CheckOptions, covered: EncodingCheck): CheckResult<S> {
  const visited = newVisitedSet(model, options);
  const ledger = new Ledger(model, options, visited, covered);
  const checkSteps = ledger.stepProperties.length > 0;
  const actions = model.actions as readonly ActionDef<S, Params>[];
  const fired = ledger.fired;
  // the state graph, for liveness: null unless the model has leadsTo properties
  const graph = ledger.graph;

  // under a memory budget (ledger.spill) the frontiers spill to disk in blocks
  let frontier = newFrontier(model.codec, ledger.spill);
  let next = newFrontier(model.codec, ledger.spill);
  // the state being expanded, and what the visitor needs of it
  let state: S;
  let parent = -1;
  let at = 0;
  let stop = false;
  // the state's transitions so far (a step property's violation is "transition number k of state parent")
  let ordinal = 0;
  const visit = (a: number, params: Params, target: S): boolean => {
    ledger.transitions++;
    fired[a]++;
    const k = ordinal++;
    try {
      const step: Step<S> | undefined =
        ledger.pending.length > 0 || checkSteps ? { from: state, action: actions[a].name, params } : undefined;
      if (ledger.pending.length > 0) ledger.witness(target, step, at);
      if (checkSteps && !ledger.stepHolds(step!, target, parent, k, at)) return (stop = true);
      // a step that returns its own source (the same object) is a self-loop: that state is known, so it is not encoded again
      const id = Object.is(target, state) ? -parent - 1 : visited.visit(target, parent);
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
          parent = frontier.id(i);
          state = frontier.state(i);
          ordinal = 0;
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
        // the expanded level's buffers hold the level after next
        const expanded = frontier;
        frontier = next;
        expanded.clear();
        next = expanded;
      }
    }
  } catch (e) {
    if (e instanceof ModelFault) throw codeErrorOf(e, model, visited, parent);
    throw e;
  }
  return ledger.result((id, k) => rebuildTrace(model, visited, id, k));
}
