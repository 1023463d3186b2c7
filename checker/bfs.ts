// Breadth-first exploration on one thread. States are expanded level by
// level, in discovery order, so the first violating state found is at minimal
// depth and its chain of first discoverers is a shortest trace. `always`
// properties are checked when a state is first discovered; `sometimes`
// properties on every transition (also into known states) until each is
// reached. parallel.ts runs the same search on worker threads.
import type { ActionDef, CheckOptions, CheckResult, LiveModel, Params } from './types.ts';
import { defaultEncoder, ExactSet, FingerprintSet, type VisitedSet } from './visited.ts';
import { rebuildTrace } from './trace.ts';
import { DEADLOCK } from './types.ts';
import { NO_PARAMS } from './successors.ts';
import { Ledger } from './ledger.ts';
import { newFrontier, type Frontier } from './frontier.ts';

export function newVisitedSet<S>(model: LiveModel<S>, options: CheckOptions): VisitedSet<S> {
  const encode = model.encode ?? defaultEncoder<S>();
  return options.exact ? new ExactSet(encode) : new FingerprintSet(encode);
}

/** Discovers the initial states into `frontier`; false if one violates an invariant. */
export function discoverInitial<S>(ledger: Ledger<S>, frontier: Frontier<S>): boolean {
  for (const s of ledger.model.init) {
    if (ledger.pending.length > 0) ledger.witness(s, undefined, 0);
    const id = ledger.visited.visit(s, -1);
    if (id < 0) continue;
    ledger.graph?.initial(s, id);
    frontier.push(s, id);
    if (!ledger.holds(s, id, 0)) break;
  }
  ledger.measure(frontier.size, frontier.bytes);
  return ledger.violation === null;
}

export function check<S>(model: LiveModel<S>, options: CheckOptions = {}): CheckResult<S> {
  const visited = newVisitedSet(model, options);
  const ledger = new Ledger(model, options, visited);
  const actions = model.actions as readonly ActionDef<S, Params>[];
  const fired = ledger.fired;
  const graph = ledger.graph; // null unless the model has liveness properties

  let frontier = newFrontier(model.codec);
  if (discoverInitial(ledger, frontier)) {
    search: while (frontier.size > 0) {
      if (ledger.atMaxDepth()) break;
      const next = newFrontier(model.codec);
      const at = ledger.depth + 1;
      for (let i = 0; i < frontier.size; i++) {
        const state = frontier.state(i);
        const parent = frontier.id(i);
        let enabled = 0;
        if (graph !== null) graph.node(parent);
        // the enumeration of successors.ts, inlined: this is the hot loop
        for (let a = 0; a < actions.length; a++) {
          const action = actions[a];
          const bindings = action.params ? action.params(state) : NO_PARAMS;
          for (const params of bindings) {
            if (!action.guard(state, params)) continue;
            const target = action.effect(state, params);
            enabled++;
            ledger.transitions++;
            fired[a]++;
            if (ledger.pending.length > 0) ledger.witness(target, { from: state, action: action.name, params }, at);
            const id = visited.visit(target, parent);
            if (graph !== null) graph.edge(id < 0 ? -id - 1 : id, a, params, state, action.name, target);
            if (id < 0) continue;
            if (!ledger.holds(target, id, at)) break search;
            next.push(target, id);
          }
        }
        if (enabled === 0 && ledger.deadlockIsError) {
          ledger.violate(DEADLOCK.name, parent, ledger.depth);
          break search;
        }
        if (ledger.overLimit(i + 1, frontier.size, next.size)) break search;
      }
      ledger.levelDone(next.size, next.bytes);
      frontier = next;
    }
  }
  return ledger.result((id) => rebuildTrace(model, visited, id));
}
