// Small helpers to build a model value; they only fill in the shapes of types.ts.
import type { ActionDef, InvariantProperty, LeadsToProperty, Model, Params, Step, StepProperty, WitnessProperty } from './types.ts';
import { modelProblems } from './validate.ts';

/** An invariant: the condition holds in every reachable state. It sees the state only (for a step: alwaysStep). */
// biome-ignore lint/suspicious/noExplicitAny: S defaults to any where no model type is at hand to infer it from (see __states in types.ts)
export function always<S = any>(name: string, description: string, condition: (state: S) => boolean): InvariantProperty<S> {
  return { kind: 'always', name, description, condition };
}

/** A transition invariant ([][A]_vars): the condition holds on every transition, from `step.from` to `to`. */
// biome-ignore lint/suspicious/noExplicitAny: as for always
export function alwaysStep<S = any>(name: string, description: string, condition: (step: Step<S>, to: S) => boolean): StepProperty<S> {
  return { kind: 'step', name, description, condition };
}

// biome-ignore lint/suspicious/noExplicitAny: as for always
export function sometimes<S = any>(
  name: string,
  description: string,
  condition: (state: S, step?: Step<S>) => boolean,
): WitnessProperty<S> {
  return { kind: 'sometimes', name, description, condition };
}

/** p ~> q: in every fair behaviour, whenever p holds, q holds then or later (see liveness.ts). */
// biome-ignore lint/suspicious/noExplicitAny: as for always
export function leadsTo<S = any>(
  name: string,
  description: string,
  p: (state: S, step?: Step<S>) => boolean,
  q: (state: S, step?: Step<S>) => boolean,
): LeadsToProperty<S> {
  return { kind: 'leadsTo', name, description, p, q };
}

/** <>q: every fair behaviour reaches q (p ~> q with p true exactly on initial states). */
// biome-ignore lint/suspicious/noExplicitAny: as for always
export function eventually<S = any>(name: string, description: string, q: (state: S, step?: Step<S>) => boolean): LeadsToProperty<S> {
  return leadsTo(name, description, (_s, step) => step === undefined, q);
}

/** []<>q: q holds again and again, in every fair behaviour (p ~> q with p always true). */
// biome-ignore lint/suspicious/noExplicitAny: as for always
export function alwaysEventually<S = any>(name: string, description: string, q: (state: S, step?: Step<S>) => boolean): LeadsToProperty<S> {
  return leadsTo(name, description, () => true, q);
}

export function action<S, P extends Params = Params>(def: ActionDef<S, P>): ActionDef<S, P> {
  return def;
}

/** Whether a value (e.g. a user module's export) is a well-formed model: see validate.ts for the problems. */
export function isModel(value: unknown): value is Model<unknown> {
  return modelProblems(value).length === 0;
}
