// A lasso judged on its own, from the definitions (liveness.ts has them):
// the trace is a stem, then a cycle from trace[loop] to the last state, which
// must be exactly trace[loop] again (loop = last: the behaviour stays in that
// state forever). It is a fair behaviour when, on the cycle, every weakly
// fair instance enabled at every cycle state is taken on the cycle, and every
// strongly fair instance enabled at some cycle state is taken on it (a
// stutter: no fair instance enabled), and no action declared finite is taken
// on it. It violates p ~> q when p holds at some
// position and q at none from there on, the cycle included. Replay uses this
// to check a lasso a check wrote, and the tests to check the checker's own.
import { encodeValue } from './encode.ts';
import { FairnessKeys, FINITE, STRONG, WEAK } from './fairness.ts';
import { IntCollector } from './fingerprint.ts';
import { ModelCodeError } from './errors.ts';
import { forEachSuccessor, ModelFault } from './successors.ts';
import type { ActionDef, LeadsToProperty, Model, Params, Step, TraceStep } from './types.ts';

export interface LassoJudgement {
  /** the last state is exactly trace[loop] (always true for a stutter) */
  readonly closes: boolean;
  /** the instances that make the cycle unfair, as "action(param=value, ...)" (empty: fair) */
  readonly unfair: readonly string[];
  /** the leadsTo properties this lasso violates, in declaration order */
  readonly violates: readonly string[];
}

/** A state's exact structural encoding (no symmetry reduction), as a string. */
function exactKey<S>(model: Model<S>, state: S): string {
  const out = new IntCollector();
  if (model.codec) model.codec.pack(state, out);
  else encodeValue(state, out);
  return out.take();
}

/** Judges the lasso; a throw from the model's own code is a ModelCodeError over the whole trace. */
export function judgeLasso<S>(model: Model<S>, trace: readonly TraceStep<S>[], loop: number): LassoJudgement {
  return guarded(trace, loop, () => judge(model, trace, loop, true));
}

/** Whether the lasso closes and is fair (its `violates` left empty: no property is evaluated). */
export function lassoShape<S>(model: Model<S>, trace: readonly TraceStep<S>[], loop: number): LassoJudgement {
  return guarded(trace, loop, () => judge(model, trace, loop, false));
}

function guarded<S>(trace: readonly TraceStep<S>[], loop: number, run: () => LassoJudgement): LassoJudgement {
  const last = trace.length - 1;
  if (!(loop >= 0 && loop <= last)) throw new RangeError(`loop ${loop} is not an index of the trace (0 to ${last})`);
  try {
    return run();
  } catch (e) {
    if (e instanceof ModelCodeError) throw e;
    if (e instanceof ModelFault)
      throw new ModelCodeError(e.part, e.cause, trace, e.step?.action ?? null, e.step?.params ?? null, e.property);
    throw new ModelCodeError('property', e, trace, null, null, null);
  }
}

function judge<S>(model: Model<S>, trace: readonly TraceStep<S>[], loop: number, properties: boolean): LassoJudgement {
  const last = trace.length - 1;
  const closes = loop === last || exactKey(model, trace[last].state) === exactKey(model, trace[loop].state);

  // fairness on the cycle: the states loop..last-1 (loop alone for a stutter), the steps loop+1..last
  const actions = model.actions as readonly ActionDef<S, Params>[];
  const keys = new FairnessKeys(model);
  const cycleStates = loop === last ? [trace[last].state] : trace.slice(loop, last).map((t) => t.state);
  const enabledAt = cycleStates.map((s) => {
    const here = new Map<string, number>();
    forEachSuccessor(actions, s, (a, params) => {
      const key = keys.key(a, params);
      if (key !== null) here.set(key, a);
    });
    return here;
  });
  const taken = new Set<string>();
  const unfair = new Map<string, string>();
  for (let j = loop + 1; j <= last; j++) {
    const a = actions.findIndex((x) => x.name === trace[j].action);
    const key = a < 0 ? null : keys.key(a, trace[j].params);
    if (key !== null) taken.add(key);
    // a finite action on the cycle would be taken forever
    if (key !== null && keys.kindOf(a) === FINITE) unfair.set(key, `${actions[a].name} (taken only finitely often)`);
  }
  const named = (key: string, a: number) => {
    const action = actions[a];
    const per = action.fairness !== undefined && typeof action.fairness === 'object' ? action.fairness.per : null;
    const values = key
      .split(',')
      .slice(1)
      .map((t) => t.replace(/^[nbsuj]/, '').replace(/^"(.*)"$/, '$1'));
    return per === null ? `${action.name}(${values.join(', ')})` : `${action.name}(${per.map((p, i) => `${p}=${values[i]}`).join(', ')})`;
  };
  for (const here of enabledAt) {
    for (const [key, a] of here) {
      if (taken.has(key) || unfair.has(key)) continue;
      const kind = keys.kindOf(a);
      if (kind === STRONG || (kind === WEAK && enabledAt.every((m) => m.has(key)))) unfair.set(key, named(key, a));
    }
  }

  if (!properties) return { closes, unfair: [...unfair.values()], violates: [] };
  // which leadsTo properties it violates: p at some position i, q at no entry from there on (the cycle's all)
  const stepAt = (j: number): Step<S> | undefined =>
    j === 0 ? undefined : { from: trace[j - 1].state, action: trace[j].action!, params: trace[j].params };
  const violates = model.properties
    .filter((p): p is LeadsToProperty<S> => p.kind === 'leadsTo')
    .filter((prop) => {
      const q = (j: number) => prop.q(trace[j].state, stepAt(j));
      // entries of the cycle: loop+1..last, each entered again every round (none for a stutter)
      if (trace.slice(loop + 1).some((_, i) => q(loop + 1 + i))) return false;
      for (let i = 0; i <= last; i++) {
        if (!prop.p(trace[i].state, stepAt(i))) continue;
        // from i on: the stem's entries i..loop (if i is in the stem), then the cycle's
        let quiet = true;
        for (let j = i; j <= Math.max(loop, i) && quiet; j++) if (q(j)) quiet = false;
        if (quiet) return true;
      }
      return false;
    })
    .map((p) => p.name);
  return { closes, unfair: [...unfair.values()], violates };
}
