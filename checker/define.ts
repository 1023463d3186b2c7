// Small helpers to build a model value; they only fill in the shapes of types.ts.
import type { ActionDef, LeadsToProperty, Model, Params, StateProperty, Step, StepProperty } from './types.ts';
import { modelProblems } from './validate.ts';

export function always<S>(name: string, description: string, condition: (state: S) => boolean): StateProperty<S> {
  return { kind: 'always', name, description, condition };
}

/** A transition invariant: `condition(step, to)` must hold on every transition. */
export function alwaysStep<S>(name: string, description: string, condition: (step: Step<S>, to: S) => boolean): StepProperty<S> {
  return { kind: 'step', name, description, condition };
}

export function sometimes<S>(name: string, description: string, condition: (state: S, step?: Step<S>) => boolean): StateProperty<S> {
  return { kind: 'sometimes', name, description, condition };
}

/** p ~> q: in every fair behaviour, whenever p holds, q holds then or later (see liveness.ts). */
export function leadsTo<S>(
  name: string,
  description: string,
  p: (state: S, step?: Step<S>) => boolean,
  q: (state: S, step?: Step<S>) => boolean,
): LeadsToProperty<S> {
  return { kind: 'leadsTo', name, description, p, q };
}

/** <>q: every fair behaviour reaches q (p ~> q with p true exactly on initial states). */
export function eventually<S>(name: string, description: string, q: (state: S, step?: Step<S>) => boolean): LeadsToProperty<S> {
  return leadsTo(name, description, (_s, step) => step === undefined, q);
}

/** []<>q: q holds again and again, in every fair behaviour (p ~> q with p always true). */
export function alwaysEventually<S>(name: string, description: string, q: (state: S, step?: Step<S>) => boolean): LeadsToProperty<S> {
  return leadsTo(name, description, () => true, q);
}

export function action<S, P extends Params = Params>(def: ActionDef<S, P>): ActionDef<S, P> {
  return def;
}

/** Whether a value (e.g. a user module's export) is a well-formed model: see validate.ts for the problems. */
export function isModel(value: unknown): value is Model<unknown> {
  return modelProblems(value).length === 0;
}
