// Small helpers to build a model value; they only fill in the shapes of types.ts.
import type { ActionDef, Model, Params, Property, Step } from './types.ts';

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

/** Duck-typing check for values loaded from a user's module. */
export function isModel(value: unknown): value is Model<unknown> {
  if (typeof value !== 'object' || value === null) return false;
  const m = value as Partial<Model<unknown>>;
  return typeof m.name === 'string' && Array.isArray(m.init) && Array.isArray(m.actions)
    && Array.isArray(m.properties)
    && m.actions.every((a) => typeof a?.name === 'string' && typeof a.guard === 'function' && typeof a.effect === 'function')
    && m.properties.every((p) => typeof p?.name === 'string' && (p.kind === 'always' || p.kind === 'sometimes')
      && typeof p.condition === 'function');
}
