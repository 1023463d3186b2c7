// Small helpers to build a model value; they only fill in the shapes of types.ts.
import type { ActionDef, Model, Params, Property, Step } from './types.ts';
import { modelProblems } from './validate.ts';

export function always<S>(name: string, description: string, condition: (state: S) => boolean): Property<S> {
  return { kind: 'always', name, description, condition };
}

export function sometimes<S>(
  name: string, description: string, condition: (state: S, step?: Step<S>) => boolean,
): Property<S> {
  return { kind: 'sometimes', name, description, condition };
}

export function action<S, P extends Params = Params>(def: ActionDef<S, P>): ActionDef<S, P> {
  return def;
}

/** Whether a value (e.g. a user module's export) is a well-formed model: see validate.ts for the problems. */
export function isModel(value: unknown): value is Model<unknown> {
  return modelProblems(value).length === 0;
}
